/**
 * Acceptance of `speak` (issue 5): the command, run as a child process from an ExaBGP configuration with two
 * neighbors, announces the configuration's routes to BIRD and to GoBGP, and they appear in the daemons'
 * RIBs; SIGTERM ends it with a Cease to each and exit code 0; --exit-after-eor ends it by itself; a setting
 * this platform cannot apply is refused at start with exit code 2.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Daemon,
  type ExabgpJsonLine,
  fill,
  freePort,
  LOCAL_AS,
  ourConfig,
  ourRoutes,
  portFree,
  REPO_ROOT,
  run,
  skipReason,
  TempDir,
  TRANSPORTS,
  until,
} from './daemons.js';

const BIRD_ADDRESS = '127.0.40.1';
const BIRD_AS = 65040;
const GOBGP_ADDRESS = '127.0.40.2';
const GOBGP_AS = 65041;
/** One run per transport, then one with --exit-after-eor: each from its own local addresses. */
const RUNS = [...TRANSPORTS, 'exit-after-eor'] as const;

interface Speak {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<number | null>;
}

/** `bgp-speak FILE ARGS` as a user runs it: bgp-speaker's bin, one process, so its PID is the speaker's. */
function speak(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Speak {
  const child = spawn(process.execPath, [join('packages', 'bgp-speaker', 'bin', 'bgp-speak.js'), file, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const run: Speak = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  return run;
}

async function exitWithin(run: Speak, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const code = await Promise.race([run.exit, late]);
  clearTimeout(timer);
  if (code === 'late') throw new Error(`speak still running after ${ms} ms\n${run.stderr}`);
  return code;
}

const reason = skipReason('speak command (BIRD 2 and GoBGP 3)', ['bird', 'birdc', 'gobgpd', 'gobgp']);
const children: Speak[] = [];

afterEach(() => {
  for (const c of children.splice(0))
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

describe.skipIf(reason !== '')(`speak FILE against BIRD 2 and GoBGP 3${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: TempDir;
  let bird: Daemon;
  let gobgpd: Daemon;
  let birdSocket: string;
  let birdPort: number;
  let gobgpPort: number;
  let api: string;

  const birdc = async (...command: string[]) => (await run('birdc', ['-s', birdSocket, ...command])).stdout;
  const gobgpRib = async (family: string) =>
    JSON.parse((await run('gobgp', ['-p', api, 'global', 'rib', '-a', family, '-j'])).stdout || '{}') as Record<
      string,
      Array<{ 'neighbor-ip'?: string }>
    >;

  beforeAll(async () => {
    dir = new TempDir();
    // One port number for both daemons (each binds its own address): exabgp_tcp_port can then name it
    // for every neighbor of a configuration, as ExaBGP's tests do.
    birdPort = await until('a port free on both daemon addresses', async () => {
      const candidate = await freePort(BIRD_ADDRESS);
      return (await portFree(GOBGP_ADDRESS, candidate)) ? candidate : undefined;
    });
    gobgpPort = birdPort;
    api = String(await freePort('127.0.0.1'));
    const birdNeighbors = RUNS.map((_, i) =>
      fill('bird-neighbor.conf', {
        NAME: `speak_${i + 1}`,
        ADDRESS: BIRD_ADDRESS,
        PORT: birdPort,
        AS: BIRD_AS,
        PEER: `127.0.40.${11 + i}`,
        PEER_AS: LOCAL_AS,
        NEXT_HOP6: '2001:db8::40',
      }),
    ).join('\n');
    birdSocket = dir.file('bird.ctl');
    const birdConfig = dir.file(
      'bird.conf',
      fill('bird.conf', {
        ADDRESS: BIRD_ADDRESS,
        PORT: birdPort,
        AS: BIRD_AS,
        ROUTER_ID: '10.40.40.1',
        NEIGHBORS: birdNeighbors,
      }),
    );
    const gobgpNeighbors = RUNS.map((_, i) =>
      fill('gobgpd-neighbor.toml', { PEER: `127.0.40.${21 + i}`, PEER_AS: LOCAL_AS, ADDRESS: GOBGP_ADDRESS }),
    ).join('\n');
    const gobgpConfig = dir.file(
      'gobgpd.toml',
      fill('gobgpd.toml', {
        ADDRESS: GOBGP_ADDRESS,
        PORT: gobgpPort,
        AS: GOBGP_AS,
        ROUTER_ID: '10.40.40.2',
        NEIGHBORS: gobgpNeighbors,
      }),
    );
    bird = Daemon.start('bird', 'bird', ['-f', '-c', birdConfig, '-s', birdSocket], dir);
    gobgpd = Daemon.start(
      'gobgpd',
      'gobgpd',
      ['-f', gobgpConfig, '-t', 'toml', '-p', '--api-hosts', `127.0.0.1:${api}`, '--pprof-disable'],
      dir,
    );
    await until('BIRD up', async () => ((await birdc('show', 'status')).includes('up and running') ? true : undefined));
    await until('gobgpd up', async () =>
      (await run('gobgp', ['-p', api, 'neighbor'])).stdout.includes('127.0.40.21') ? true : undefined,
    );
  });

  afterAll(async () => {
    await Promise.all([bird?.stop(), gobgpd?.stop()]);
    dir?.remove();
  });

  /** The configuration of run `n` (1-based): one neighbor to BIRD, one to GoBGP. */
  /** `fromEnvironment`: no `connect PORT` in the file; the port comes from exabgp_tcp_port. */
  const configFile = (n: number, fromEnvironment = false) =>
    dir.file(
      `speak-${n}.conf`,
      ourConfig({
        peer: BIRD_ADDRESS,
        port: fromEnvironment ? 0 : birdPort,
        peerAs: BIRD_AS,
        address: `127.0.40.${10 + n}`,
        index: n,
      }) +
        ourConfig({
          peer: GOBGP_ADDRESS,
          port: fromEnvironment ? 0 : gobgpPort,
          peerAs: GOBGP_AS,
          address: `127.0.40.${20 + n}`,
          index: 8 + n,
        }),
    );

  it.each(TRANSPORTS.map((transport, i) => [transport, i + 1] as const))(
    'speak FILE --transport %s: the routes appear in BIRD’s and GoBGP’s RIBs; SIGTERM sends Cease, exit 0',
    async (transport, n) => {
      const process_ = speak(configFile(n), ['--transport', transport]);
      children.push(process_);
      const toBird = ourRoutes(n);
      const toGobgp = ourRoutes(8 + n);

      const birdTable = await until(`routes in BIRD from speak --transport ${transport}`, async () => {
        const text = await birdc('show', 'route', 'protocol', `speak_${n}`);
        return text.includes(toBird.prefix4) && text.includes(toBird.prefix6) ? text : undefined;
      });
      expect(birdTable).toContain(toBird.prefix4);
      const from = `127.0.40.${20 + n}`;
      await until(`routes in GoBGP from speak --transport ${transport}`, async () => {
        const v4 = (await gobgpRib('ipv4'))[toGobgp.prefix4] ?? [];
        const v6 = (await gobgpRib('ipv6'))[toGobgp.prefix6] ?? [];
        return v4.some((p) => p['neighbor-ip'] === from) && v6.some((p) => p['neighbor-ip'] === from)
          ? true
          : undefined;
      });

      process_.child.kill('SIGTERM');
      expect(await exitWithin(process_, 15_000)).toBe(0);
      expect(process_.stderr.match(/NOTIFICATION sent 6\/2 \(Cease \/ Administrative Shutdown\)/g)).toHaveLength(2);
      expect(process_.stderr).toContain(`over ${transport}`);
      await until('BIRD sees the Cease', async () =>
        (await birdc('show', 'protocols', 'all', `speak_${n}`)).includes('Received: Administrative shutdown')
          ? true
          : undefined,
      );
    },
    45_000,
  );

  it('exabgp_tcp_port=P speak FILE --exit-after-eor --print-received: ends by itself, exit 0, once both End-of-RIBs are sent', async () => {
    const n = RUNS.length;
    const file = configFile(n, true);
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*connect /m);
    const process_ = speak(file, ['--exit-after-eor', '--print-received'], { exabgp_tcp_port: String(birdPort) });
    children.push(process_);
    expect(await exitWithin(process_, 30_000)).toBe(0);
    expect(process_.stderr).toContain('every End-of-RIB sent');
    expect(process_.stderr).toContain(`connecting to port ${birdPort}`);
    expect(process_.stderr.match(/NOTIFICATION sent 6\/2/g)).toHaveLength(2);
    // stdout is only ExaBGP JSON: at least both peers' OPENs, which arrive before our End-of-RIBs can be sent
    const lines = process_.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ExabgpJsonLine);
    const opens = lines.filter((l) => l.type === 'open').map((l) => l.neighbor.address.peer);
    expect(opens.sort()).toEqual([BIRD_ADDRESS, GOBGP_ADDRESS]);
  }, 45_000);
});

describe('speak FILE refusals', () => {
  it('refuses TCP MD5 at start with exit code 2 and the reason, connecting nowhere', async () => {
    const dir = new TempDir();
    try {
      const file = dir.file(
        'md5.conf',
        'neighbor 127.0.40.99 {\n  router-id 10.0.0.1;\n  local-as 65001;\n  peer-as 65002;\n  md5-password "secret";\n}\n',
      );
      const process_ = speak(file, []);
      children.push(process_);
      expect(await exitWithin(process_, 30_000)).toBe(2);
      expect(process_.stderr).toMatch(
        /refused: .*md5\.conf:1: neighbor 127\.0\.40\.99: TCP MD5 signatures .*cannot be applied on this platform/,
      );
      expect(process_.stderr).not.toContain('Connect');
    } finally {
      dir.remove();
    }
  }, 45_000);
});
