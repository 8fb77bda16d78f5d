import {
  AS_TRANS,
  BgpError,
  type Capability,
  decodeOpen,
  encodeKeepalive,
  encodeNotification,
  encodeOpen,
  encodeRouteRefresh,
  HEADER_LENGTH,
  MessageType,
  notification,
  type OpenMessage,
  shutdownNotification,
} from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import {
  bgpFsm,
  type Effect,
  type FsmConfig,
  type FsmEvent,
  type FsmResult,
  type TimerName,
  truncateUtf8,
} from './fsm.js';

/** Multiprotocol for each family, ROUTE-REFRESH, 4-octet AS (RFC 4760, RFC 2918, RFC 6793). */
function caps(asn: number, families: Array<[number, number]> = [[1, 1]], routeRefresh = true): Capability[] {
  return [
    ...families.map(([afi, safi]) => ({ type: 'multiprotocol' as const, afi, safi })),
    ...(routeRefresh ? [{ type: 'route-refresh' as const }] : []),
    { type: 'asn4', asn },
  ];
}

const cease = (code: number, subcode: number) => encodeNotification(notification(code, subcode));

const LOCAL_ID = '10.0.0.1';
const PEER_ID = '10.0.0.2';

function config(overrides: Partial<FsmConfig> = {}): FsmConfig {
  return {
    localAs: 65001,
    peerAs: 65002,
    routerId: LOCAL_ID,
    holdTime: 90,
    capabilities: caps(65001),
    connectRetryTime: 30,
    idleHoldTime: 5,
    ...overrides,
  };
}

/** Runs the generator between `receive`s and records every effect: the FSM with scripted events, no sockets. */
class Script {
  readonly fsm;
  effects: Effect[] = [];
  result: FsmResult | undefined;
  private timers = new Map<TimerName, number>();

  constructor(cfg: FsmConfig) {
    this.fsm = bgpFsm(cfg);
    this.advance(undefined);
  }

  get state(): string {
    const states = this.all.filter((e) => e.kind === 'state');
    return states.length ? (states[states.length - 1] as { to: string }).to : 'Idle';
  }

  all: Effect[] = [];

  /** Resume with `event`; the effects up to the next `receive` become `effects`. */
  send(event: FsmEvent): Effect[] {
    this.advance(event);
    return this.effects;
  }

  fire(name: TimerName): Effect[] {
    const id = this.timers.get(name);
    if (id === undefined) throw new Error(`timer ${name} is not running`);
    return this.send({ kind: 'timer', name, id });
  }

  running(name: TimerName): boolean {
    return this.timers.has(name);
  }

  message(bytes: Uint8Array): Effect[] {
    return this.send({
      kind: 'message',
      type: bytes[18] as number,
      body: bytes.subarray(HEADER_LENGTH),
      message: bytes,
    });
  }

  private advance(input: FsmEvent | undefined): void {
    this.effects = [];
    let step = this.fsm.next(input);
    while (!step.done && step.value.kind !== 'receive') {
      const effect = step.value;
      this.effects.push(effect);
      this.all.push(effect);
      if (effect.kind === 'start-timer') this.timers.set(effect.name, effect.id);
      if (effect.kind === 'stop-timer') this.timers.delete(effect.name);
      step = this.fsm.next();
    }
    if (step.done) this.result = step.value;
  }
}

function peerOpen(overrides: Partial<OpenMessage> = {}): Uint8Array {
  return encodeOpen({
    type: 'open',
    version: 4,
    asn: 65002,
    holdTime: 90,
    bgpIdentifier: PEER_ID,
    capabilities: caps(65002),
    ...overrides,
  });
}

const sent = (effects: Effect[]) =>
  effects.flatMap((e) => (e.kind === 'send' ? e.messages.map((m) => m[18] as number) : []));
const notificationSent = (effects: Effect[]) => {
  const n = effects.find((e) => e.kind === 'notification' && e.direction === 'sent');
  return n && n.kind === 'notification' ? [n.code, n.subcode, ...n.data] : undefined;
};
const kinds = (effects: Effect[]) => effects.map((e) => (e.kind === 'state' ? `state:${e.to}` : e.kind));

