import { ReceiverRole } from './receiver.js';

/**
 * DISH (draft API): joins its groups (whole names, not prefixes) before connecting, and receives
 * each message as [group, body] from the engine, the group counted like a sub's topic.
 */
export class DishRole extends ReceiverRole {
  protected override beforeConnect(): void {
    this.main.join(this.plan.join);
  }
}
