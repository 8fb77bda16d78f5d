/**
 * Interop with real speakers on loopback, every driver: BIRD 2, GoBGP 3 and ExaBGP 4.2 run as passive peers (one
 * neighbor per driver, each driver on its own 127/8 address); each of our sessions establishes, announces an
 * IPv4 route and an IPv6 route (MP_REACH_NLRI, RFC 4760), finds them in the daemon's RIB through its own CLI,
 * (ExaBGP: in what its API process receives), and receives the daemon's route, decoded by bgp-codec. A missing
 * daemon skips its tests, saying why.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { UpdateMessage } from 'bgp-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from '../src/session.js';
import { DRIVERS, localConfig } from './helpers.js';
import { freePort, routeUpdate } from './peer.js';

const run = promisify(execFile);
const which = (binary: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, binary)));
const haveBird = which('bird') && which('birdc');
const haveGobgp = which('gobgpd') && which('gobgp');
const haveExabgp = which('exabgp') && existsSync('/usr/bin/python3');
if (!haveBird) console.log('interop: BIRD tests skipped: bird/birdc not installed (apt-get install bird2)');
if (!haveGobgp) console.log('interop: GoBGP tests skipped: gobgpd/gobgp not installed (apt-get install gobgpd)');
if (!haveExabgp)
  console.log('interop: ExaBGP tests skipped: exabgp or /usr/bin/python3 not installed (apt-get install exabgp)');

/** An IPv6 UPDATE: ORIGIN, AS_PATH [as], MP_REACH_NLRI 2001:db8:<tag>::/48 via 2001:db8::1 (RFC 4760 §3). */
function ipv6Update(tag: number, as = 65001): Uint8Array {
  const nextHop = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
  const mpReach = [0, 2, 1, 16, ...nextHop, 0, 48, 0x20, 0x01, 0x0d, 0xb8, tag >> 8, tag & 255];
  const attrs = [
    ...[0x40, 1, 1, 0],
    ...[0x40, 2, 6, 2, 1, (as >>> 24) & 255, (as >>> 16) & 255, (as >>> 8) & 255, as & 255],
    ...[0x80, 14, mpReach.length, ...mpReach],
  ];
  const length = 23 + attrs.length;
  return Uint8Array.from([...new Array(16).fill(0xff), length >> 8, length & 255, 2, 0, 0, 0, attrs.length, ...attrs]);
}

