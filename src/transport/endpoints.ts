import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransportName } from '../scenario/schema.js';

/**
 * Gives every binding socket an address of its own. tcp binds 127.0.0.1 on a port the OS
 * chooses at bind time (`*`), so two runs never race for a port; ipc paths live in a fresh
 * short temporary folder (paths have a 107-character limit) removed by `dispose`; inproc
 * names carry a per-run id so parallel runs in one process never collide.
 */
export class EndpointAllocator {
  private ipcDir: string | undefined;
  private readonly runId = `${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

  constructor(private readonly transport: TransportName) {}

  bindAddress(endpointIndex: number, instance: number): string {
    switch (this.transport) {
      case 'tcp':
        return 'tcp://127.0.0.1:*';
      case 'inproc':
        return `inproc://zb-${this.runId}-${endpointIndex}-${instance}`;
      case 'ipc':
        this.ipcDir ??= mkdtempSync(join(tmpdir(), 'zb-'));
        return `ipc://${join(this.ipcDir, `${endpointIndex}-${instance}`)}`;
    }
  }

  /** The folder holding ipc files, if any was made. */
  get ipcFolder(): string | undefined {
    return this.ipcDir;
  }

  dispose(): void {
    if (this.ipcDir) rmSync(this.ipcDir, { recursive: true, force: true });
    this.ipcDir = undefined;
  }
}
