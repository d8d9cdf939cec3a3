import { createSocket } from 'node:dgram';

/**
 * The address of this host that packets to `remote` leave from: the kernel's route choice,
 * asked through a UDP socket that is connected but never sends. Sockets the coordinator binds
 * in a run with agents bind it, so that agents on other hosts can reach them (127.0.0.1 could
 * not be); zmq-bench agents advertise their own in the same role.
 */
export function localAddressToward(remote: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(remote.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.connect(9, remote, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}
