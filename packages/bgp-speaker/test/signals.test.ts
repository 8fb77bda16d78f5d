/**
 * A supervisor's SIGTERM, or a user's SIGINT, to the command a user starts stops the speaker with its Cease
 * (6/2 Administrative Shutdown, RFC 4486) and leaves no process of the command's tree running: for
 * `bgp-speak FILE`, `pnpm exec bgp-speak FILE` and `pnpm --filter poc-runner start speak FILE`, with the
 * signal sent to the outermost process alone (a supervisor, `kill PID`), or to its whole process group (a
 * terminal's Ctrl-C, which the speaker then receives twice: from the terminal and from pnpm).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNotification, encodeKeepalive, encodeOpen, type OpenMessage } from 'bgp-codec';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckingPeer } from './checking-peer.js';
import { type ProcessEntry, processTree, stillRunning } from './process-tree.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where `pnpm install` links the workspace's commands: on PATH, `bgp-speak` is this one. */
const BIN = join(REPO_ROOT, 'node_modules', '.bin');
/** Starting pnpm and compiling the sources on a loaded machine is slow: a generous bound, never a wait. */
const STARTED_MS = 60_000;
const EXITED_MS = 30_000;

interface CommandForm {
  readonly name: string;
  readonly command: string;
  readonly args: (file: string) => string[];
  /**
   * The outermost process ends with exit code 0 once the speaker stopped. `pnpm exec` does not wait: it
   * passes the signal on (as SIGTERM) and ends at once by the signal it received; the speaker, its child,
   * sends its Cease and exits after it, as the tree check below verifies.
   */
  readonly waitsForTheSpeaker: boolean;
}

const FORMS: readonly CommandForm[] = [
  { name: 'bgp-speak FILE', command: 'bgp-speak', args: (file) => [file], waitsForTheSpeaker: true },
  {
    name: 'pnpm exec bgp-speak FILE',
    command: 'pnpm',
    args: (file) => ['exec', 'bgp-speak', file],
    waitsForTheSpeaker: false,
  },
  {
    name: 'pnpm --filter poc-runner start speak FILE',
    command: 'pnpm',
    args: (file) => ['--filter', 'poc-runner', 'start', 'speak', file],
    waitsForTheSpeaker: true,
  },
];

type Delivery = 'SIGTERM to the outermost PID' | 'SIGINT to the outermost PID' | 'SIGINT to the process group';
const DELIVERIES: readonly Delivery[] = [
  'SIGTERM to the outermost PID',
  'SIGINT to the outermost PID',
  'SIGINT to the process group',
];

const PEER_OPEN: OpenMessage = {
  type: 'open',
  version: 4,
  asn: 65002,
  holdTime: 180,
  bgpIdentifier: '10.9.9.9',
  capabilities: [
    { type: 'multiprotocol', afi: 1, safi: 1 },
    { type: 'asn4', asn: 65002 },
  ],
};

function configText(port: number): string {
  return `neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    hold-time 180;
    connect ${port};
    family { ipv4 unicast; }
    static {
        route 203.0.113.0/24 next-hop 198.51.100.1;
    }
}
`;
}

/** Poll `probe` until it returns a value (not undefined); past the deadline, fail saying what was awaited. */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Start `form` detached, so it leads a process group of its own that holds its whole tree. */
function startCommand(form: CommandForm, file: string): Started {
  const child = spawn(form.command, form.args(file), {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (child.pid === undefined) throw new Error(`${form.name}: not started`);
  const started: Started = {
    child,
    pid: child.pid,
    exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    output: '',
  };
  const collect = (chunk: Buffer) => {
    started.output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return started;
}

describe.skipIf(process.platform !== 'linux')('a signal to the command a user starts', () => {
  describe.each(FORMS)('$name', (form) => {
    it.each(DELIVERIES)(
      '%s: the speaker sends Cease 6/2 and every process of the tree exits',
      async (delivery) => {
        const dir = mkdtempSync(join(tmpdir(), 'bgp-speak-signals-'));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        const peer = await CheckingPeer.listen('127.0.0.1');
        cleanups.push(() => peer.close());
        const file = join(dir, 'speak.conf');
        writeFileSync(file, configText(peer.port));

        const run = startCommand(form, file);
        let tree: ProcessEntry[] = [];
        cleanups.push(() => {
          // Whatever this test started and is still there: its group, and any process of its tree that left it.
          for (const p of stillRunning(tree, run.pid)) {
            try {
              process.kill(p.pid, 'SIGKILL');
            } catch {}
          }
        });

        const connection = await peer.nextConnection(STARTED_MS);
        const open = await connection.next(STARTED_MS);
        expect(open[18]).toBe(1);
        connection.send(encodeOpen(PEER_OPEN), encodeKeepalive());
        // The speaker's KEEPALIVE, its UPDATE and its End-of-RIB: Established, routes sent.
        expect((await connection.next(STARTED_MS))[18]).toBe(4);
        expect((await connection.nextNotKeepalive(STARTED_MS))[18]).toBe(2);
        expect((await connection.nextNotKeepalive(STARTED_MS))[18]).toBe(2);

        tree = processTree(run.pid, run.pid);
        const speakers = tree.filter((p) => /bgp-speak\.js|cli\.ts speak/.test(p.command));
        expect(speakers.length, tree.map((p) => `${p.pid} ${p.command}`).join('\n')).toBeGreaterThan(0);
        if (form.command === 'pnpm') expect(speakers[0]?.pid).not.toBe(run.pid);

        if (delivery === 'SIGINT to the process group') process.kill(-run.pid, 'SIGINT');
        else process.kill(run.pid, delivery === 'SIGTERM to the outermost PID' ? 'SIGTERM' : 'SIGINT');

        const cease = await connection.nextNotKeepalive(EXITED_MS);
        expect(cease[18], run.output).toBe(3);
        const notification = decodeNotification(cease.subarray(19));
        expect([notification.code, notification.subcode]).toEqual([6, 2]);
        await connection.waitClosed(EXITED_MS);

        await until(
          `every process of ${form.name} gone`,
          () => (stillRunning(tree, run.pid).length === 0 ? true : undefined),
          EXITED_MS,
        ).catch((error: Error) => {
          const running = stillRunning(tree, run.pid).map((p) => `${p.pid} ${p.state} ${p.command}`);
          throw new Error(`${error.message}; still running:\n${running.join('\n')}\n${run.output}`);
        });
        const exit = await run.exit;
        if (form.waitsForTheSpeaker) expect(exit, run.output).toEqual({ code: 0, signal: null });
        expect(run.output).toContain('sending Cease (Administrative Shutdown) to every neighbor');
      },
      2 * STARTED_MS + 2 * EXITED_MS,
    );
  });
});