/** routeUpdate(index) with NEXT_HOP 198.51.100.1: GoBGP turns a 127/8 next hop into a withdraw. */
const ipv4Route = (driverIndex: number) => (10 << 24) | (100 << 16) | (driverIndex << 8) | 1;
const ipv4Text = (driverIndex: number) => `10.100.${driverIndex}.1/32`;
const ipv6Text = (driverIndex: number) => `2001:db8:${(0x100 + driverIndex).toString(16)}::/48`;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not seen within ${timeoutMs} ms`);
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** Establish with the daemon, announce, receive: the part every daemon and driver shares. */
async function exchange(
  driverIndex: number,
  driver: (typeof DRIVERS)[number],
  peer: { address: string; port: number; as: number },
  localAddress: string,
  expectedFromDaemon: string,
  inRib: (text: string) => Promise<boolean>,
): Promise<void> {
  const received: UpdateMessage[] = [];
  const session: Session = await startSession(
    localConfig({
      localAddress,
      peerAddress: peer.address,
      peerPort: peer.port,
      peerAs: peer.as,
      families: [
        [1, 1],
        [2, 1],
      ],
      routerId: `10.0.9.${driverIndex + 1}`,
      connectRetryTime: 2,
    }),
    { driver, onUpdate: (u) => received.push(u.update as UpdateMessage) },
  );
  try {
    await session.established(30_000);
    const v4 = routeUpdate(ipv4Route(driverIndex));
    v4.set([198, 51, 100, 1], v4.length - 9); // NEXT_HOP value sits just before the 5-byte NLRI
    await session.sendUpdates([v4, ipv6Update(0x100 + driverIndex)]);
    await waitFor(`${ipv4Text(driverIndex)} in the RIB`, () => inRib(ipv4Text(driverIndex)));
    await waitFor(`${ipv6Text(driverIndex)} in the RIB`, () => inRib(ipv6Text(driverIndex)));
    await waitFor(`${expectedFromDaemon} from the daemon`, async () =>
      received.some((u) =>
        u.nlri.some(
          (p) =>
            `${p.address >>> 24}.${(p.address >>> 16) & 255}.${(p.address >>> 8) & 255}.${p.address & 255}/${p.length}` ===
            expectedFromDaemon,
        ),
      ),
    );
    expect(session.state).toBe('Established');
    await session.stop();
  } finally {
    session.destroy();
  }
}

describe.skipIf(!haveBird)('BIRD 2 on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-bridge-bird-'));
  const socket = join(dir, 'bird.ctl');
  const address = '127.77.0.3';
  let port = 0;
  let bird: ChildProcess | undefined;
  const birdc = async (...command: string[]) => (await run('birdc', ['-s', socket, ...command])).stdout;

  beforeAll(async () => {
    port = await freePort(address);
    const neighbors = DRIVERS.map((_, i) => `protocol bgp d${i} from peers { neighbor 127.77.1.${i + 1} as 65001; }`);
    writeFileSync(
      join(dir, 'bird.conf'),
      [
        'log stderr { error, fatal };',
        'router id 3.3.3.3;',
        'protocol device { }',
        'protocol static nh4 { ipv4; route 198.51.100.0/24 blackhole; }',
        'protocol static nh6 { ipv6; route 2001:db8::/64 blackhole; }',
        'protocol static out4 { ipv4; route 203.0.113.0/24 blackhole; }',
        'template bgp peers {',
        `  local ${address} port ${port} as 65003;`,
        '  strict bind yes; passive yes; multihop;',
        '  ipv4 { import all; export where net = 203.0.113.0/24; };',
        '  ipv6 { import all; export none; };',
        '}',
        ...neighbors,
      ].join('\n'),
    );
    bird = spawn('bird', ['-f', '-c', join(dir, 'bird.conf'), '-s', socket], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor('bird control socket', async () => {
      try {
        return (await birdc('show', 'status')).includes('Daemon is up');
      } catch {
        return false;
      }
    });
  });

  afterAll(async () => {
    await stop(bird);
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(DRIVERS.map((d, i) => [d, i] as const))('driver %s', (driver, i) => {
    it('establishes, announces IPv4 and IPv6 routes found in BIRD, receives BIRD’s route', async () => {
      await exchange(i, driver, { address, port, as: 65003 }, `127.77.1.${i + 1}`, '203.0.113.0/24', async (text) =>
        (await birdc('show', 'route', 'protocol', `d${i}`)).includes(`${text} `),
      );
    });
  });
});

describe.skipIf(!haveGobgp)('GoBGP 3 on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-bridge-gobgp-'));
  const address = '127.77.0.2';
  let port = 0;
  let api = 0;
  let gobgpd: ChildProcess | undefined;
  const gobgp = async (...command: string[]) =>
    (await run('gobgp', ['-u', '127.0.0.1', '-p', String(api), ...command])).stdout;

  beforeAll(async () => {
    port = await freePort(address);
    api = await freePort();
    const neighbors = DRIVERS.map((_, i) =>
      [
        '[[neighbors]]',
        '  [neighbors.config]',
        `    neighbor-address = "127.77.2.${i + 1}"`,
        '    peer-as = 65001',
        '  [neighbors.transport.config]',
        `    local-address = "${address}"`,
        '    passive-mode = true',
        '  [[neighbors.afi-safis]]',
        '    [neighbors.afi-safis.config]',
        '      afi-safi-name = "ipv4-unicast"',
        '  [[neighbors.afi-safis]]',
        '    [neighbors.afi-safis.config]',
        '      afi-safi-name = "ipv6-unicast"',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'gobgpd.toml'),
      [
        '[global.config]',
        '  as = 65002',
        '  router-id = "2.2.2.2"',
        `  port = ${port}`,
        `  local-address-list = ["${address}"]`,
        ...neighbors,
      ].join('\n'),
    );
    gobgpd = spawn(
      'gobgpd',
      [
        '-f',
        join(dir, 'gobgpd.toml'),
        '-t',
        'toml',
        '-l',
        'warn',
        '--api-hosts',
        `127.0.0.1:${api}`,
        '--pprof-disable',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await waitFor('gobgpd API', async () => {
      try {
        await gobgp('global');
        return true;
      } catch {
        return false;
      }
    });
    await gobgp('global', 'rib', 'add', '-a', 'ipv4', '203.0.113.0/24', 'nexthop', '198.51.100.9');
  });

  afterAll(async () => {
    await stop(gobgpd);
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(DRIVERS.map((d, i) => [d, i] as const))('driver %s', (driver, i) => {
    it('establishes, announces IPv4 and IPv6 routes found in GoBGP, receives GoBGP’s route', async () => {
      await exchange(i, driver, { address, port, as: 65002 }, `127.77.2.${i + 1}`, '203.0.113.0/24', async (text) => {
        const family = text.includes(':') ? 'ipv6' : 'ipv4';
        return (await gobgp('global', 'rib', '-a', family)).includes(text);
      });
    });
  });
});

describe.skipIf(!haveExabgp)('ExaBGP 4.2 on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-bridge-exabgp-'));
  const address = '127.77.0.4';
  const output = join(dir, 'received.jsonl');
  let port = 0;
  let exabgp: ChildProcess | undefined;
  /** What ExaBGP's API process received from one of our sessions (one JSON object per line). */
  const receivedFrom = (peer: string) => {
    if (!existsSync(output)) return '';
    return readFileSync(output, 'utf8')
      .split('\n')
      .filter((line) => line.includes(`"peer": "${peer}"`))
      .join('\n');
  };

  beforeAll(async () => {
    port = await freePort(address);
    writeFileSync(
      join(dir, 'dump.py'),
      ['import sys', "out = open(sys.argv[1], 'a', buffering=1)", 'for line in sys.stdin:', '    out.write(line)'].join(
        '\n',
      ),
    );
    const neighbors = DRIVERS.map((_, i) =>
      [
        `neighbor 127.77.3.${i + 1} {`,
        '  router-id 4.4.4.4;',
        `  local-address ${address};`,
        '  local-as 65004;',
        '  peer-as 65001;',
        '  passive true;',
        '  family { ipv4 unicast; ipv6 unicast; }',
        '  api { processes [ dump ]; receive { parsed; update; } }',
        '  static { route 203.0.113.0/24 next-hop 198.51.100.9; }',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'exabgp.conf'),
      [
        'process dump {',
        `  run /usr/bin/python3 ${join(dir, 'dump.py')} ${output};`,
        '  encoder json;',
        '}',
        ...neighbors,
      ].join('\n'),
    );
    exabgp = spawn('exabgp', [join(dir, 'exabgp.conf')], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: {
        ...process.env,
        exabgp_daemon_user: process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'nobody'),
        exabgp_tcp_bind: address,
        exabgp_tcp_port: String(port),
        exabgp_log_destination: 'stderr',
      },
    });
    // ExaBGP is up once it listens: a TCP connect succeeds.
    await waitFor('exabgp listening', async () => {
      const net = await import('node:net');
      return new Promise<boolean>((resolve) => {
        const probe = net.connect({ host: address, port }, () => {
          probe.destroy();
          resolve(true);
        });
        probe.on('error', () => resolve(false));
      });
    });
  });

  afterAll(async () => {
    await stop(exabgp);
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(DRIVERS.map((d, i) => [d, i] as const))('driver %s', (driver, i) => {
    it('establishes, announces IPv4 and IPv6 routes ExaBGP decodes, receives ExaBGP’s route', async () => {
      const peer = `127.77.3.${i + 1}`;
      await exchange(i, driver, { address, port, as: 65004 }, peer, '203.0.113.0/24', async (text) =>
        receivedFrom(peer).includes(`"${text}"`),
      );
    }, 60_000);
  });
});
