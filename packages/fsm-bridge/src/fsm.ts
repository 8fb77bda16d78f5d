/**
 * The RFC 4271 §8 session FSM as a sans-I/O generator.
 *
 * The generator never touches a socket or a clock. It yields {@link Effect}s (send these bytes, start that
 * timer, open a connection, give me the next event) and is resumed by a driver: with `undefined` after every
 * effect except `receive`, which is resumed with the next {@link FsmEvent}. The same generator runs under the
 * reactor of transport-sync, the polling bridge and the effect bridge over transport-async; only the driver
 * differs, so the three produce the same messages for the same peer.
 *
 * One generator is one FSM for one peer. It starts as a ManualStart (Event 1, or Event 4 when passive) and
 * returns after a ManualStop or when its connection lost a collision (§6.8, decided by the driver's
 * coordinator, which sees every connection to the peer). After an error it falls to Idle and, unless
 * `idleHoldTime` is 0, starts again when the IdleHoldTimer fires (AutomaticStart, Event 3/5, §8.1.1).
 */
import {
  BgpError,
  type Capability,
  CeaseSubcode,
  type CodecContext,
  capabilityCode,
  decodeNotification,
  decodeOpen,
  decodeRouteRefresh,
  decodeUpdate,
  ErrorCode,
  encodeKeepalive,
  encodeNotification,
  encodeOpen,
  encodeRouteRefresh,
  FsmSubcode,
  MessageType,
  type Negotiated,
  negotiate,
  notification,
  type OpenMessage,
  OpenSubcode,
  openAsn,
  parseBgpIdentifier,
  type RouteRefreshMessage,
  RouteRefreshSubtype,
  shutdownNotification,
} from 'bgp-codec';

export type State = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** RFC 4271 §8: ConnectRetryTimer, HoldTimer, KeepaliveTimer; §8.1.1 IdleHoldTimer for automatic restart. */
export type TimerName = 'connect-retry' | 'hold' | 'keepalive' | 'idle-hold';

export interface FsmConfig {
  readonly localAs: number;
  readonly peerAs: number;
  /** Our BGP Identifier, dotted quad. */
  readonly routerId: string;
  /** The hold time we offer: 0 (no keepalives) or at least 3 seconds (RFC 4271 §4.2). */
  readonly holdTime: number;
  /** Seconds between KEEPALIVEs; a third of the negotiated hold time when absent (RFC 4271 §10). */
  readonly keepaliveTime?: number;
  /**
   * Capabilities our OPEN advertises. Without the 4-octet AS capability (RFC 6793) the session speaks 2-octet
   * AS numbers: a `localAs` above 65535 is then refused.
   */
  readonly capabilities: readonly Capability[];
  /** Send the OPEN's optional parameters in the RFC 9072 extended format even when they would fit in 255 bytes. */
  readonly extendedOptionalParameters?: boolean;
  /** Capability codes the peer must advertise, or the OPEN is refused with 2/7 (RFC 5492 §3). */
  readonly requiredCapabilities?: readonly number[];
  /** Never initiate a connection; wait in Active for the peer's (RFC 4271 §8.1.1 PassiveTcpEstablishment). */
  readonly passive?: boolean;
  /** Start in Active waiting for an incoming connection, whatever `passive` says (a collision's second FSM). */
  readonly acceptFirst?: boolean;
  /** ConnectRetryTime in seconds (RFC 4271 §10 suggests 120). */
  readonly connectRetryTime?: number;
  /** Seconds in Idle after an error before starting again; 0 stays in Idle until stopped. */
  readonly idleHoldTime?: number;
  /** The "large value" the HoldTimer gets while the OPEN is awaited (RFC 4271 §8.2.2 suggests 4 minutes). */
  readonly openHoldTime?: number;
  /**
   * Decode and check an UPDATE body once the session is Established: return what to deliver, throw a BgpError
   * for a session-resetting error (RFC 4271 §6.3, RFC 7606). Default: bgp-codec's decodeUpdate, which applies
   * RFC 7606 (attribute-discard and treat-as-withdraw are reported in the result, not thrown).
   */
  readonly decodeUpdate?: (body: Uint8Array, context: CodecContext, message: Uint8Array) => unknown;
}

