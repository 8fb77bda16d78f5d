/*
 * BGP messages built by hand for the transport tests (RFC 4271 §4). The transports only frame, so these
 * need valid headers and plausible bodies, nothing more.
 */
import net from 'node:net';
import { HEADER_LENGTH, MessageType } from 'bgp-codec';

export function message(type: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH + body.length);
  out.fill(0xff, 0, 16);
  out[16] = out.length >> 8;
  out[17] = out.length & 0xff;
  out[18] = type;
  out.set(body, HEADER_LENGTH);
  return out;
}

/** RFC 4271 §4.4: a KEEPALIVE is the header alone. */
export function keepalive(): Uint8Array {
  return message(MessageType.KEEPALIVE);
}

/**
 * RFC 4271 §4.3: an UPDATE announcing one /32 whose address is the sequence number, with ORIGIN IGP,
 * an empty AS_PATH and NEXT_HOP 192.0.2.1, so the receiver can check order and loss.
 */
export function sequencedUpdate(sequence: number): Uint8Array {
  const attributes = [0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4, 192, 0, 2, 1];
  const nlri = [32, (sequence >>> 24) & 0xff, (sequence >>> 16) & 0xff, (sequence >>> 8) & 0xff, sequence & 0xff];
  return message(MessageType.UPDATE, Uint8Array.from([0, 0, 0, attributes.length, ...attributes, ...nlri]));
}

/** The sequence number of a {@link sequencedUpdate}, read from its NLRI. */
export function sequenceOf(updateMessage: Uint8Array): number {
  const end = updateMessage.length;
  return (
    (((updateMessage[end - 4] as number) << 24) |
      ((updateMessage[end - 3] as number) << 16) |
      ((updateMessage[end - 2] as number) << 8) |
      (updateMessage[end - 1] as number)) >>>
    0
  );
}

/** A plain Node TCP server standing in for a misbehaving peer; closes every socket on `close()`. */
export async function rawPeer(host: string, onSocket: (socket: net.Socket) => void, options: net.ServerOpts = {}) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(options, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: async (): Promise<void> => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that nothing listens on: bind one, note it, close it. */
export async function closedPort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A listener whose accept queue is full, so a new SYN is dropped and connect() hangs until its timeout
 * (Linux drops SYNs to a listener whose accept queue is full). The listener lives in a child process that
 * is stopped with SIGSTOP so it never accepts; the queue (backlog 1, Node treats 0 as 511) is filled first.
 */
export async function unresponsiveListener(host: string) {
  const { spawn } = await import('node:child_process');
  const script = `const s=require('net').createServer();s.listen({host:${JSON.stringify(host)},port:0,backlog:1},()=>console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  child.kill('SIGSTOP');
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const socket = net.connect({ host, port });
    socket.on('error', () => {});
    fillers.push(socket);
  }
  await delay(200);
  return {
    port,
    close: async (): Promise<void> => {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
