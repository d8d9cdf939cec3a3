import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from './live-address.js';
import { LIVE_PATHS, type LiveMessage } from './live-messages.js';

/**
 * The live page's HTTP server (node:http): the page, its event stream (Server-Sent Events) and
 * the reports. Read-only: GET and HEAD only, nothing a visitor can change. Its sockets are
 * unreferenced, so it never keeps the process alive by itself; close() ends it.
 */

export interface LiveRoutes {
  /** GET /: the live page, or the final report once the command is done */
  page(): Promise<string>;
  /** what a newly connected page is told first: the runs so far and the latest state */
  replay(): LiveMessage[];
  /** GET /report (n null: the final one) and /report/<n>; null: not (yet) there */
  report(n: number | null): Promise<string | null>;
}

/** One connected page: its stream, and the latest update kept back while the socket is full. */
interface Client {
  res: ServerResponse;
  blocked: boolean;
  heldUpdate: string | null;
}

export class LiveServer {
  private readonly clients = new Set<Client>();
  private readonly server: Server;
  /** requests being answered, streams aside */
  private answering = 0;
  /** while closing: called when a page leaves or an answer is sent */
  private onIdle: (() => void) | null = null;

  private constructor(
    private readonly routes: LiveRoutes,
    private readonly loopbackOnly: boolean,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Neither the listener nor a page's open stream may keep a finished command running.
    this.server.on('connection', (socket) => socket.unref());
    this.server.unref();
  }

  /** Listens on host:port (0: a free port); rejects with the reason when it cannot. */
  static async listen(host: string, port: number, routes: LiveRoutes): Promise<{ server: LiveServer; port: number }> {
    const live = new LiveServer(routes, isLoopback(host));
    await new Promise<void>((resolve, reject) => {
      live.server.once('error', reject);
      live.server.listen({ host, port, exclusive: true }, () => {
        live.server.off('error', reject);
        resolve();
      });
    });
    return { server: live, port: (live.server.address() as AddressInfo).port };
  }

  get connected(): number {
    return this.clients.size;
  }

  /** Tells every connected page. Updates a slow page has no room for are replaced by the next one. */
  broadcast(m: LiveMessage): void {
    const text = `data: ${JSON.stringify(m)}\n\n`;
    for (const c of this.clients) send(c, text, m.type === 'update');
  }

  /**
   * Stops listening once every connected page has left (each goes to the final report it was
   * told of, which ends its stream) and every answer is sent, or after `lingerMs`.
   */
  async close(lingerMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, lingerMs);
      this.onIdle = () => {
        if (this.clients.size > 0 || this.answering > 0) return;
        clearTimeout(timer);
        resolve();
      };
      this.onIdle();
    });
    this.onIdle = null;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'only GET: the live page is read-only');
    // A loopback page answers loopback names only: another site's page cannot reach it by renaming itself (DNS rebinding).
    if (this.loopbackOnly && !loopbackHost(req.headers.host)) return plain(res, 403, 'the live page answers on loopback names only');
    const path = new URL(req.url ?? '/', 'http://live').pathname;
    if (path === LIVE_PATHS.events && req.method === 'GET') return this.stream(res);
    this.answering++;
    res.on('close', () => {
      this.answering--;
      this.onIdle?.();
    });
    try {
      if (path === LIVE_PATHS.page) return page(res, await this.routes.page());
      // Browsers ask for one beside every page: none, without an error in the console.
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      const n = path === LIVE_PATHS.report ? null : /^\/report\/(\d+)$/.exec(path)?.[1];
      if (n !== undefined) {
        const report = await this.routes.report(n === null ? null : Number(n));
        // No icon to ask for: the server may be gone by the time the browser would.
        return report === null
          ? plain(res, 404, 'no report yet')
          : page(res, report.replace('<head>', '<head>\n<link rel="icon" href="data:,">'));
      }
      plain(res, 404, 'not found');
    } catch (e) {
      plain(res, 500, e instanceof Error ? e.message : String(e));
    }
  }

  private stream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    // A page that lost the stream (the server restarted with the next command) tries again after 1 s.
    res.write('retry: 1000\n\n');
    const client: Client = { res, blocked: false, heldUpdate: null };
    this.clients.add(client);
    res.on('close', () => {
      this.clients.delete(client);
      this.onIdle?.();
    });
    for (const m of this.routes.replay()) send(client, `data: ${JSON.stringify(m)}\n\n`, m.type === 'update');
  }
}

function send(c: Client, text: string, isUpdate: boolean): void {
  if (c.blocked) {
    if (isUpdate) {
      c.heldUpdate = text;
      return;
    }
    // Anything else is small and must arrive, after the update it follows.
    if (c.heldUpdate !== null) c.res.write(c.heldUpdate);
    c.heldUpdate = null;
    c.res.write(text);
    return;
  }
  if (c.res.write(text)) return;
  c.blocked = true;
  c.res.once('drain', () => {
    c.blocked = false;
    const held = c.heldUpdate;
    c.heldUpdate = null;
    if (held !== null) send(c, held, true);
  });
}

function loopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isLoopback(name);
}

function page(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(body);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
