import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What /proc/PID/stat says about a process (proc(5)): CPU in seconds, resident memory in bytes. */
export interface ProcessSample {
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly rssBytes: number;
  readonly at: bigint;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let clockTicks: number | undefined;
let pageSize: number | undefined;

/** Whether /proc/PID/stat can be read here (Linux). */
export function procAvailable(): boolean {
  try {
    readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** Sample a process; `undefined` once it has gone. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  clockTicks ??= getconf('CLK_TCK', 100);
  pageSize ??= getconf('PAGESIZE', 4096);
  // The command name (field 2) may contain spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, utime field 14, stime field 15, rss field 24 (proc(5), 1-based).
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  const rss = Number(fields[24 - 3]);
  return {
    userSeconds: utime / clockTicks,
    systemSeconds: stime / clockTicks,
    rssBytes: rss * pageSize,
    at: process.hrtime.bigint(),
  };
}

/** CPU used between two samples of one process, in seconds and as a share of one core. */
export function cpuBetween(
  before: ProcessSample,
  after: ProcessSample,
): { userSeconds: number; systemSeconds: number; coreShare: number } {
  const userSeconds = after.userSeconds - before.userSeconds;
  const systemSeconds = after.systemSeconds - before.systemSeconds;
  const wall = Number(after.at - before.at) / 1e9;
  return { userSeconds, systemSeconds, coreShare: wall > 0 ? (userSeconds + systemSeconds) / wall : Number.NaN };
}

/** Peak resident set size of a process (VmHWM), when /proc says it. */
export function peakRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
