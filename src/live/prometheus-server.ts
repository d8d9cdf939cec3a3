import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { messageOf } from '../core/errors.js';

/** Where the metrics are served: a host (an address or a name) and a port (0: any free one). */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * GET /metrics in the Prometheus text format, from a registry read at each scrape. Unref'd: it
 * never keeps the process alive by itself (the command holds it open while it runs and lingers).
 */
export class MetricsServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(address: ListenAddress, registry: Registry): Promise<MetricsServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('zmq-bench serves its metrics at /metrics\n');
      } else {
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
          (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${messageOf(e)}\n`),
        );
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host.replace(/^\[(.*)\]$/, '$1'), () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    const { port } = server.address() as AddressInfo;
    return new MetricsServer(
      server,
      `http://${address.host.includes(':') && !address.host.startsWith('[') ? `[${address.host}]` : address.host}:${port}/metrics`,
    );
  }

  /** Stops listening and drops idle keep-alive connections, so closing takes no time. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
  }
}