export type FsmEvent =
  /** ManualStop (Event 2): Cease with this subcode (default 2, Administrative Shutdown) and RFC 9003 text. */
  | { readonly kind: 'stop'; readonly subcode?: number; readonly text?: string }
  /** A timer started with `start-timer` fired; `id` is the one the effect carried. */
  | { readonly kind: 'timer'; readonly name: TimerName; readonly id: number }
  /** Events 16/17: the connection asked for by `connect` is up, or the peer's was accepted. */
  | {
      readonly kind: 'tcp-connected';
      readonly direction: 'outgoing' | 'incoming';
      /** The connection's two ends, when the driver knows them (reported on the `connection` effect). */
      readonly endpoints?: Endpoints;
    }
  /** Event 18: the connection attempt failed, or the connection closed. */
  | { readonly kind: 'tcp-failed'; readonly reason?: string }
  /** A whole message; the views are valid until the FSM yields its next `receive`. */
  | { readonly kind: 'message'; readonly type: number; readonly body: Uint8Array; readonly message: Uint8Array }
  /** Events 21/22: the byte stream broke a header rule; the error carries the NOTIFICATION. */
  | { readonly kind: 'message-error'; readonly error: BgpError }
  /** Send these whole UPDATE messages (Established only); `ack` comes back on the `send` or `reject` effect. */
  | { readonly kind: 'send-updates'; readonly messages: readonly Uint8Array[]; readonly ack?: number }
  /**
   * Send a ROUTE-REFRESH (RFC 2918), or with `subtype` a BoRR (1) / EoRR (2) marker (RFC 7313 §4), in order
   * with the UPDATEs queued around it; `ack` comes back on the `send` or `reject` effect.
   */
  | {
      readonly kind: 'send-route-refresh';
      readonly afi: number;
      readonly safi: number;
      readonly subtype?: number;
      readonly ack?: number;
    }
  /** §6.8: the coordinator found this connection the loser of a collision. */
  | { readonly kind: 'collision-lost' };

