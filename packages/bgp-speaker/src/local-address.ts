import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * The address the kernel picks as the source for packets to `peer`: what a TCP connection to it will use
 * when no local address is configured. Found by connecting a UDP socket (no packet is sent): `local-address
 * auto` needs a value before the session is up, for `next-hop self` and the router-id (ExaBGP reads it from
 * the connected socket; the session API does not expose its socket).
 */
export function routeSourceAddress(peer: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = createSocket(isIPv6(peer) ? 'udp6' : 'udp4');
    const fail = (error: Error) => {
      socket.close();
      reject(new Error(`no route to ${peer} to take a local address from: ${error.message}`));
    };
    socket.once('error', fail);
    socket.connect(9, peer, () => {
      try {
        const { address } = socket.address();
        socket.close();
        resolve(address);
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}
