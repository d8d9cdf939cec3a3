import { subscribe } from '../transport/zmq-sockets.js';
import { ReceiverRole } from './receiver.js';

/** SUB: subscribes to its prefixes before connecting, so the filter is sent with the handshake. */
export class SubRole extends ReceiverRole {
  protected override beforeConnect(): void {
    subscribe(this.main, this.plan.subscribe);
  }
}