function openSent(cfg: Partial<FsmConfig> = {}): Script {
  const s = new Script(config(cfg));
  s.send({ kind: 'tcp-connected', direction: 'outgoing' });
  expect(s.state).toBe('OpenSent');
  return s;
}
function openConfirm(cfg: Partial<FsmConfig> = {}): Script {
  const s = openSent(cfg);
  s.message(peerOpen());
  expect(s.state).toBe('OpenConfirm');
  return s;
}
function established(cfg: Partial<FsmConfig> = {}): Script {
  const s = openConfirm(cfg);
  s.message(encodeKeepalive());
  expect(s.state).toBe('Established');
  return s;
}

describe('RFC 4271 §8.2.2 Idle', () => {
  it('ManualStart (Event 1) starts the ConnectRetryTimer, initiates a connection and moves to Connect', () => {
    const s = new Script(config());
    expect(s.effects).toEqual([
      { kind: 'start-timer', name: 'connect-retry', seconds: 30, id: expect.any(Number) },
      { kind: 'connect' },
      { kind: 'state', from: 'Idle', to: 'Connect' },
    ]);
  });

  it('passive ManualStart (Event 4) moves to Active without connecting', () => {
    const s = new Script(config({ passive: true }));
    expect(s.effects).toEqual([{ kind: 'state', from: 'Idle', to: 'Active' }]);
  });

  it('refuses a configured hold time of 1 or 2 seconds (RFC 4271 §4.2)', () => {
    expect(() => bgpFsm(config({ holdTime: 2 }))).toThrow(RangeError);
    expect(() => bgpFsm(config({ holdTime: 1 }))).toThrow(RangeError);
  });

  it('after an error restarts when the IdleHoldTimer fires (AutomaticStart, §8.1.1)', () => {
    const s = established();
    s.message(cease(6, 4));
    expect(s.state).toBe('Idle');
    expect(s.effects).toContainEqual({ kind: 'start-timer', name: 'idle-hold', seconds: 5, id: expect.any(Number) });
    expect(kinds(s.fire('idle-hold'))).toEqual(['start-timer', 'connect', 'state:Connect']);
  });

  it('stays in Idle when idleHoldTime is 0, until ManualStop ends the FSM', () => {
    const s = established({ idleHoldTime: 0 });
    s.send({ kind: 'tcp-failed' });
    expect(s.state).toBe('Idle');
    expect(s.running('idle-hold')).toBe(false);
    expect(s.send({ kind: 'send-updates', messages: [], ack: 7 })).toEqual([
      { kind: 'reject', ack: 7, reason: 'session is Idle' },
    ]);
    s.send({ kind: 'stop' });
    expect(s.result).toEqual({ reason: 'stopped' });
  });
});

describe('RFC 4271 §8.2.2 Connect', () => {
  it('TcpConnectionConfirmed (Event 17) stops the ConnectRetryTimer, sends OPEN, sets a large HoldTimer', () => {
    const s = new Script(config());
    const effects = s.send({ kind: 'tcp-connected', direction: 'outgoing' });
    expect(kinds(effects)).toEqual(['stop-timer', 'send', 'start-timer', 'state:OpenSent']);
    expect(effects[2]).toMatchObject({ name: 'hold', seconds: 240 });
    const open = effects[1] as { messages: readonly Uint8Array[] };
    const decoded = decodeOpen((open.messages[0] as Uint8Array).subarray(HEADER_LENGTH));
    expect(decoded).toMatchObject({ version: 4, asn: 65001, holdTime: 90, bgpIdentifier: LOCAL_ID });
  });

  it('a refused connection (Event 18) goes to Active with the ConnectRetryTimer restarted', () => {
    const s = new Script(config());
    const effects = s.send({ kind: 'tcp-failed', reason: 'ECONNREFUSED' });
    expect(kinds(effects)).toEqual(['connection-failed', 'close', 'start-timer', 'state:Active']);
    // the transport's reason is reported before the FSM acts on it
    expect(effects[0]).toEqual({ kind: 'connection-failed', reason: 'ECONNREFUSED' });
    expect(kinds(s.fire('connect-retry'))).toEqual(['start-timer', 'connect', 'state:Connect']);
  });

  it('ConnectRetryTimer expiry (Event 9) drops the attempt and connects again, staying in Connect', () => {
    const s = new Script(config());
    expect(kinds(s.fire('connect-retry'))).toEqual(['close', 'start-timer', 'connect']);
    expect(s.state).toBe('Connect');
  });

  it('ManualStop drops the attempt without a NOTIFICATION and ends the FSM', () => {
    const s = new Script(config());
    expect(kinds(s.send({ kind: 'stop' }))).toEqual(['stop-timer', 'close', 'state:Idle']);
    expect(s.result).toEqual({ reason: 'stopped' });
  });
});

