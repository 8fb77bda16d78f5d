import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerProcess } from './child.js';
import type { DriverName } from './driver.js';
import { summarizeLatency } from './latency.js';
import { cpuBetween, type ProcessSample, peakRss, sampleProcess } from './proc.js';
import type { ReceiverStats } from './roles.js';

/**
 * ExaBGP 4.2 (the Debian package: Python, the generator reactor) as a black box beside our modes: it reads
 * a generated configuration, connects to our receiver over loopback TCP and sends; we count what arrives and
 * read its CPU and memory from /proc/PID. Every process started here is stopped by its PID.
 */
export function exabgpAvailability(): { ok: true; version: string } | { ok: false; reason: string } {
  try {
    const text = execFileSync('exabgp', ['--version'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      ok: true,
      version:
        text
          .trim()
          .split('\n')[0]
          ?.replace(/^ExaBGP\s*:\s*/i, '') ?? 'unknown',
    };
  } catch (error) {
    return {
      ok: false,
      reason: `exabgp is not installed or does not run (${(error as Error).message.split('\n')[0]})`,
    };
  }
}

const LOCAL_AS = 65001;
const PEER_AS = 65002;

function dotted(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** One neighbor per local address 127.0.0.(10+i), all to our receiver at 127.0.0.1; `routes` on the first. */
function configText(neighbors: number, routes: number, holdTime: number): string {
  const out: string[] = [];
  for (let i = 0; i < neighbors; i++) {
    out.push(
      'neighbor 127.0.0.1 {',
      `  router-id 10.0.${i >> 8}.${(i & 255) + 1};`,
      `  local-address 127.0.${(10 + i) >> 8}.${(10 + i) & 255};`,
      `  local-as ${LOCAL_AS};`,
      `  peer-as ${PEER_AS};`,
      `  hold-time ${holdTime};`,
      '  family { ipv4 unicast; }',
    );
    if (i === 0 && routes > 0) {
      out.push('  static {');
      for (let r = 0; r < routes; r++) out.push(`    route ${dotted(0x0a000000 + r)}/32 next-hop 192.0.2.1;`);
      out.push('  }');
    }
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

class ExabgpProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private readonly dir: string;

  constructor(config: string, port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'bench-exabgp-'));
    const file = join(this.dir, 'exabgp.conf');
    writeFileSync(file, config);
    this.child = spawn('exabgp', [file], {
      cwd: this.dir,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: {
        ...process.env,
        exabgp_daemon_user: 'root',
        // No listening socket: it only dials our receiver, on this port.
        exabgp_tcp_bind: '',
        exabgp_tcp_port: String(port),
        exabgp_log_destination: join(this.dir, 'exabgp.log'),
        exabgp_api_cli: 'false',
      },
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid as number;
  }

  logTail(): string {
    try {
      return readFileSync(join(this.dir, 'exabgp.log'), 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ExabgpBulkOutcome {
  readonly routes: number;
  readonly routesReceived: number;
  readonly complete: boolean;
  /** From its OPEN (session start: it builds its UPDATEs after it) to the last route at our receiver. */
  readonly seconds: number;
  readonly routesPerSecond: number;
  /** From its first UPDATE to its last: the transfer alone, UPDATEs built already. */
  readonly transferSeconds: number;
  readonly updates: number;
  /** Reading its configuration until it connected (not part of the rate). */
  readonly startSeconds: number;
  /** CPU of the exabgp process from connection to the last route (/proc/PID/stat). */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly keepaliveLateMaxMicroseconds: number;
  readonly keepalivesInWindow: number;
  readonly receiver: DriverName;
}

/** ExaBGP with `routes` static routes sends them to our receiver (mode `receiver`, which answers its OPEN). */
export async function exabgpBulk(options: {
  routes: number;
  holdTime: number;
  timeoutMs: number;
  receiver: DriverName;
}): Promise<ExabgpBulkOutcome> {
  const rx = await WorkerProcess.start();
  let exabgp: ExabgpProcess | undefined;
  try {
    const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
      mode: options.receiver,
      host: '127.0.0.1',
      stride: 1000,
      countRoutes: true,
      echo: false,
      peers: 1,
      bgp: { asn: PEER_AS, holdTime: options.holdTime },
    });
    const t0 = Date.now();
    exabgp = new ExabgpProcess(configText(1, options.routes, options.holdTime), ports[0] as number);
    await rx.request('rx.waitConnections', { count: 1, timeoutMs: options.timeoutMs }).catch((error: Error) => {
      throw new Error(`${error.message}; exabgp log: ${exabgp?.logTail()}`);
    });
    const startSeconds = (Date.now() - t0) / 1000;
    const before = sampleProcess(exabgp.pid) as ProcessSample;
    const done = await rx.request<ReceiverStats>('rx.waitRoutes', {
      routes: options.routes,
      timeoutMs: options.timeoutMs,
    });
    const after = sampleProcess(exabgp.pid) as ProcessSample;
    const peak = peakRss(exabgp.pid) ?? Number.NaN;
    const stamps = await rx.request<{ arrivals: number[][]; keepaliveArrivals: number[][] }>('rx.stamps', {});
    const first = stamps.arrivals[0]?.[0] ?? done.firstAt;
    const seconds = (done.lastAt - done.firstAt) / 1e9;
    const intervalNs = ((options.holdTime * 1000) / 3) * 1e6;
    const inWindow = (stamps.keepaliveArrivals[0] ?? []).filter((t) => t > first && t < done.lastAt);
    const points = [first, ...inWindow, done.lastAt];
    const late: number[] = [];
    for (let i = 1; i < points.length; i++)
      late.push(Math.max(0, (points[i] as number) - (points[i - 1] as number) - intervalNs));
    return {
      routes: options.routes,
      routesReceived: done.routes,
      complete: done.complete === true,
      seconds,
      routesPerSecond: done.routes / seconds,
      transferSeconds: (done.lastAt - first) / 1e9,
      updates: done.byType[2] ?? 0,
      startSeconds,
      cpuSeconds:
        before && after ? cpuBetween(before, after).userSeconds + cpuBetween(before, after).systemSeconds : Number.NaN,
      peakRssBytes: peak,
      keepaliveLateMaxMicroseconds: summarizeLatency(late).maxUs,
      keepalivesInWindow: inWindow.length,
      receiver: options.receiver,
    };
  } finally {
    await exabgp?.stop();
    await rx.request('rx.close', {}).catch(() => undefined);
    await rx.stop();
  }
}

export interface ExabgpIdleOutcome {
  readonly sessions: number;
  readonly seconds: number;
  /** CPU of the exabgp process, % of one core (/proc/PID/stat, 10 ms ticks). */
  readonly corePercent: number;
  readonly rssBytes: number;
}

/** ExaBGP with `sessions` established sessions to our receiver and nothing to send: its CPU over `seconds`. */
export async function exabgpIdle(options: {
  sessions: number;
  seconds: number;
  timeoutMs: number;
  receiver: DriverName;
}): Promise<ExabgpIdleOutcome> {
  const rx = await WorkerProcess.start();
  let exabgp: ExabgpProcess | undefined;
  try {
    const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
      mode: options.receiver,
      host: '127.0.0.1',
      stride: 1,
      countRoutes: false,
      echo: false,
      peers: options.sessions,
      bgp: { asn: PEER_AS, holdTime: 90 },
    });
    exabgp = new ExabgpProcess(configText(options.sessions, 0, 90), ports[0] as number);
    await rx
      .request('rx.waitConnections', { count: options.sessions, timeoutMs: options.timeoutMs })
      .catch((error: Error) => {
        throw new Error(`${error.message}; exabgp log: ${exabgp?.logTail()}`);
      });
    // Let every session finish its OPEN exchange before the window.
    await new Promise((r) => setTimeout(r, 2_000));
    const before = sampleProcess(exabgp.pid) as ProcessSample;
    await new Promise((r) => setTimeout(r, options.seconds * 1000));
    const after = sampleProcess(exabgp.pid) as ProcessSample;
    const cpu = cpuBetween(before, after);
    return {
      sessions: options.sessions,
      seconds: options.seconds,
      corePercent: cpu.coreShare * 100,
      rssBytes: after.rssBytes,
    };
  } finally {
    await exabgp?.stop();
    await rx.request('rx.close', {}).catch(() => undefined);
    await rx.stop();
  }
}