/** Both ends of a TCP connection. */
export interface Endpoints {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export type Effect =
  | { readonly kind: 'state'; readonly from: State; readonly to: State }
  /** The connection the FSM now runs on (Events 16/17), when the driver reported its ends. */
  | { readonly kind: 'connection'; readonly endpoints: Endpoints }
  /** Event 18 with the transport's reason: the attempt failed or the connection was lost. */
  | { readonly kind: 'connection-failed'; readonly reason: string }
  /** Open a TCP connection to the peer; the outcome comes back as `tcp-connected` or `tcp-failed`. */
  | { readonly kind: 'connect' }
  /** Write these whole messages in order; drivers may resume before they reach the wire (the bytes are queued). */
  | { readonly kind: 'send'; readonly messages: readonly Uint8Array[]; readonly ack?: number }
  /** Resume the generator with the next event. */
  | { readonly kind: 'receive' }
  /** (Re)start a timer; when it fires, deliver `{kind:'timer', name, id}`. */
  | { readonly kind: 'start-timer'; readonly name: TimerName; readonly seconds: number; readonly id: number }
  | { readonly kind: 'stop-timer'; readonly name: TimerName }
  /** Drop the connection (or the attempt) once the messages already sent are flushed. */
  | { readonly kind: 'close' }
  /** The peer's OPEN passed every check (the collision point of §6.8). */
  | { readonly kind: 'open-received'; readonly open: OpenMessage; readonly negotiated: Negotiated }
  /** A received UPDATE, decoded by `decodeUpdate`; `message` is a view valid until the next `receive`. */
  | { readonly kind: 'deliver'; readonly update: unknown; readonly message: Uint8Array }
  /** The peer asked for our routes again (RFC 2918). */
  | { readonly kind: 'route-refresh'; readonly request: RouteRefreshMessage }
  | {
      readonly kind: 'notification';
      readonly direction: 'sent' | 'received';
      readonly code: number;
      readonly subcode: number;
      readonly data: Uint8Array;
    }
  /** A `send-updates` or acknowledged `send-route-refresh` event that arrived outside Established: nothing was sent. */
  | { readonly kind: 'reject'; readonly ack?: number; readonly reason: string };

export interface FsmResult {
  readonly reason: 'stopped' | 'collision-lost';
}

export type Fsm = Generator<Effect, FsmResult, FsmEvent | undefined>;

/**
 * Without the 4-octet AS capability the session speaks 2-octet AS numbers (RFC 6793 §4.1 is for NEW
 * speakers): an AS above 65535 could be neither sent in our OPEN nor matched in the peer's. RangeError.
 */
export function checkAsNumbers(config: Pick<FsmConfig, 'localAs' | 'peerAs' | 'capabilities'>): void {
  if (config.capabilities.some((c) => c.type === 'asn4')) return;
  if (config.localAs > 0xffff || config.peerAs > 0xffff) {
    const which = config.localAs > 0xffff ? `local AS ${config.localAs}` : `peer AS ${config.peerAs}`;
    throw new RangeError(`${which} needs 4 octets, but the 4-octet AS capability is off (RFC 6793)`);
  }
}

/** Start the FSM of one peer. */
export function bgpFsm(config: FsmConfig): Fsm {
  return new FsmRun(config).run();
}

type Outcome = 'stopped' | 'collision-lost' | 'error' | undefined;

class FsmRun {
  state: State = 'Idle';
  connected = false;
  negotiated: Negotiated | undefined;
  private readonly sentOpen: OpenMessage;
  private readonly bgpId: number;
  private readonly timerIds = new Map<TimerName, number>();
  private nextTimerId = 1;

  constructor(private readonly config: FsmConfig) {
    const h = config.holdTime;
    if (!Number.isInteger(h) || h < 0 || h > 0xffff || h === 1 || h === 2) {
      throw new RangeError(`hold time ${h}: must be 0 or 3..65535 seconds (RFC 4271 §4.2)`);
    }
    this.bgpId = parseBgpIdentifier(config.routerId);
    checkAsNumbers(config);
    // encodeOpen writes AS_TRANS in the 2-octet field when the AS needs 4 octets (RFC 6793 §4.1).
    this.sentOpen = {
      type: 'open',
      version: 4,
      asn: config.localAs,
      holdTime: h,
      bgpIdentifier: config.routerId,
      capabilities: config.capabilities,
      ...(config.extendedOptionalParameters ? { extendedOptionalParameters: true } : {}),
    };
  }

  *run(): Generator<Effect, FsmResult, FsmEvent | undefined> {
    let passiveStart = this.config.acceptFirst ?? this.config.passive ?? false;
    for (;;) {
      yield* this.start(passiveStart);
      const outcome = yield* this.loop();
      if (outcome === 'stopped' || outcome === 'collision-lost') return { reason: outcome };
      const idleHold = this.config.idleHoldTime ?? 5;
      if (!(yield* this.idleUntilRestart(idleHold))) return { reason: 'stopped' };
      passiveStart = this.config.passive ?? false;
    }
  }

  /** Events 1/3 (initiate) and 4/5 (passive) from Idle. */
  private *start(passive: boolean): Generator<Effect, void, FsmEvent | undefined> {
    if (passive) {
      yield* this.to('Active');
      return;
    }
    yield* this.startTimer('connect-retry', this.connectRetryTime);
    yield { kind: 'connect' };
    yield* this.to('Connect');
  }

