import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeMessage, encodeMessage, encodeOpen, isEndOfRib, MessageType, type Negotiated } from 'bgp-codec';
import {
  initialMessagesFor,
  localAsOf,
  type Neighbor,
  neighborFamilies,
  parseFile,
  peerAsOf,
  routerIdOf,
} from 'exabgp-config-parser';
import { type DriverName as FsmDriverName, startSession } from 'fsm-bridge';
import { type Connection, listen } from 'transport-async';
import { errorText, exabgpQaDir, REPO_ROOT, type StepContext } from '../context.js';
import { equalBytes, hex } from './wire.js';

export const DEFAULT_CONFIG = join(REPO_ROOT, 'fixtures', 'configs', 'poc-ipself6.conf');
export const SESSION_MODES: readonly FsmDriverName[] = ['sync', 'bridge-polling', 'bridge-effect'];
const WAIT_MS = 15_000;

/** Configurations of step 7: --config files, else the project's fixture and the QA corpus's conf-ipself6. */
export function configsToRun(asked: readonly string[]): { path: string; missing?: string }[] {
  if (asked.length)
    return asked.map((p) => ({ path: resolve(p), ...(existsSync(p) ? {} : { missing: 'no such file' }) }));
  const qa = join(exabgpQaDir(), 'etc', 'exabgp', 'conf-ipself6.conf');
  return [
    { path: DEFAULT_CONFIG },
    existsSync(qa) ? { path: qa } : { path: qa, missing: `ExaBGP QA corpus absent (${exabgpQaDir()})` },
  ];
}

/**
 * A checking peer on IPv6 loopback: accepts our speaker, answers its OPEN with an OPEN for the same families
 * and a KEEPALIVE, then collects `count` UPDATEs (KEEPALIVEs skipped). Every wait bounded.
 */
async function collectUpdates(connection: Connection, neighbor: Neighbor, count: () => number): Promise<Uint8Array[]> {
  const open = await connection.readMessage({ timeoutMs: WAIT_MS });
  if (open.type !== MessageType.OPEN) throw new Error(`first message is type ${open.type}, not OPEN`);
  const families = neighborFamilies(neighbor);
  const peerAs = peerAsOf(neighbor) ?? 65000;
  await connection.writeMessage(
    encodeOpen({
      type: 'open',
      version: 4,
      asn: peerAs > 65535 ? 23456 : peerAs,
      holdTime: 30,
      bgpIdentifier: '192.0.2.99',
      capabilities: [
        ...families.map((f) => ({ type: 'multiprotocol' as const, afi: f.afi, safi: f.safi })),
        { type: 'route-refresh' as const },
        { type: 'asn4' as const, asn: peerAs },
      ],
    }),
  );
  await connection.writeMessage(encodeMessage({ type: 'keepalive' }));
  const updates: Uint8Array[] = [];
  const deadline = Date.now() + WAIT_MS;
  while (updates.length < count() || count() === 0) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${updates.length} of ${count()} UPDATEs within ${WAIT_MS} ms`);
    const frame = await connection.readMessage({ timeoutMs: left });
    if (frame.type === MessageType.UPDATE) updates.push(frame.message.slice());
    else if (frame.type === MessageType.NOTIFICATION) throw new Error(`NOTIFICATION ${hex(frame.message)}`);
  }
  return updates;
}

/** Run one neighbor of a configuration in one mode: our session announces, the checking peer compares. */
async function runNeighbor(ctx: StepContext, file: string, neighbor: Neighbor, mode: FsmDriverName): Promise<void> {
  const label = `${file.split('/').pop()} neighbor ${neighbor.peerAddress}`;
  const listener = await listen({ host: '::1', port: 0 });
  let expected: Uint8Array[] = [];
  let session: Awaited<ReturnType<typeof startSession>> | undefined;
  try {
    const accepted = listener.accept({ timeoutMs: WAIT_MS });
    const facts = { localAddress: '::1' };
    session = await startSession(
      {
        localAs: localAsOf(neighbor, facts),
        peerAs: peerAsOf(neighbor, facts) ?? localAsOf(neighbor, facts),
        routerId: routerIdOf(neighbor, facts),
        peerAddress: '::1',
        peerPort: listener.port,
        localAddress: '::1',
        holdTime: neighbor.holdTime,
        families: neighborFamilies(neighbor).map((f) => [f.afi, f.safi] as const),
        idleHoldTime: 0,
      },
      { driver: mode, iterateUpdates: false },
    );
    const connection = await accepted;
    const collecting = collectUpdates(connection, neighbor, () => expected.length);
    await session.established(WAIT_MS);
    const negotiated = session.negotiated as Negotiated;
    expected = [...initialMessagesFor(neighbor, negotiated, facts)];
    ctx.check(
      `${label}: established over ::1`,
      true,
      `hold time ${negotiated.holdTime} s, ${negotiated.families.length} famil(ies)`,
      mode,
    );
    await session.sendUpdates(expected);
    const received = await collecting;
    let same = 0;
    const problems: string[] = [];
    expected.forEach((bytes, i) => {
      const got = received[i];
      if (got && equalBytes(bytes, got)) same++;
      else problems.push(`#${i + 1}: sent ${got ? hex(got) : 'nothing'}, ExaBGP sends ${hex(bytes)}`);
    });
    const eors = received.filter((m) => {
      const d = decodeMessage(m, negotiated.context);
      return d.type === 'update' && isEndOfRib(d) !== undefined;
    }).length;
    ctx.check(
      `${label}: UPDATEs and End-of-RIB are ExaBGP's bytes`,
      problems.length === 0 && expected.length > 0,
      problems.join('; ') || `${same} message(s) identical (${eors} End-of-RIB)`,
      mode,
    );
  } catch (error) {
    ctx.check(`${label}: session over ::1`, false, errorText(error), mode);
  } finally {
    session?.destroy();
    await listener.close();
  }
}

/** Step 7: parse each configuration, run each neighbor over IPv6 loopback in every mode, compare bytes. */
export async function runConfig(ctx: StepContext): Promise<void> {
  for (const { path, missing } of configsToRun(ctx.options.configs)) {
    if (missing) {
      ctx.step.notes.push(`${path}: not run: ${missing}`);
      if (ctx.options.configs.length) ctx.check(`${path} exists`, false, missing);
      continue;
    }
    ctx.progress(`parse ${path}`);
    let neighbors: Neighbor[];
    try {
      neighbors = parseFile(path).neighbors;
      ctx.check(`${path.split('/').pop()} parses`, neighbors.length > 0, `${neighbors.length} neighbor(s)`);
    } catch (error) {
      ctx.check(`${path} parses`, false, errorText(error));
      continue;
    }
    for (const neighbor of neighbors) {
      for (const mode of SESSION_MODES) {
        ctx.progress(`${path.split('/').pop()} ${neighbor.peerAddress} over ${mode}`);
        await runNeighbor(ctx, path, neighbor, mode);
      }
    }
  }
}
