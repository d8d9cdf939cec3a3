import { ReceiverRole } from './receiver.js';

/** PULL: fair-queues from its pushers. */
export class PullRole extends ReceiverRole {}
