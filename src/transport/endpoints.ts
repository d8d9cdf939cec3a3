import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransportName } from '../scenario/schema.js';
import { reserveLoopbackPorts } from './free-port.js';

/**
 * Linux has an abstract namespace for unix sockets (`ipc://@name`, trap 11): no file
 * is ever made, and the kernel drops the name when the last socket holding it closes, so a
 * coordinator killed with SIGKILL, or quit by a second Ctrl-C, leaves nothing behind. Other
 * systems have no such namespace and get socket files in a temporary folder (see dispose).
 */
export const ABSTRACT_IPC = process.platform === 'linux';

/**
 * Gives every binding socket an address of its own, over its endpoint's transport (endpoints of
 * one run may differ: inproc inside the process, tcp between processes). tcp binds 127.0.0.1 on
 * a port the OS chooses at bind time (`*`), so two runs never race for a port; ipc uses abstract
 * names on Linux (ABSTRACT_IPC) and elsewhere paths in a fresh short temporary folder (paths have
 * a 107-character limit) removed by `dispose`; inproc and abstract ipc names carry a per-run id
 * so parallel runs never collide. With `start: connect-first` the addresses must be known
 * before anything binds: `bindAddressesUpFront`. udp (a DISH's bind) always gets its address up
 * front, a free loopback udp port (`upFrontAlways`): libzmq cannot bind a wildcard udp port.
 */
export class EndpointAllocator {
  private ipcDir: string | undefined;
  private readonly runId = `${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

  constructor(private readonly abstractIpc = ABSTRACT_IPC) {}

  /** A transport whose addresses all come from bindAddressesUpFront (udp: a port is found before the bind). */
  upFrontAlways(transport: TransportName): boolean {
    return transport === 'udp';
  }

  bindAddress(transport: TransportName, endpointIndex: number, instance: number): string {
    switch (transport) {
      case 'udp':
        throw new Error('udp addresses are found before the bind: use bindAddressesUpFront');
      case 'tcp':
        return 'tcp://127.0.0.1:*';
      case 'inproc':
        return `inproc://zb-${this.runId}-${endpointIndex}-${instance}`;
      case 'ipc':
        if (this.abstractIpc) return `ipc://@zb-${this.runId}-${endpointIndex}-${instance}`;
        if (this.ipcDir === undefined) {
          this.ipcDir = mkdtempSync(join(tmpdir(), 'zb-'));
          // a second Ctrl-C ends with process.exit(), which still runs 'exit' listeners; SIGKILL runs nothing
          process.once('exit', this.removeIpcDir);
        }
        return `ipc://${join(this.ipcDir, `${endpointIndex}-${instance}`)}`;
    }
  }

  /**
   * The address of each binder, known before it binds (`start: connect-first`, where the
   * connecting sockets dial first): tcp gets a free loopback port reserved now instead of `*` (udp
   * always gets one: `upFrontAlways`);
   * ipc paths and inproc names are fixed anyway. One address per [transport, endpointIndex, instance], in order.
   */
  async bindAddressesUpFront(
    binders: ReadonlyArray<readonly [transport: TransportName, endpointIndex: number, instance: number]>,
  ): Promise<string[]> {
    const count = (t: 'tcp' | 'udp') => binders.filter(([transport]) => transport === t).length;
    const reserve = async (t: 'tcp' | 'udp') => (count(t) > 0 ? await reserveLoopbackPorts(count(t), undefined, t) : []);
    const ports = { tcp: await reserve('tcp'), udp: await reserve('udp') };
    return binders.map(([transport, endpointIndex, instance]) =>
      transport === 'tcp' || transport === 'udp'
        ? `${transport}://127.0.0.1:${ports[transport].shift()!}`
        : this.bindAddress(transport, endpointIndex, instance),
    );
  }

  /** The folder holding ipc files, if any was made (never with abstract names). */
  get ipcFolder(): string | undefined {
    return this.ipcDir;
  }

  /** Removes the ipc folder. A coordinator that dies before this leaves it: hence abstract names where there are. */
  dispose(): void {
    process.off('exit', this.removeIpcDir);
    this.removeIpcDir();
  }

  private readonly removeIpcDir = (): void => {
    if (this.ipcDir) rmSync(this.ipcDir, { recursive: true, force: true });
    this.ipcDir = undefined;
  };
}