describe('RFC 4271 §8.2.2 Active', () => {
  it('an accepted connection (Event 16) sends OPEN and moves to OpenSent', () => {
    const s = new Script(config({ passive: true }));
    expect(sent(s.send({ kind: 'tcp-connected', direction: 'incoming' }))).toEqual([MessageType.OPEN]);
    expect(s.state).toBe('OpenSent');
  });

  it('a passive FSM never initiates and stays in Active when its connection fails', () => {
    const s = new Script(config({ passive: true }));
    s.send({ kind: 'tcp-connected', direction: 'incoming' });
    const effects = s.send({ kind: 'tcp-failed' });
    expect(kinds(effects)).toEqual(['stop-timer', 'close', 'state:Active']);
    expect(s.running('connect-retry')).toBe(false);
  });

  it('acceptFirst starts in Active even when not passive, then restarts actively', () => {
    const s = new Script(config({ acceptFirst: true }));
    expect(s.state).toBe('Active');
    s.send({ kind: 'tcp-connected', direction: 'incoming' });
    s.message(peerOpen());
    s.message(encodeKeepalive());
    s.send({ kind: 'tcp-failed' });
    expect(kinds(s.fire('idle-hold'))).toEqual(['start-timer', 'connect', 'state:Connect']);
  });
});

