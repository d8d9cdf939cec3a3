import { createServer, type Server } from 'node:net';

/**
 * Free loopback tcp ports, for runs whose connecting sockets dial before anything binds
 * (`start: connect-first`): their address must be known before the bind. Each port is found
 * by listening on 127.0.0.1:0 and reading what the OS gave; every listener stays open until
 * all `count` ports are found (so no port comes twice), then all are closed and the ports
 * handed out. Another program could take one in the moment before zmq binds it: the bind
 * then fails with EADDRINUSE, which fails the run with that message.
 */
export async function reserveLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnFreePort(server));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }
}

function listenOnFreePort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // exclusive: a port shared with a cluster primary would not be ours alone
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('a tcp listener reported no port'));
      else resolve(address.port);
    });
  });
}
