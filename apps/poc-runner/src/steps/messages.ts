import { existsSync } from 'node:fs';
import { MessageType } from 'bgp-codec';
import { parseFile, readCorpus, runEncodingTest } from 'exabgp-config-parser';
import type { DriverName as FsmDriverName } from 'fsm-bridge';
import { connect as connectAsync, listen as listenAsync } from 'transport-async';
import { countLiveResults, LIVE_MODES, runLiveConformance } from '../conformance-live.js';
import { errorText, exabgpQaDir, type StepContext } from '../context.js';
import { sessionPair } from './bridge.js';
import { exchangeMessages } from './exchange.js';
import { awaitNotification, passiveSession, rawEstablish, rawMessage, WAIT_MS } from './raw-peer.js';
import { UPDATE_BYTES } from './wire.js';

/** Transport level (async): a read that times out keeps the half message; a bad marker; a reset. */
async function transportErrors(ctx: StepContext): Promise<void> {
  const mode = 'async';
  const listener = await listenAsync({ host: '127.0.0.1', port: 0 });
  try {
    const accepted = listener.accept({ timeoutMs: WAIT_MS });
    const client = await connectAsync({ host: '127.0.0.1', port: listener.port });
    const server = await accepted;
    await client.writeMessage(UPDATE_BYTES.subarray(0, 10));
    const timedOut = await server.readMessage({ timeoutMs: 150 }).then(
      () => 'a message',
      (e: Error) => e.name,
    );
    await client.writeMessage(UPDATE_BYTES.subarray(10));
    const whole = await server.readMessage({ timeoutMs: WAIT_MS });
    ctx.check(
      'read timeout: TimeoutError, then the whole message (no byte lost)',
      timedOut === 'TimeoutError' && whole.message.length === UPDATE_BYTES.length,
      `${timedOut}; then ${whole.message.length} bytes`,
      mode,
    );
    const bad = rawMessage(19, MessageType.KEEPALIVE);
    bad[0] = 0;
    await client.writeMessage(bad);
    const invalid = await server.readMessage({ timeoutMs: WAIT_MS }).then(
      () => 'accepted',
      (e: Error & { notification?: { code: number; subcode: number } }) =>
        `${e.name} ${e.notification?.code}/${e.notification?.subcode}`,
    );
    ctx.check(
      'invalid marker: ProtocolError carrying NOTIFICATION 1/1',
      invalid === 'ProtocolError 1/1',
      invalid,
      mode,
    );
    client.abort();
    server.abort();
  } finally {
    await listener.close();
  }
  const l2 = await listenAsync({ host: '127.0.0.1', port: 0 });
  try {
    const accepted = l2.accept({ timeoutMs: WAIT_MS });
    const client = await connectAsync({ host: '127.0.0.1', port: l2.port });
    const server = await accepted;
    await client.writeMessage(UPDATE_BYTES.subarray(0, 25));
    await new Promise((r) => setTimeout(r, 50));
    client.abort();
    const reset = await server.readMessage({ timeoutMs: WAIT_MS }).then(
      () => 'a message',
      (e: Error & { partialBytes?: number }) => `${e.name} (${e.partialBytes} bytes of an unfinished message)`,
    );
    ctx.check(
      'reset in the middle of a message: ConnectionLost with the partial count',
      reset.startsWith('ConnectionLost'),
      reset,
      mode,
    );
  } finally {
    await l2.close();
  }
}

