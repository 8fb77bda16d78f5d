/**
 * What the interop tests share: finding the daemons, writing their configurations from the templates in
 * fixtures/interop into a temporary directory, starting them on their own loopback address, stopping them
 * by PID, and polling with a deadline.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Speaker, type SpeakTransport } from 'bgp-speaker';
import { parseConfiguration } from 'exabgp-config-parser';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = join(REPO_ROOT, 'fixtures', 'interop');

/** The three drivers of the one FSM, by the speaker's `--transport` names. */
export const TRANSPORTS: readonly SpeakTransport[] = ['sync', 'async', 'bridge'];

/** A program on PATH, or in the sbin directories where Debian puts bird and exabgp. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return undefined;
}

/** Why a test cannot run: the programs missing, or '' when all are there. Printed, so a skip is visible. */
export function skipReason(daemon: string, programs: readonly string[]): string {
  const missing = programs.filter((p) => findProgram(p) === undefined);
  if (missing.length === 0) return '';
  const reason = `${missing.join(', ')} not installed (apt-get install bird2 gobgpd exabgp)`;
  console.log(`${daemon} interop tests skipped: ${reason}`);
  return reason;
}

/** A template of fixtures/interop with every {{NAME}} replaced; a placeholder left unfilled is an error. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  const text = readFileSync(join(FIXTURES, template), 'utf8').replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${template}: no value for ${whole}`);
    return String(value);
  });
  return text;
}

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'bgp-interop-'));
  file(name: string, text?: string): string {
    const path = join(this.path, name);
    if (text !== undefined) writeFileSync(path, text);
    return path;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A free TCP port on `host` (bound then released: the daemon binds it right after). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on `host` now. */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Poll `probe` until it returns a value (not undefined) or the deadline passes; the error says what was awaited. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Run a command to completion (a daemon's CLI); never throws for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      findProgram(command) ?? command,
      args,
      { timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A daemon started in the background, its output in a log file, stopped by its PID. */
export class Daemon {
  readonly exited: Promise<number | null>;
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(name: string, command: string, args: readonly string[], dir: TempDir, env: NodeJS.ProcessEnv = {}) {
    const logFile = dir.file(`${name}.log`);
    const log = openSync(logFile, 'a');
    const child = spawn(findProgram(command) ?? command, args, {
      cwd: dir.path,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    });
    return new Daemon(name, child, logFile);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface OurNeighbor {
  /** The daemon's address and port (0: none in the configuration; the speaker reads exabgp_tcp_port). */
  readonly peer: string;
  readonly port: number;
  readonly peerAs: number;
  /** Our local address (one per driver, so the daemon tells the sessions apart). */
  readonly address: string;
  /** 1..n: which routes it announces (203.0.113.16*n/28, 2001:db8:100+n::/48) and their next hops. */
  readonly index: number;
  /** Wait for the daemon to connect, listening on `address`:`port`, instead of connecting to it. */
  readonly passive?: boolean;
  /** Seconds; ExaBGP's default 180. */
  readonly holdTime?: number;
}

export const LOCAL_AS = 65001;

/** The routes neighbor `index` announces, with next hops the daemons accept (not 127/8). */
export function ourRoutes(index: number) {
  return {
    prefix4: `203.0.113.${16 * index}/28`,
    nextHop4: `198.51.100.${index}`,
    prefix6: `2001:db8:${100 + index}::/48`,
    nextHop6: `2001:db8::${index}`,
    community: `${LOCAL_AS}:${index}`,
  };
}

/** Our side's ExaBGP configuration for one neighbor. */
export function ourConfig(n: OurNeighbor): string {
  const routes = ourRoutes(n.index);
  return fill(n.passive ? 'speaker-passive.conf' : 'speaker.conf', {
    PEER: n.peer,
    PORT: n.port,
    CONNECT: n.port > 0 ? `connect ${n.port};` : '# no connect: the port is exabgp_tcp_port',
    PEER_AS: n.peerAs,
    ADDRESS: n.address,
    AS: LOCAL_AS,
    HOLD_TIME: n.holdTime ?? 180,
    ROUTER_ID: `10.0.0.${n.index}`,
    PREFIX4: routes.prefix4,
    NEXT_HOP4: routes.nextHop4,
    PREFIX6: routes.prefix6,
    NEXT_HOP6: routes.nextHop6,
    COMMUNITY: routes.community,
  });
}

export interface RunningSpeaker {
  readonly speaker: Speaker;
  readonly logs: string[];
  /** `--print-received` lines, parsed. */
  readonly received: ExabgpJsonLine[];
}

/** The parts of an ExaBGP JSON line the tests read. */
export interface ExabgpJsonLine {
  type: string;
  /** ExaBGP 4.2 with `packets`: the raw message, "0x" hex. */
  header?: string;
  body?: string;
  neighbor: {
    address: { local: string; peer: string };
    asn: { local: number; peer: number };
    direction?: string;
    message?: {
      update?: {
        attribute?: Record<string, unknown>;
        announce?: Record<string, Record<string, Array<{ nlri: string }>>>;
      };
    };
    notification?: { code: number; subcode: number };
    open?: unknown;
  };
}

/** Start the speaker in this process for one neighbor, on one driver, printing what it receives. */
export async function startOurSpeaker(n: OurNeighbor, transport: SpeakTransport): Promise<RunningSpeaker> {
  const logs: string[] = [];
  const received: ExabgpJsonLine[] = [];
  const speaker = await Speaker.start({
    configuration: parseConfiguration(ourConfig(n), `interop-${transport}.conf`),
    transport,
    printReceived: true,
    env: {},
    log: (line) => logs.push(line),
    output: (line) => received.push(JSON.parse(line) as ExabgpJsonLine),
  });
  return { speaker, logs, received };
}

/** The prefixes announced in received UPDATE lines, by family, with their next hop: "ipv4 unicast 192.0.2.0/24 via X". */
export function announced(lines: readonly ExabgpJsonLine[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const announce = line.neighbor.message?.update?.announce;
    if (line.type !== 'update' || announce === undefined) continue;
    for (const [family, byNextHop] of Object.entries(announce)) {
      for (const [nextHop, nlris] of Object.entries(byNextHop)) {
        for (const { nlri } of nlris) out.push(`${family} ${nlri} via ${nextHop}`);
      }
    }
  }
  return out;
}
