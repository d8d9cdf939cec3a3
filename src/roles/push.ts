import { SenderRole } from './sender.js';

/** PUSH: sends data round robin to its connected pullers; blocks at the HWM. */
export class PushRole extends SenderRole {
  protected frames(_stream: number, data: Buffer | Buffer[]): Buffer | Buffer[] {
    return data;
  }
}