  /** In Idle after an error: wait for the IdleHoldTimer (true: start again) or a ManualStop (false). */
  private *idleUntilRestart(seconds: number): Generator<Effect, boolean, FsmEvent | undefined> {
    if (seconds > 0) yield* this.startTimer('idle-hold', seconds);
    for (;;) {
      const event = yield* this.receive();
      if (event.kind === 'stop') {
        yield* this.stopTimer('idle-hold');
        return false;
      }
      if (event.kind === 'timer' && this.isCurrent(event)) return true;
      if (event.kind === 'send-updates') yield { kind: 'reject', ack: event.ack, reason: 'session is Idle' };
      // RFC 4271 §8.2.2 Idle: every other event is ignored (a late tcp-failed, a stale timer).
    }
  }

  private *loop(): Generator<Effect, Outcome, FsmEvent | undefined> {
    for (;;) {
      const event = yield* this.receive();
      const outcome = yield* this.handle(event);
      if (outcome !== undefined) return outcome;
    }
  }

  private *handle(event: FsmEvent): Generator<Effect, Outcome, FsmEvent | undefined> {
    switch (event.kind) {
      case 'stop':
        return yield* this.manualStop(event.subcode ?? CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, event.text);
      case 'collision-lost':
        return yield* this.fail(
          ErrorCode.CEASE,
          CeaseSubcode.CONNECTION_COLLISION_RESOLUTION,
          undefined,
          'collision-lost',
        );
      case 'timer':
        if (!this.isCurrent(event)) return undefined;
        this.timerIds.delete(event.name);
        return yield* this.timerFired(event.name);
      case 'tcp-connected':
        return yield* this.connectionUp(event.endpoints);
      case 'tcp-failed':
        if (event.reason !== undefined) yield { kind: 'connection-failed', reason: event.reason };
        return yield* this.connectionFailed();
      case 'message-error':
        this.assertConnected(event.kind);
        return yield* this.fail(event.error.code, event.error.subcode, event.error.data);
      case 'message':
        this.assertConnected(event.kind);
        return yield* this.message(event.type, event.body, event.message);
      case 'send-updates':
        if (this.state !== 'Established') {
          yield { kind: 'reject', ack: event.ack, reason: `session is ${this.state}, not Established` };
          return undefined;
        }
        yield { kind: 'send', messages: event.messages, ack: event.ack };
        // RFC 4271 §10: each UPDATE or KEEPALIVE sent restarts the KeepaliveTimer.
        yield* this.restartKeepalive();
        return undefined;
      case 'send-route-refresh': {
        const { afi, safi, subtype = RouteRefreshSubtype.NORMAL, ack } = event;
        if (this.state !== 'Established') {
          if (ack !== undefined) yield { kind: 'reject', ack, reason: `session is ${this.state}, not Established` };
          return undefined;
        }
        const messages = [encodeRouteRefresh({ type: 'route-refresh', afi, safi, subtype })];
        yield ack !== undefined ? { kind: 'send', messages, ack } : { kind: 'send', messages };
        return undefined;
      }
    }
  }

  /**
   * A driver hands the FSM a connection's messages only after its `tcp-connected` and never after the
   * `close` of that connection (it discards what a dropped connection still held). A message without a
   * connection is therefore a driver fault; ignoring it would silently lose the peer's bytes (its OPEN, then
   * a 5/1 for its KEEPALIVE), so it stops the FSM with an error instead.
   */
  private assertConnected(kind: 'message' | 'message-error'): void {
    if (!this.connected) {
      throw new Error(`fsm: ${kind} received in ${this.state} without a connection (the driver broke the event order)`);
    }
  }

  private *manualStop(subcode: number, text: string | undefined): Generator<Effect, Outcome, FsmEvent | undefined> {
    // RFC 4271 §8.2.2: in Connect and Active ManualStop drops the attempt; from OpenSent on a Cease is sent.
    if (this.connected && this.state !== 'Connect' && this.state !== 'Active') {
      const withText =
        text !== undefined &&
        (subcode === CeaseSubcode.ADMINISTRATIVE_SHUTDOWN || subcode === CeaseSubcode.ADMINISTRATIVE_RESET);
      const data = withText ? shutdownNotification(subcode, truncateUtf8(text, 255)).data : undefined;
      yield* this.notify(ErrorCode.CEASE, subcode, data);
    }
    yield* this.dropToIdle();
    return 'stopped';
  }

