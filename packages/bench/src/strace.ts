import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** System calls counted by `strace -c` over a window, by name. */
export interface SyscallCounts {
  readonly total: number;
  readonly errors: number;
  readonly byName: Readonly<Record<string, number>>;
}

let availability: { ok: true } | { ok: false; reason: string } | undefined;

/** strace must exist and be allowed to attach (ptrace may be forbidden in a container). */
export function straceAvailability(): { ok: true } | { ok: false; reason: string } {
  if (availability) return availability;
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
  } catch {
    availability = { ok: false, reason: 'strace is not installed' };
    return availability;
  }
  try {
    execFileSync('strace', ['-c', '-o', '/dev/null', 'true'], { stdio: 'ignore', timeout: 10_000 });
    availability = { ok: true };
  } catch (error) {
    availability = { ok: false, reason: `strace cannot trace here: ${(error as Error).message.split('\n')[0]}` };
  }
  return availability;
}

/** Parse the table `strace -c` writes (calls and errors columns, one row per system call). */
export function parseStraceSummary(text: string): SyscallCounts {
  const byName: Record<string, number> = {};
  let total = 0;
  let errors = 0;
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    // "% time seconds usecs/call calls [errors] syscall"
    if (cols.length < 5 || !/^\d/.test(cols[0] ?? '')) continue;
    const name = cols[cols.length - 1] as string;
    const calls = Number(cols[3]);
    const errs = cols.length >= 6 ? Number(cols[4]) : 0;
    if (!Number.isFinite(calls)) continue;
    if (name === 'total') {
      total = calls;
      errors = Number.isFinite(errs) ? errs : 0;
    } else {
      byName[name] = calls;
    }
  }
  return { total, errors, byName };
}

/** A running `strace -f -c -p PID`; `stop()` detaches it and returns the counts. */
export class SyscallTrace {
  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly exited: Promise<void>;

  private constructor(pid: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'bench-strace-'));
    this.child = spawn('strace', ['-f', '-c', '-qq', '-o', join(this.dir, 'out'), '-p', String(pid)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Attach to `pid`; resolves once strace has attached (it says so on stderr without -qq; we wait briefly). */
  static async attach(pid: number): Promise<SyscallTrace> {
    const trace = new SyscallTrace(pid);
    // strace attaches within milliseconds; give it time so the window starts traced.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return trace;
  }

  async stop(): Promise<SyscallCounts> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
    let text = '';
    try {
      text = readFileSync(join(this.dir, 'out'), 'utf8');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
    return parseStraceSummary(text);
  }
}