describe('RFC 4271 §8.2.2 OpenSent and the OPEN checks of §6.2', () => {
  it('a valid OPEN sends KEEPALIVE, sets the negotiated timers and moves to OpenConfirm', () => {
    const s = openSent({ holdTime: 90 });
    const effects = s.message(peerOpen({ holdTime: 30 }));
    expect(kinds(effects)).toEqual(['open-received', 'send', 'start-timer', 'start-timer', 'state:OpenConfirm']);
    expect(sent(effects)).toEqual([MessageType.KEEPALIVE]);
    // The smaller hold time wins; the KeepaliveTimer is a third of it (RFC 4271 §4.2, §10).
    expect(effects[2]).toMatchObject({ name: 'hold', seconds: 30 });
    expect(effects[3]).toMatchObject({ name: 'keepalive', seconds: 10 });
    expect(effects[0]).toMatchObject({ negotiated: { holdTime: 30, peerAs: 65002, peerBgpIdentifier: PEER_ID } });
  });

  it('a hold time of 0 on either side runs neither timer', () => {
    const s = openSent();
    s.message(peerOpen({ holdTime: 0 }));
    expect(s.running('hold')).toBe(false);
    expect(s.running('keepalive')).toBe(false);
  });

  it('honours a configured keepalive time', () => {
    const s = openSent({ keepaliveTime: 1, holdTime: 3 });
    expect(s.message(peerOpen({ holdTime: 90 }))).toContainEqual(
      expect.objectContaining({ name: 'keepalive', seconds: 1 }),
    );
  });

  const refusals: Array<[string, Uint8Array, number[], Partial<FsmConfig>?]> = [
    ['version 3: 2/1 with the largest supported version', peerOpen({ version: 3 }), [2, 1, 0, 4]],
    ['the wrong peer AS: 2/2', peerOpen({ asn: 65099, capabilities: [] }), [2, 2]],
    ['a 4-octet AS capability naming another AS: 2/2', peerOpen({ capabilities: caps(65099) }), [2, 2]],
    ['hold time 1: 2/6', peerOpen({ holdTime: 1 }), [2, 6]],
    ['hold time 2: 2/6', peerOpen({ holdTime: 2 }), [2, 6]],
    ['BGP identifier 0: 2/3 (RFC 6286 §2.1)', peerOpen({ bgpIdentifier: '0.0.0.0' }), [2, 3]],
    [
      'our own identifier from an internal peer: 2/3 (RFC 6286 §2.1)',
      peerOpen({ asn: 65001, bgpIdentifier: LOCAL_ID, capabilities: [] }),
      [2, 3],
      { peerAs: 65001 },
    ],
    [
      'an optional parameter other than Capabilities: 2/4',
      (() => {
        const m = peerOpen({ capabilities: [] });
        const out = new Uint8Array(m.length + 3);
        out.set(m);
        out.set([1, 1, 0xaa], m.length);
        out[17] = out.length;
        out[28] = 3;
        return out;
      })(),
      [2, 4],
    ],
    [
      'a required capability missing: 2/7 listing it (RFC 5492 §3)',
      peerOpen({ capabilities: [] }),
      [2, 7, 65, 0],
      { requiredCapabilities: [65] },
    ],
    [
      'a parameter length disagreeing with the message length: 1/2 with the length',
      (() => {
        const m = peerOpen({ capabilities: [] });
        m[28] = 9;
        return m;
      })(),
      [1, 2, 0, 29],
    ],
  ];
  for (const [name, open, notification, cfg] of refusals) {
    it(`refuses ${name}, then closes and falls to Idle`, () => {
      const s = openSent(cfg);
      const effects = s.message(open);
      expect(notificationSent(effects)).toEqual(notification);
      expect(sent(effects)).toEqual([MessageType.NOTIFICATION]);
      expect(kinds(effects).join()).toContain('send,notification,stop-timer,close,state:Idle');
    });
  }

  it('accepts our own identifier from an external peer (RFC 6286 §2.1 applies to internal peers only)', () => {
    const s = openSent();
    s.message(peerOpen({ bgpIdentifier: LOCAL_ID }));
    expect(s.state).toBe('OpenConfirm');
  });

  it('accepts a 4-octet AS announced as AS_TRANS plus the capability (RFC 6793 §4.1)', () => {
    const s = openSent({ peerAs: 4_200_000_000 });
    s.message(peerOpen({ asn: 4_200_000_000, capabilities: caps(4_200_000_000) }));
    // encodeOpen put AS_TRANS in the 2-octet field; the capability carries the real AS.
    expect(decodeOpen(peerOpen({ asn: 4_200_000_000 }).subarray(HEADER_LENGTH)).asn).toBe(AS_TRANS);
    expect(s.state).toBe('OpenConfirm');
  });

  it('sends AS_TRANS in the 2-octet field when our AS needs 4 octets', () => {
    const s = new Script(config({ localAs: 4_200_000_000 }));
    const effects = s.send({ kind: 'tcp-connected', direction: 'outgoing' });
    const open = effects.find((e) => e.kind === 'send') as { messages: readonly Uint8Array[] };
    expect(decodeOpen((open.messages[0] as Uint8Array).subarray(HEADER_LENGTH)).asn).toBe(AS_TRANS);
  });

  it('a KEEPALIVE before the OPEN is an FSM error 5/1 (RFC 6608)', () => {
    const s = openSent();
    expect(notificationSent(s.message(encodeKeepalive()))).toEqual([5, 1]);
    expect(s.state).toBe('Idle');
  });

  it('HoldTimer expiry sends 4/0 (RFC 4271 §6.5)', () => {
    const s = openSent();
    expect(notificationSent(s.fire('hold'))).toEqual([4, 0]);
    expect(s.state).toBe('Idle');
  });

  it('a lost connection goes back to Active with the ConnectRetryTimer (Event 18)', () => {
    const s = openSent();
    const effects = s.send({ kind: 'tcp-failed' });
    expect(kinds(effects)).toEqual(['stop-timer', 'close', 'start-timer', 'state:Active']);
  });

  it('a NOTIFICATION is reported and answered with none (RFC 4271 §6.4)', () => {
    const s = openSent();
    const effects = s.message(encodeNotification(notification(2, 1, Uint8Array.of(0, 4))));
    expect(sent(effects)).toEqual([]);
    expect(effects[0]).toEqual({
      kind: 'notification',
      direction: 'received',
      code: 2,
      subcode: 1,
      data: Uint8Array.of(0, 4),
    });
    expect(s.state).toBe('Idle');
  });

  it('a header error from the framer sends its NOTIFICATION with its data (RFC 4271 §6.1)', () => {
    const s = openSent();
    const error = new BgpError('bad-message-length', 1, 2, Uint8Array.of(0x10, 0x01));
    expect(notificationSent(s.send({ kind: 'message-error', error }))).toEqual([1, 2, 0x10, 0x01]);
    expect(s.state).toBe('Idle');
  });

  it('ManualStop sends Cease 2 with the RFC 9003 Shutdown Communication', () => {
    const s = openSent();
    const effects = s.send({ kind: 'stop', text: 'maintenance' });
    expect(notificationSent(effects)).toEqual([6, 2, ...shutdownNotification(2, 'maintenance').data]);
    expect(s.result).toEqual({ reason: 'stopped' });
  });
});

