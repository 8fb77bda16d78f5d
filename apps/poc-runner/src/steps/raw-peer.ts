import { decodeNotification, encodeMessage, encodeOpen, MessageType } from 'bgp-codec';
import { type DriverName as FsmDriverName, type NotificationRecord, type Session, startSession } from 'fsm-bridge';
import { type Connection, connect } from 'transport-async';
import { openFor } from './wire.js';

/**
 * A hand-driven peer over transport-async for the error and stress checks: it completes the OPEN exchange
 * with a passive Session like any speaker, then sends whatever bytes a check needs.
 */
export const PASSIVE_AS = 65020;
export const RAW_AS = 65021;
export const WAIT_MS = 10_000;

export interface PassiveSession {
  readonly session: Session;
  readonly port: number;
  readonly notifications: NotificationRecord[];
  readonly states: string[];
}

export async function passiveSession(mode: FsmDriverName, holdTime = 90): Promise<PassiveSession> {
  const notifications: NotificationRecord[] = [];
  const states: string[] = [];
  const session = await startSession(
    {
      localAs: PASSIVE_AS,
      peerAs: RAW_AS,
      routerId: '192.0.2.20',
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.1',
      localPort: 0,
      passive: true,
      listen: true,
      holdTime,
      idleHoldTime: 0.2,
    },
    {
      driver: mode,
      iterateUpdates: false,
      onNotification: (n) => notifications.push(n),
      onStateChange: (_f, to) => states.push(to),
    },
  );
  return { session, port: session.listenPort, notifications, states };
}

/** Connect and establish: our OPEN, theirs, KEEPALIVE both ways. */
export async function rawEstablish(port: number, holdTime = 90): Promise<Connection> {
  const connection = await connect({ host: '127.0.0.1', port, timeoutMs: WAIT_MS });
  await connection.writeMessage(encodeOpen(openFor(RAW_AS, '192.0.2.21', holdTime)));
  const open = await connection.readMessage({ timeoutMs: WAIT_MS });
  if (open.type !== MessageType.OPEN) throw new Error(`expected OPEN, got type ${open.type}`);
  await connection.writeMessage(encodeMessage({ type: 'keepalive' }));
  const keepalive = await connection.readMessage({ timeoutMs: WAIT_MS });
  if (keepalive.type !== MessageType.KEEPALIVE) throw new Error(`expected KEEPALIVE, got type ${keepalive.type}`);
  return connection;
}

/** Read until a NOTIFICATION arrives (KEEPALIVEs skipped); its code/subcode, or why none came. */
export async function awaitNotification(
  connection: Connection,
  timeoutMs = WAIT_MS,
): Promise<{ code: number; subcode: number; afterMs: number } | { none: string }> {
  const t0 = Date.now();
  for (;;) {
    const left = timeoutMs - (Date.now() - t0);
    if (left <= 0) return { none: `no NOTIFICATION within ${timeoutMs} ms` };
    try {
      const frame = await connection.readMessage({ timeoutMs: left });
      if (frame.type === MessageType.NOTIFICATION) {
        const n = decodeNotification(frame.body);
        return { code: n.code, subcode: n.subcode, afterMs: Date.now() - t0 };
      }
    } catch (error) {
      return { none: (error as Error).message };
    }
  }
}

/** A header of `length` and `type` with a right marker, and `body` bytes after it. */
export function rawMessage(length: number, type: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(19 + body.length);
  out.fill(0xff, 0, 16);
  out[16] = (length >> 8) & 0xff;
  out[17] = length & 0xff;
  out[18] = type;
  out.set(body, 19);
  return out;
}
