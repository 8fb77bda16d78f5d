/**
 * The processes of a command's tree, read from Linux's /proc: by process group (a command started detached
 * leads its own group, and everything it starts joins it) and by parentage (in case one left the group).
 * A process is identified by its PID and its start time, so a PID the kernel reused is not mistaken for it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** R, S, D, T, Z...: Z (a zombie) has exited and only waits to be reaped. */
  readonly state: string;
  /** Clock ticks after boot: with the PID, the process's identity. */
  readonly start: string;
  readonly command: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  let stat: string;
  let command: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined; // gone while being read
  }
  // proc(5): "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
  // stime cutime cstime priority nice num_threads itrealvalue starttime ..."; comm may hold spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    state: fields[0] ?? '?',
    start: fields[19] ?? '',
    command: command || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
  };
}

/** Every process of the machine now. */
export function processes(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readEntry(Number(name));
    if (entry !== undefined) out.push(entry);
  }
  return out;
}

/** The processes of group `pgid` and every descendant of `root`, zombies left out. */
export function processTree(root: number, pgid: number): ProcessEntry[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const tree = new Map<number, ProcessEntry>();
  for (const p of all) if (p.pgid === pgid || p.pid === root) tree.set(p.pid, p);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...tree.values()];
}

/** Those of `known` still running (same PID, same start time, not a zombie), and any process now in group `pgid`. */
export function stillRunning(known: readonly ProcessEntry[], pgid: number): ProcessEntry[] {
  const now = processes().filter((p) => p.state !== 'Z');
  return now.filter((p) => p.pgid === pgid || known.some((k) => k.pid === p.pid && k.start === p.start));
}
