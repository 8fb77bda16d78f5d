/**
 * The Session's knobs and what it reports, on every driver against a scripted peer: the 4-octet AS
 * capability off (RFC 6793), the RFC 9072 extended optional parameters, the connection's local end, the
 * transport's reason for a failure, and BoRR/EoRR markers (RFC 7313) in order with UPDATEs.
 */
import { decodeOpen, decodeRouteRefresh, encodeKeepalive, MessageType, RouteRefreshSubtype } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { Session, type SessionConfig, sessionCapabilities, startSession } from '../src/session.js';
import { Cleanup, DRIVERS, localConfig } from './helpers.js';
import { freePort, type PeerConnection, PeerListener, peerOpen, routeIndex, routeUpdate } from './peer.js';

const ASN4_CAPABILITY = 65;

/** Bring a session up against a scripted peer; the peer's side of the connection and our OPEN. */
async function establishWith(
  cleanup: Cleanup,
  driver: (typeof DRIVERS)[number],
  overrides: Partial<SessionConfig>,
  peerOverrides: Parameters<typeof peerOpen>[0] = {},
) {
  const peer = await PeerListener.open();
  cleanup.add(() => peer.close());
  const session = await startSession(localConfig({ peerPort: peer.port, ...overrides }), { driver });
  cleanup.add(() => session.destroy());
  const c: PeerConnection = await peer.accept();
  const open = await c.expect(MessageType.OPEN);
  c.send(peerOpen(peerOverrides));
  await c.expect(MessageType.KEEPALIVE);
  c.send(encodeKeepalive());
  await session.established();
  return { session, c, open };
}

describe('Session configuration', () => {
  it('advertises the 4-octet AS capability by default and not with asn4: false', () => {
    const codes = (config: SessionConfig) => sessionCapabilities(config).map((c) => c.type);
    expect(codes(localConfig())).toContain('asn4');
    expect(codes(localConfig({ asn4: false }))).not.toContain('asn4');
  });

  it('refuses a 4-octet AS when the 4-octet AS capability is off (RFC 6793: it cannot be sent)', () => {
    expect(() => new Session(localConfig({ localAs: 65536, asn4: false }))).toThrow(
      /local AS 65536 needs 4 octets, but the 4-octet AS capability is off/,
    );
    expect(() => new Session(localConfig({ peerAs: 4200000000, asn4: false }))).toThrow(/peer AS 4200000000/);
  });
});

describe.each(DRIVERS)('Session API on driver %s', (driver) => {
  it('with asn4: false sends an OPEN without capability 65 and negotiates 2-octet AS numbers', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, open } = await establishWith(cleanup, driver, { asn4: false });
    const sent = decodeOpen(open.body);
    expect(sent.asn).toBe(65001);
    expect(sent.capabilities.map((c) => c.type)).not.toContain('asn4');
    expect(open.message.includes(ASN4_CAPABILITY)).toBe(false);
    // the peer advertised it; both must (RFC 6793 §4), so AS_PATH is encoded with 2-octet AS numbers
    expect(session.negotiated?.context.asn4).toBe(false);
  });

  it('sends the OPEN in the RFC 9072 extended format when asked', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { open } = await establishWith(cleanup, driver, { extendedOptionalParameters: true });
    // RFC 9072 §2: Non-Ext OP Len 255 and Non-Ext OP Type 255, then a 2-octet length
    expect(open.body[9]).toBe(255);
    expect(open.body[10]).toBe(255);
    expect(decodeOpen(open.body).extendedOptionalParameters).toBe(true);
  });

  it("reports the connection's local address and port", async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, c } = await establishWith(cleanup, driver, {});
    expect(session.localAddress).toBe('127.0.0.1');
    expect(session.localPort).toBe(c.socket.remotePort);
    expect(session.endpoints?.remotePort).toBe(c.socket.localPort);
  });

  it("reports the transport's reason when the connection is refused", async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const port = await freePort();
    const session = await startSession(localConfig({ peerPort: port }), { driver });
    cleanup.add(() => session.destroy());
    for (let waited = 0; session.lastError === undefined && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(session.lastError).toMatch(/refused|ECONNREFUSED/i);
  });

  it('sends BoRR, UPDATEs and EoRR in that order (RFC 7313 §4), and refuses a marker outside Established', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, c } = await establishWith(cleanup, driver, {});
    const begin = session.sendRouteRefresh(1, 1, RouteRefreshSubtype.BEGIN);
    const updates = session.sendUpdates([routeUpdate(1), routeUpdate(2)]);
    const end = session.sendRouteRefresh(1, 1, RouteRefreshSubtype.END);
    await Promise.all([begin, updates, end]);
    const frames = [];
    for (let i = 0; i < 4; i++) frames.push(await c.readSkippingKeepalives());
    expect(frames.map((f) => f.type)).toEqual([
      MessageType.ROUTE_REFRESH,
      MessageType.UPDATE,
      MessageType.UPDATE,
      MessageType.ROUTE_REFRESH,
    ]);
    expect(decodeRouteRefresh((frames[0] as (typeof frames)[0]).body).subtype).toBe(RouteRefreshSubtype.BEGIN);
    expect(routeIndex((frames[2] as (typeof frames)[0]).message)).toBe(2);
    expect(decodeRouteRefresh((frames[3] as (typeof frames)[0]).body).subtype).toBe(RouteRefreshSubtype.END);
    expect(session.counters.updatesSent).toBe(2);
    await session.stop();
    await expect(session.sendRouteRefresh(1, 1)).rejects.toThrow(/not running/);
  });
});