/** Session level, every FSM mode: a malformed message gets its NOTIFICATION and the process goes on. */
export async function sessionErrors(ctx: StepContext, mode: FsmDriverName): Promise<void> {
  const cases: { name: string; bytes: Uint8Array; code: number; subcode: number }[] = [
    {
      name: 'bad marker → NOTIFICATION 1/1',
      bytes: (() => {
        const m = rawMessage(19, 4);
        m[3] = 0;
        return m;
      })(),
      code: 1,
      subcode: 1,
    },
    {
      name: 'KEEPALIVE of length 20 → NOTIFICATION 1/2',
      bytes: rawMessage(20, 4, new Uint8Array(1)),
      code: 1,
      subcode: 2,
    },
    { name: 'unknown message type 9 → NOTIFICATION 1/3', bytes: rawMessage(19, 9), code: 1, subcode: 3 },
    {
      name: 'UPDATE truncated inside its attributes → NOTIFICATION 3/1',
      bytes: rawMessage(25, 2, Uint8Array.of(0, 0, 0, 9, 0x40, 1)),
      code: 3,
      subcode: 1,
    },
  ];
  for (const c of cases) {
    const peer = await passiveSession(mode);
    try {
      const connection = await rawEstablish(peer.port);
      await connection.writeMessage(c.bytes);
      const got = await awaitNotification(connection);
      const ok = 'code' in got && got.code === c.code && got.subcode === c.subcode;
      ctx.check(c.name, ok, 'code' in got ? `${got.code}/${got.subcode}` : got.none, mode);
      connection.abort();
    } catch (error) {
      ctx.check(c.name, false, errorText(error), mode);
    } finally {
      peer.session.destroy();
    }
  }
  // Reset: the session leaves Established, the process lives on.
  const peer = await passiveSession(mode);
  try {
    const connection = await rawEstablish(peer.port);
    await connection.writeMessage(UPDATE_BYTES.subarray(0, 25));
    connection.abort();
    const until = Date.now() + WAIT_MS;
    while (peer.session.state === 'Established' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    ctx.check(
      'peer reset in the middle of a message: the session leaves Established',
      peer.session.state !== 'Established',
      `now ${peer.session.state}`,
      mode,
    );
  } catch (error) {
    ctx.check('peer reset in the middle of a message', false, errorText(error), mode);
  } finally {
    peer.session.destroy();
  }
}

/** Hold timer expiry: the peer goes silent after the OPEN exchange (hold time 3 s) → NOTIFICATION 4/0. */
export async function holdTimer(ctx: StepContext, mode: FsmDriverName): Promise<void> {
  const peer = await passiveSession(mode, 3);
  try {
    const connection = await rawEstablish(peer.port, 3);
    const got = await awaitNotification(connection, 8_000);
    ctx.check(
      'silent peer: hold timer expires → NOTIFICATION 4/0',
      'code' in got && got.code === 4,
      'code' in got ? `${got.code}/${got.subcode} after ${got.afterMs} ms` : got.none,
      mode,
    );
    connection.abort();
  } catch (error) {
    ctx.check('silent peer: hold timer', false, errorText(error), mode);
  } finally {
    peer.session.destroy();
  }
}

/** ExaBGP's encoding corpus through the config parser and the codec: every test's bytes as ExaBGP's. */
function encodingConformance(ctx: StepContext): ReadonlySet<string> | undefined {
  const root = exabgpQaDir();
  if (!existsSync(root)) {
    ctx.check(
      'encoding identical to ExaBGP (QA corpus)',
      false,
      `not measured: the ExaBGP QA corpus is absent at ${root} (set EXABGP_QA_DIR)`,
    );
    return undefined;
  }
  const corpus = readCorpus(root);
  const passedNames = new Set<string>();
  const failed: string[] = [];
  const outOfScope: string[] = [];
  for (const path of corpus.encoding) {
    try {
      const r = runEncodingTest(path, root, parseFile);
      if (r.excluded) continue;
      if (r.status === 'pass') passedNames.add(r.name);
      else if (isOutOfScope(r.reason)) outOfScope.push(`${r.name}: ${r.reason}`);
      else failed.push(`${r.name}: ${r.reason}`);
    } catch (error) {
      failed.push(`${path}: ${errorText(error)}`);
    }
  }
  const passed = passedNames.size;
  ctx.step.figures['ExaBGP encoding tests passed'] = `${passed}/${passed + failed.length + outOfScope.length}`;
  reportOutOfScope(ctx, outOfScope);
  ctx.check(
    `encoding identical to ExaBGP: every QA encoding test of the families and features built (${passed}/${passed + failed.length})`,
    failed.length === 0 && passed > 0,
    failed.slice(0, 10).join('; ') || `${passed} tests`,
  );
  return passedNames;
}

/**
 * A test that fails only because it needs an address family the toolkit does not build yet, or an API process
 * driving the session, is outside what this evaluation compares (the I/O model): it is listed in the report
 * with its reason, and counted neither as a pass nor against the modes.
 */
function isOutOfScope(reason: string): boolean {
  return /^family .+ not supported$/.test(reason) || /through an API process, which is not run\)$/.test(reason);
}