  private *timerFired(name: TimerName): Generator<Effect, Outcome, FsmEvent | undefined> {
    switch (name) {
      case 'connect-retry':
        if (this.state === 'Connect') {
          // Event 9 in Connect: give up this attempt and try again (the connect timeout).
          yield { kind: 'close' };
          yield* this.startTimer('connect-retry', this.connectRetryTime);
          yield { kind: 'connect' };
        } else if (this.state === 'Active' && !this.config.passive) {
          yield* this.startTimer('connect-retry', this.connectRetryTime);
          yield { kind: 'connect' };
          yield* this.to('Connect');
        }
        return undefined;
      case 'hold':
        // Event 10: RFC 4271 §6.5 Hold Timer Expired, 4/0.
        if (this.connected) return yield* this.fail(ErrorCode.HOLD_TIMER_EXPIRED, 0);
        return undefined;
      case 'keepalive':
        if (this.state === 'OpenConfirm' || this.state === 'Established') {
          yield { kind: 'send', messages: [encodeKeepalive()] };
          yield* this.restartKeepalive();
        }
        return undefined;
      case 'idle-hold':
        return undefined;
    }
  }

  private *connectionUp(endpoints: Endpoints | undefined): Generator<Effect, Outcome, FsmEvent | undefined> {
    if (this.state !== 'Connect' && this.state !== 'Active') {
      // The coordinator gives a busy FSM no second connection; one that slips through is refused here.
      return undefined;
    }
    this.connected = true;
    if (endpoints !== undefined) yield { kind: 'connection', endpoints };
    yield* this.stopTimer('connect-retry');
    yield { kind: 'send', messages: [encodeOpen(this.sentOpen)] };
    yield* this.startTimer('hold', this.config.openHoldTime ?? 240);
    yield* this.to('OpenSent');
    return undefined;
  }

  private *connectionFailed(): Generator<Effect, Outcome, FsmEvent | undefined> {
    switch (this.state) {
      case 'Connect':
      case 'Active':
      case 'OpenSent':
        // Event 18 in Connect/OpenSent: back to Active and try again when the ConnectRetryTimer fires
        // (RFC 4271 §8.2.2; Connect follows its DelayOpen branch so a refused connection is retried, not reset).
        this.connected = false;
        yield* this.stopSessionTimers();
        yield { kind: 'close' };
        if (!this.config.passive) yield* this.startTimer('connect-retry', this.connectRetryTime);
        yield* this.to('Active');
        return undefined;
      default:
        this.connected = false;
        yield* this.dropToIdle();
        return 'error';
    }
  }

  private *message(
    type: number,
    body: Uint8Array,
    message: Uint8Array,
  ): Generator<Effect, Outcome, FsmEvent | undefined> {
    if (type === MessageType.NOTIFICATION) {
      // Events 24/25: no NOTIFICATION is ever sent in answer to one (RFC 4271 §6.4).
      // The framer guarantees code and subcode (21 bytes at least); a NOTIFICATION is never answered anyway.
      const n = body.length >= 2 ? decodeNotification(body) : notification(0, 0);
      yield { kind: 'notification', direction: 'received', code: n.code, subcode: n.subcode, data: n.data };
      yield* this.dropToIdle();
      return 'error';
    }
    switch (this.state) {
      case 'OpenSent':
        if (type === MessageType.OPEN) return yield* this.openReceived(body);
        return yield* this.fail(ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT);
      case 'OpenConfirm':
        if (type === MessageType.KEEPALIVE) {
          yield* this.restartHold();
          yield* this.to('Established');
          return undefined;
        }
        return yield* this.fail(ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM);
      case 'Established':
        return yield* this.established(type, body, message);
      default:
        return undefined;
    }
  }