describe('RFC 4271 §8.2.2 OpenConfirm', () => {
  it('KEEPALIVE restarts the HoldTimer and moves to Established', () => {
    const s = openConfirm();
    expect(kinds(s.message(encodeKeepalive()))).toEqual(['start-timer', 'state:Established']);
  });

  it('KeepaliveTimer expiry sends KEEPALIVE and restarts the timer', () => {
    const s = openConfirm();
    const effects = s.fire('keepalive');
    expect(sent(effects)).toEqual([MessageType.KEEPALIVE]);
    expect(s.running('keepalive')).toBe(true);
  });

  it('an UPDATE before the KEEPALIVE is an FSM error 5/2 (RFC 6608)', () => {
    const s = openConfirm();
    expect(
      notificationSent(s.message(Uint8Array.from([...new Uint8Array(16).fill(255), 0, 23, 2, 0, 0, 0, 0]))),
    ).toEqual([5, 2]);
  });

  it('a second OPEN on the same connection is an FSM error 5/2', () => {
    const s = openConfirm();
    expect(notificationSent(s.message(peerOpen()))).toEqual([5, 2]);
  });

  it('HoldTimer expiry sends 4/0', () => {
    const s = openConfirm();
    expect(notificationSent(s.fire('hold'))).toEqual([4, 0]);
  });

  it('a lost connection falls to Idle', () => {
    const s = openConfirm();
    s.send({ kind: 'tcp-failed' });
    expect(s.state).toBe('Idle');
  });

  it('a NOTIFICATION falls to Idle', () => {
    const s = openConfirm();
    s.message(cease(6, 2));
    expect(s.state).toBe('Idle');
  });

  it('losing a collision sends Cease 7 and ends the FSM (RFC 4271 §6.8)', () => {
    const s = openConfirm();
    expect(notificationSent(s.send({ kind: 'collision-lost' }))).toEqual([6, 7]);
    expect(s.result).toEqual({ reason: 'collision-lost' });
  });
});

