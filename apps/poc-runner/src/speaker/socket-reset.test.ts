import net from 'node:net';
import { expect, it } from 'vitest';
import { guardSocketReset } from './socket-reset.js';

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

it('a socket reset after its writing side ended is closed, not leaked (what the transports do after a FIN)', async () => {
  guardSocketReset();
  const server = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.3.50', resolve));
  const before = tcpHandles();
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.3.50');
  await new Promise((resolve) => socket.once('connect', resolve));
  const errors: string[] = [];
  socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  socket.end();
  socket.resetAndDestroy();
  await new Promise((resolve) => socket.once('close', resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  // without the guard: an EINVAL error, and the client's TCP handle stays open for ever
  expect(errors).toEqual([]);
  expect(tcpHandles()).toBe(before);
});