  private *established(
    type: number,
    body: Uint8Array,
    message: Uint8Array,
  ): Generator<Effect, Outcome, FsmEvent | undefined> {
    const negotiated = this.negotiated as Negotiated;
    switch (type) {
      case MessageType.KEEPALIVE:
        yield* this.restartHold();
        return undefined;
      case MessageType.UPDATE: {
        yield* this.restartHold();
        let update: unknown;
        try {
          update = this.config.decodeUpdate
            ? this.config.decodeUpdate(body, negotiated.context, message)
            : decodeUpdate(body, negotiated.context);
        } catch (error) {
          if (error instanceof BgpError) return yield* this.fail(error.code, error.subcode, error.data);
          throw error;
        }
        yield { kind: 'deliver', update, message };
        return undefined;
      }
      case MessageType.ROUTE_REFRESH: {
        yield* this.restartHold();
        let request: RouteRefreshMessage;
        try {
          request = decodeRouteRefresh(body);
        } catch (error) {
          if (error instanceof BgpError) return yield* this.fail(error.code, error.subcode, error.data);
          throw error;
        }
        // RFC 2918 §4: a refresh for a family that was not negotiated is ignored; so is an unknown subtype
        // (RFC 7313 §5).
        const known = request.subtype <= RouteRefreshSubtype.END;
        const negotiatedFamily = negotiated.families.some((f) => f.afi === request.afi && f.safi === request.safi);
        if (known && negotiatedFamily) yield { kind: 'route-refresh', request };
        return undefined;
      }
      default:
        // An OPEN (or a type the framer let through) in Established: RFC 6608 5/3.
        return yield* this.fail(ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED);
    }
  }

  /** RFC 4271 §6.2 in its order (version, AS, hold time, identifier, parameters), then RFC 5492 §3. */
  private *openReceived(body: Uint8Array): Generator<Effect, Outcome, FsmEvent | undefined> {
    let open: OpenMessage;
    try {
      open = decodeOpen(body);
    } catch (error) {
      if (error instanceof BgpError) return yield* this.fail(error.code, error.subcode, error.data);
      throw error;
    }
    const problem = this.checkOpen(open);
    if (problem) return yield* this.fail(ErrorCode.OPEN_MESSAGE, problem.subcode, problem.data);
    const negotiated = negotiate(this.sentOpen, open);
    this.negotiated = negotiated;
    yield { kind: 'open-received', open, negotiated };
    yield { kind: 'send', messages: [encodeKeepalive()] };
    if (negotiated.holdTime > 0) {
      yield* this.startTimer('hold', negotiated.holdTime);
      yield* this.restartKeepalive();
    } else {
      // RFC 4271 §4.2: a hold time of zero means neither timer runs.
      yield* this.stopTimer('hold');
      yield* this.stopTimer('keepalive');
    }
    yield* this.to('OpenConfirm');
    return undefined;
  }

  private checkOpen(open: OpenMessage): { subcode: number; data?: Uint8Array } | undefined {
    // decodeOpen already refused a version other than 4 with 2/1 (RFC 4271 §6.2).
    // RFC 6793 §4.1: a 4-octet AS capability carries the real AS; the 2-octet field is then AS_TRANS.
    if (openAsn(open) !== this.config.peerAs) return { subcode: OpenSubcode.BAD_PEER_AS };
    if (open.holdTime === 1 || open.holdTime === 2) return { subcode: OpenSubcode.UNACCEPTABLE_HOLD_TIME };
    // RFC 6286 §2.1: zero is never valid; our own identifier is invalid from an internal peer.
    const internal = this.config.localAs === this.config.peerAs;
    const peerId = parseBgpIdentifier(open.bgpIdentifier);
    if (peerId === 0 || (internal && peerId === this.bgpId)) {
      return { subcode: OpenSubcode.BAD_BGP_IDENTIFIER };
    }
    const advertised = new Set(open.capabilities.map(capabilityCode));
    const missing = (this.config.requiredCapabilities ?? []).filter((code) => !advertised.has(code));
    if (missing.length > 0) {
      // RFC 5492 §3: the data lists the capabilities that caused the error.
      return {
        subcode: OpenSubcode.UNSUPPORTED_CAPABILITY,
        data: Uint8Array.from(missing.flatMap((code) => [code, 0])),
      };
    }
    return undefined;
  }

