import { type DriverName, type Link, loadDriver } from 'bench';
import { bounded, errorText, type StepContext } from '../context.js';
import {
  KEEPALIVE_BYTES,
  NOTIFICATION_BYTES,
  OPEN_A,
  OPEN_B,
  ROUTE_REFRESH_BYTES,
  TYPE_NAMES,
  UPDATE_BYTES,
  verifyReceived,
} from './wire.js';

/** What arrives on a link, copied (frames are views), with its arrival time; read with a bounded wait. */
export class Inbox {
  private readonly queue: { type: number; message: Uint8Array; at: bigint }[] = [];
  private waiter: (() => void) | undefined;
  closedReason: string | undefined;
  closed = false;

  constructor(link: Link) {
    link.onMessage = (type, message) => {
      this.queue.push({ type, message: message.slice(), at: process.hrtime.bigint() });
      this.waiter?.();
    };
    link.onClose = (reason) => {
      this.closed = true;
      this.closedReason = reason;
      this.waiter?.();
    };
  }

  async next(timeoutMs: number): Promise<{ type: number; message: Uint8Array; at: bigint }> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error(`connection closed${this.closedReason ? `: ${this.closedReason}` : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`nothing arrived within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
    return this.queue.shift() as { type: number; message: Uint8Array; at: bigint };
  }
}

const WAIT_MS = 10_000;

/**
 * Two speakers in this process over real loopback TCP, driven by one mode: OPEN each way, KEEPALIVE each way,
 * UPDATE each way (and with `allTypes` NOTIFICATION and ROUTE-REFRESH each way), every message decoded by the
 * codec and encoded again to the bytes sent. Timings go to the step's figures.
 */
export async function exchangeMessages(
  ctx: StepContext,
  mode: DriverName,
  host: string,
  allTypes: boolean,
): Promise<void> {
  const loaded = await loadDriver(mode);
  if ('unavailable' in loaded) {
    ctx.check('mode available', false, loaded.unavailable, mode);
    return;
  }
  const driver = loaded;
  let server: Link | undefined;
  let onAccept: ((link: Link) => void) | undefined;
  const accepted = new Promise<Link>((resolve) => {
    onAccept = resolve;
  });
  const listener = await bounded(
    driver.listen(host, (link) => onAccept?.(link), { peers: 1 }),
    WAIT_MS,
    `${mode}: listen on ${host}`,
  );
  const port = listener.ports[0] as number;
  let client: Link | undefined;
  try {
    const t0 = process.hrtime.bigint();
    client = await bounded(driver.connect(host, port, { peers: 1 }), WAIT_MS, `${mode}: connect`);
    const clientInbox = new Inbox(client);
    server = await bounded(accepted, WAIT_MS, `${mode}: accept`);
    const serverInbox = new Inbox(server);
    ctx.step.figures[`${mode}: connect ms`] = Number(process.hrtime.bigint() - t0) / 1e6;

    const pass = async (from: Link, to: Inbox, bytes: Uint8Array, direction: string): Promise<number> => {
      const name = TYPE_NAMES[bytes[18] as number] ?? `type ${bytes[18]}`;
      const sentAt = process.hrtime.bigint();
      try {
        await bounded(from.sendAll([bytes]), WAIT_MS, 'send');
        const got = await to.next(WAIT_MS);
        const v = verifyReceived(bytes, got.message);
        ctx.check(
          `${name} ${direction}: sent, received, decoded, identical`,
          !v.problem,
          v.problem ?? `${bytes.length} bytes`,
          mode,
        );
        return Number(got.at - sentAt) / 1e3;
      } catch (error) {
        ctx.check(`${name} ${direction}`, false, errorText(error), mode);
        return Number.NaN;
      }
    };
    const tOpen = process.hrtime.bigint();
    await pass(client, serverInbox, OPEN_A, 'client → server');
    await pass(server, clientInbox, OPEN_B, 'server → client');
    ctx.step.figures[`${mode}: OPEN exchange µs`] = Number(process.hrtime.bigint() - tOpen) / 1e3;
    ctx.step.figures[`${mode}: KEEPALIVE delivery µs`] = await pass(
      client,
      serverInbox,
      KEEPALIVE_BYTES,
      'client → server',
    );
    await pass(server, clientInbox, KEEPALIVE_BYTES, 'server → client');
    ctx.step.figures[`${mode}: UPDATE delivery µs`] = await pass(client, serverInbox, UPDATE_BYTES, 'client → server');
    await pass(server, clientInbox, UPDATE_BYTES, 'server → client');
    if (allTypes) {
      await pass(client, serverInbox, ROUTE_REFRESH_BYTES, 'client → server');
      await pass(server, clientInbox, ROUTE_REFRESH_BYTES, 'server → client');
      await pass(client, serverInbox, NOTIFICATION_BYTES, 'client → server');
      await pass(server, clientInbox, NOTIFICATION_BYTES, 'server → client');
    }
    // A burst of 1,000 UPDATEs: all arrive, in order, identical.
    const burst = 1000;
    const t1 = process.hrtime.bigint();
    await bounded(client.sendAll(Array.from({ length: burst }, () => UPDATE_BYTES)), WAIT_MS, 'burst send');
    let same = 0;
    for (let i = 0; i < burst; i++) {
      const got = await serverInbox.next(WAIT_MS);
      if (!verifyReceived(UPDATE_BYTES, got.message).problem) same++;
    }
    const seconds = Number(process.hrtime.bigint() - t1) / 1e9;
    ctx.check(`${burst} UPDATEs in a burst arrive whole and identical`, same === burst, `${same}/${burst}`, mode);
    ctx.step.figures[`${mode}: burst of ${burst} UPDATEs, messages/s (in-process, indicative)`] = burst / seconds;
  } finally {
    await client?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await listener.close().catch(() => undefined);
    await driver.shutdown();
  }
}

/** Steps 2 and 3: the exchange over IPv4 and IPv6 loopback. */
export function exchangeStep(mode: DriverName): (ctx: StepContext) => Promise<void> {
  return async (ctx) => {
    for (const host of ['127.0.0.1', '::1']) {
      ctx.progress(`${mode} over ${host}`);
      const before = ctx.step.checks.length;
      await exchangeMessages(ctx, mode, host, false);
      for (const c of ctx.step.checks.slice(before)) (c as { name: string }).name = `[${host}] ${c.name}`;
    }
  };
}
