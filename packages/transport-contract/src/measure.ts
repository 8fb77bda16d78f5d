/*
 * Measurement pieces shared by the transport benchmarks (used by both transports' benches):
 * a child-process runner for the other end of a connection, CPU and memory sampling, file-descriptor
 * limits and command-line sizes. Figures are printed, never asserted.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A peer process running `script` (TypeScript, through the same tsx loader as this process). */
export interface PeerProcess {
  readonly child: ChildProcess;
  /** The next IPC message of `type` sent by the peer (rejects if the peer exits first). */
  next<T extends { type: string }>(type: string): Promise<T>;
  send(message: object): void;
  /** Wait for the peer to exit; kill it after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

export function forkPeer(script: URL, args: string[]): PeerProcess {
  // The child inherits this process's execArgv: tsx's loader and --conditions=source.
  const child = fork(script.pathname, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: { type: string }[] = [];
  const waiting: { type: string; resolve: (m: never) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | undefined;
  child.on('message', (message: { type: string }) => {
    const at = waiting.findIndex((w) => w.type === message.type);
    if (at >= 0) waiting.splice(at, 1)[0]?.resolve(message as never);
    else inbox.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`peer process ${script.pathname} exited (${signal ?? code})`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  return {
    child,
    next<T extends { type: string }>(type: string): Promise<T> {
      const at = inbox.findIndex((m) => m.type === type);
      if (at >= 0) return Promise.resolve(inbox.splice(at, 1)[0] as T);
      if (exited) return Promise.reject(exited);
      return new Promise<T>((resolve, reject) =>
        waiting.push({ type, resolve: resolve as (m: never) => void, reject }),
      );
    },
    send(message: object): void {
      child.send(message);
    },
    async stop(timeoutMs = 5000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
    },
  };
}

/** In a peer process: send a message to the parent. */
export function report(message: { type: string } & Record<string, unknown>): void {
  process.send?.(message);
}

/** In a peer process: the next message of `type` from the parent. */
export function fromParent<T extends { type: string }>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: T): void => {
      if (message.type !== type) return;
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
  });
}

/** CPU time of this process (user + system) as a share of one core over a wall-clock window. */
export class CpuWindow {
  private readonly startCpu = process.cpuUsage();
  private readonly startWall = performance.now();

  /** Percent of one core since construction. */
  percentOfCore(): number {
    const used = process.cpuUsage(this.startCpu);
    const wallMicros = (performance.now() - this.startWall) * 1000;
    return ((used.user + used.system) / wallMicros) * 100;
  }

  cpuMicros(): { user: number; system: number } {
    return process.cpuUsage(this.startCpu);
  }
}

let collect: (() => void) | undefined;

/** A full garbage collection, exposing gc() at run time when the process was started without --expose-gc. */
export function fullGc(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Memory after a full collection. */
export async function memoryAfterGc(): Promise<MemorySample> {
  // Let pending callbacks and finalizers run before collecting.
  await new Promise((resolve) => setImmediate(resolve));
  fullGc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external + usage.arrayBuffers };
}

/** The soft limit on open files (`ulimit -n`) this process and its children run under. */
export function openFileLimit(): number {
  try {
    const text = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  } catch {
    return Number.NaN;
  }
}

/** `--name value` or env BENCH_NAME (upper case, dashes to underscores), else the default. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const text = at >= 0 ? process.argv[at + 1] : process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number, got ${text}`);
  return value;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`) || process.env[`BENCH_${name.toUpperCase()}`] === '1';
}

/** Scenarios named with --only a,b (default: all). */
export function selected(name: string): boolean {
  const at = process.argv.indexOf('--only');
  const list = at >= 0 ? process.argv[at + 1] : process.env.BENCH_ONLY;
  return list === undefined || list.split(',').includes(name);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (Math.abs(n) >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (Math.abs(n) >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** Median and range of repeated measurements. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** `median (min–max, n runs)` */
export function formatSpread(values: readonly number[], format: (n: number) => string = formatCount): string {
  const { median, min, max } = spread(values);
  return values.length === 1
    ? format(median)
    : `${format(median)} (${format(min)}–${format(max)}, ${values.length} runs)`;
}

/** CPU of this process over `seconds` doing nothing but what is already set up, after a full collection. */
export async function idleWindow(seconds: number): Promise<{ percent: number; user: number; system: number }> {
  await memoryAfterGc();
  const cpu = new CpuWindow();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = cpu.cpuMicros();
  return { percent: cpu.percentOfCore(), user: used.user, system: used.system };
}