describe('RFC 4271 §8.2.2 Established', () => {
  const update = Uint8Array.from([...new Uint8Array(16).fill(255), 0, 27, 2, 0, 0, 0, 4, 0x40, 1, 1, 0]);

  it('delivers an UPDATE and restarts the HoldTimer', () => {
    const s = established();
    const effects = s.message(update);
    expect(kinds(effects)).toEqual(['start-timer', 'deliver']);
    expect(effects[1]).toMatchObject({ kind: 'deliver', message: update });
  });

  it('passes UPDATEs through the configured decoder with the negotiated context', () => {
    const s = established({ decodeUpdate: (body, context) => ({ length: body.length, asn4: context.asn4 }) });
    expect(s.message(update)).toContainEqual(expect.objectContaining({ update: { length: 8, asn4: true } }));
  });

  it('a malformed UPDATE sends 3/1 and closes (RFC 4271 §6.3)', () => {
    const s = established();
    const bad = update.slice();
    bad[22] = 9; // total path attribute length 9 overruns the message
    expect(notificationSent(s.message(bad))).toEqual([3, 1]);
    expect(kinds(s.effects).join()).toContain('close,state:Idle');
  });

  it('KEEPALIVE restarts the HoldTimer', () => {
    const s = established();
    expect(kinds(s.message(encodeKeepalive()))).toEqual(['start-timer']);
  });

  it('an OPEN is an FSM error 5/3 (RFC 6608)', () => {
    const s = established();
    expect(notificationSent(s.message(peerOpen()))).toEqual([5, 3]);
  });

  it('a ROUTE-REFRESH for a negotiated family is handed on (RFC 2918 §4)', () => {
    const s = established();
    expect(s.message(encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 }))).toContainEqual({
      kind: 'route-refresh',
      request: { type: 'route-refresh', afi: 1, safi: 1, subtype: 0 },
    });
  });

  it('a ROUTE-REFRESH for a family not negotiated is ignored (RFC 2918 §4)', () => {
    const s = established();
    expect(kinds(s.message(encodeRouteRefresh({ type: 'route-refresh', afi: 2, safi: 1, subtype: 0 })))).toEqual([
      'start-timer',
    ]);
  });

  it('a ROUTE-REFRESH of the wrong length sends 7/1 with the message (RFC 7313 §5)', () => {
    const s = established();
    const rr = encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 });
    const long = Uint8Array.from([...rr, 0]);
    long[17] = 24;
    expect(notificationSent(s.message(long))).toEqual([7, 1, ...long]);
  });

  it('sends requested UPDATEs and restarts the KeepaliveTimer (RFC 4271 §10)', () => {
    const s = established();
    const effects = s.send({ kind: 'send-updates', messages: [update, update], ack: 3 });
    expect(effects[0]).toEqual({ kind: 'send', messages: [update, update], ack: 3 });
    expect(effects[1]).toMatchObject({ kind: 'start-timer', name: 'keepalive' });
  });

  it('sends a ROUTE-REFRESH on request', () => {
    const s = established();
    expect(sent(s.send({ kind: 'send-route-refresh', afi: 1, safi: 1 }))).toEqual([MessageType.ROUTE_REFRESH]);
  });

  it('rejects UPDATEs to send before Established', () => {
    const s = openConfirm();
    expect(s.send({ kind: 'send-updates', messages: [update], ack: 1 })).toEqual([
      { kind: 'reject', ack: 1, reason: 'session is OpenConfirm, not Established' },
    ]);
  });

  it('KeepaliveTimer expiry sends KEEPALIVE', () => {
    const s = established();
    expect(sent(s.fire('keepalive'))).toEqual([MessageType.KEEPALIVE]);
  });

  it('HoldTimer expiry sends 4/0 and closes', () => {
    const s = established();
    const effects = s.fire('hold');
    expect(notificationSent(effects)).toEqual([4, 0]);
    expect(kinds(effects)).toContain('close');
  });

  it('ignores a timer event from a timer since restarted', () => {
    const s = established();
    const stale = s.all.filter((e) => e.kind === 'start-timer' && e.name === 'hold').at(-1) as { id: number };
    s.message(encodeKeepalive());
    expect(s.send({ kind: 'timer', name: 'hold', id: stale.id })).toEqual([]);
    expect(s.state).toBe('Established');
  });

  it('ManualStop sends the configured Cease subcode and stops every timer', () => {
    const s = established();
    const effects = s.send({ kind: 'stop', subcode: 3 });
    expect(notificationSent(effects)).toEqual([6, 3]);
    expect(s.running('hold') || s.running('keepalive')).toBe(false);
    expect(s.result).toEqual({ reason: 'stopped' });
  });

  it('a lost connection falls to Idle and restarts later', () => {
    const s = established();
    s.send({ kind: 'tcp-failed' });
    expect(s.state).toBe('Idle');
    expect(s.running('idle-hold')).toBe(true);
  });
});

