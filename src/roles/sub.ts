import { ReceiverRole } from './receiver.js';

/** SUB: subscribes to its prefixes before connecting, so the filter is sent with the handshake. */
export class SubRole extends ReceiverRole {
  protected override beforeConnect(): void {
    this.main.subscribe(this.plan.subscribe);
  }
}