  /** Send the NOTIFICATION for an error, drop the connection and fall to Idle (RFC 4271 §6). */
  private *fail(
    code: number,
    subcode: number,
    data?: Uint8Array,
    outcome: Outcome = 'error',
  ): Generator<Effect, Outcome, FsmEvent | undefined> {
    if (this.connected) yield* this.notify(code, subcode, data);
    yield* this.dropToIdle();
    return outcome;
  }

  private *notify(
    code: number,
    subcode: number,
    data: Uint8Array = new Uint8Array(0),
  ): Generator<Effect, void, FsmEvent | undefined> {
    const context = this.negotiated?.context;
    yield { kind: 'send', messages: [encodeNotification(notification(code, subcode, data), context)] };
    yield { kind: 'notification', direction: 'sent', code, subcode, data };
  }

  private *dropToIdle(): Generator<Effect, void, FsmEvent | undefined> {
    yield* this.stopSessionTimers();
    yield* this.stopTimer('connect-retry');
    if (this.connected || this.state === 'Connect') yield { kind: 'close' };
    this.connected = false;
    this.negotiated = undefined;
    yield* this.to('Idle');
  }

  private *stopSessionTimers(): Generator<Effect, void, FsmEvent | undefined> {
    yield* this.stopTimer('hold');
    yield* this.stopTimer('keepalive');
  }

  private *restartHold(): Generator<Effect, void, FsmEvent | undefined> {
    const hold = this.negotiated?.holdTime ?? 0;
    if (hold > 0) yield* this.startTimer('hold', hold);
  }

  private *restartKeepalive(): Generator<Effect, void, FsmEvent | undefined> {
    const hold = this.negotiated?.holdTime ?? 0;
    if (hold === 0) return;
    const keepalive = this.config.keepaliveTime ?? Math.max(1, this.negotiated?.keepaliveTime ?? 0);
    yield* this.startTimer('keepalive', Math.min(keepalive, hold));
  }

  private *startTimer(name: TimerName, seconds: number): Generator<Effect, void, FsmEvent | undefined> {
    const id = this.nextTimerId++;
    this.timerIds.set(name, id);
    yield { kind: 'start-timer', name, seconds, id };
  }

  private *stopTimer(name: TimerName): Generator<Effect, void, FsmEvent | undefined> {
    if (!this.timerIds.delete(name)) return;
    yield { kind: 'stop-timer', name };
  }

  /** A timer event counts only if it is the last start of that timer (a stop or restart makes it stale). */
  private isCurrent(event: { name: TimerName; id: number }): boolean {
    return this.timerIds.get(event.name) === event.id;
  }

  private get connectRetryTime(): number {
    return this.config.connectRetryTime ?? 120;
  }

  private *to(next: State): Generator<Effect, void, FsmEvent | undefined> {
    if (next === this.state) return;
    const from = this.state;
    this.state = next;
    yield { kind: 'state', from, to: next };
  }

  private *receive(): Generator<Effect, FsmEvent, FsmEvent | undefined> {
    const event = yield { kind: 'receive' };
    if (event === undefined) throw new TypeError('the FSM was resumed without an event after a receive effect');
    return event;
  }
}

/** Cut `text` to at most `max` bytes of UTF-8 without splitting a character (RFC 9003 allows 255). */
export function truncateUtf8(text: string, max: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return text;
  let end = max;
  // Back off over continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