describe('RFC 4271 §8.2.2 the remaining transitions', () => {
  it('ManualStop in Active (waiting for the peer) ends the FSM without a NOTIFICATION', () => {
    const s = new Script(config({ passive: true }));
    expect(kinds(s.send({ kind: 'stop' }))).toEqual(['state:Idle']);
    expect(s.result).toEqual({ reason: 'stopped' });
  });

  it('ManualStop in OpenConfirm sends Cease 2 and closes', () => {
    const s = openConfirm();
    const effects = s.send({ kind: 'stop' });
    expect(notificationSent(effects)).toEqual([6, 2]);
    expect(kinds(effects)).toContain('close');
  });

  it('ManualStop while the IdleHoldTimer runs stops it and ends the FSM', () => {
    const s = established();
    s.send({ kind: 'tcp-failed' });
    expect(s.running('idle-hold')).toBe(true);
    expect(kinds(s.send({ kind: 'stop' }))).toEqual(['stop-timer']);
    expect(s.result).toEqual({ reason: 'stopped' });
  });

  it('losing a collision in OpenSent sends Cease 7 too', () => {
    const s = openSent();
    expect(notificationSent(s.send({ kind: 'collision-lost' }))).toEqual([6, 7]);
    expect(s.result).toEqual({ reason: 'collision-lost' });
  });

  it('a framing error in OpenConfirm and in Established sends its NOTIFICATION', () => {
    const error = new BgpError('connection-not-synchronized', 1, 1);
    expect(notificationSent(openConfirm().send({ kind: 'message-error', error }))).toEqual([1, 1]);
    expect(notificationSent(established().send({ kind: 'message-error', error }))).toEqual([1, 1]);
  });

  it('ignores a ROUTE-REFRESH of an unknown subtype (RFC 7313 §5)', () => {
    const s = established();
    const rr = encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 });
    rr[21] = 7;
    expect(kinds(s.message(rr))).toEqual(['start-timer']);
  });

  it('does not send a ROUTE-REFRESH before Established', () => {
    expect(openConfirm().send({ kind: 'send-route-refresh', afi: 1, safi: 1 })).toEqual([]);
  });

  it('ignores a second tcp-connected once a connection is up', () => {
    const s = openSent();
    expect(s.send({ kind: 'tcp-connected', direction: 'incoming' })).toEqual([]);
    expect(s.state).toBe('OpenSent');
  });

  // Drivers deliver a connection's messages only between its tcp-connected and its close: a message
  // without a connection is a driver fault, reported rather than dropped (the peer's OPEN would be lost).
  it('refuses a message while no connection is up, loudly, instead of dropping it', () => {
    const s = new Script(config());
    expect(s.state).toBe('Connect');
    expect(() => s.message(encodeKeepalive())).toThrow(/message received in Connect without a connection/);
  });

  it('refuses a framing error while no connection is up, loudly', () => {
    const s = new Script(config());
    expect(() => s.send({ kind: 'message-error', error: new BgpError('x', 1, 1) })).toThrow(
      /message-error received in Connect without a connection/,
    );
  });
});

describe('RFC 9003 Shutdown Communication', () => {
  it('is cut to 255 bytes of UTF-8 without splitting a character', () => {
    expect(truncateUtf8('hé', 255)).toBe('hé');
    const cut = truncateUtf8('é'.repeat(200), 255);
    expect(cut).toBe('é'.repeat(127));
    expect(shutdownNotification(2, cut).data[0]).toBe(254);
  });

  it('a long text is cut, not refused, when stopping', () => {
    const s = established();
    const effects = s.send({ kind: 'stop', text: 'x'.repeat(300) });
    expect(notificationSent(effects)?.slice(0, 3)).toEqual([6, 2, 255]);
  });
});