function reportOutOfScope(ctx: StepContext, outOfScope: readonly string[]): void {
  if (outOfScope.length === 0) return;
  ctx.step.figures['ExaBGP encoding tests out of scope (not built yet, not counted)'] =
    `${outOfScope.length}: ${outOfScope.join('; ')}`;
}

/**
 * ExaBGP's encoding tests over real loopback TCP, per mode: our speaker built from each test's configuration
 * and driven by that mode, against a checking peer applying ExaBGP's checker rules (`conformance --live`).
 */
async function liveConformance(ctx: StepContext, offline: ReadonlySet<string> | undefined): Promise<void> {
  const root = exabgpQaDir();
  if (!existsSync(root)) {
    ctx.check(
      'live encoding tests',
      false,
      `not measured: the ExaBGP QA corpus is absent at ${root} (set EXABGP_QA_DIR)`,
    );
    return;
  }
  const bars: { label: string; value: number }[] = [];
  for (const mode of LIVE_MODES) {
    ctx.progress(`conformance --live ${mode}`);
    try {
      const results = await runLiveConformance({ corpus: root, mode });
      const { passed, total } = countLiveResults(results);
      const counted = results.filter((r) => !r.excluded && !(r.status !== 'pass' && isOutOfScope(r.reason)));
      const failed = counted.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.reason}`);
      ctx.step.figures[`live encoding tests passed (${mode})`] = `${passed}/${total}`;
      bars.push({ label: `${mode} (${passed}/${total})`, value: total ? (100 * passed) / total : 0 });
      ctx.check(
        `ExaBGP encoding tests live over loopback TCP, families and features built: ${passed}/${counted.length}`,
        counted.length > 0 && failed.length === 0,
        failed.slice(0, 8).join('; ') || 'all passed',
        mode,
      );
      if (offline) {
        const live = new Set(results.filter((r) => r.status === 'pass').map((r) => r.name));
        const differ = [...new Set([...offline, ...live])].filter((n) => offline.has(n) !== live.has(n));
        ctx.check(
          'the same ExaBGP encoding tests pass live as offline',
          differ.length === 0,
          differ.length ? `differ: ${differ.join(', ')}` : `${live.size} tests`,
          mode,
        );
      }
    } catch (error) {
      ctx.check('ExaBGP encoding tests live over loopback TCP', false, errorText(error), mode);
    }
  }
  if (bars.length)
    ctx.step.charts.push({ title: 'ExaBGP encoding tests passed live, per mode', unit: '%', kind: 'bars', bars });
}

/** Step 5: every message type both ways in every mode, ExaBGP's encoding, error handling in every mode. */
export async function runMessages(ctx: StepContext): Promise<void> {
  for (const mode of ['sync', 'async'] as const) {
    ctx.progress(`${mode}: every message type both ways`);
    await exchangeMessages(ctx, mode, '127.0.0.1', true);
  }
  for (const mode of ['bridge-polling', 'bridge-effect'] as const) {
    ctx.progress(`${mode}: OPEN, KEEPALIVE, UPDATE, NOTIFICATION through the session`);
    await sessionPair(ctx, mode);
  }
  ctx.progress('ExaBGP encoding corpus');
  const offline = encodingConformance(ctx);
  await liveConformance(ctx, offline);
  ctx.progress('transport errors: timeout, invalid, reset');
  await transportErrors(ctx);
  for (const mode of ['sync', 'bridge-polling', 'bridge-effect'] as const) {
    ctx.progress(`${mode}: malformed messages, reset`);
    await sessionErrors(ctx, mode);
  }
  ctx.progress('hold timer expiry in every FSM mode (3 s)');
  await Promise.all((['sync', 'bridge-polling', 'bridge-effect'] as const).map((mode) => holdTimer(ctx, mode)));
}
