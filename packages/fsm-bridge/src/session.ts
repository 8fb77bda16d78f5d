/**
 * A BGP session to one peer, whatever the driver: the API the runner, the bench and the `speak` command use.
 *
 * The session builds the FSM configuration, runs the FSM through the chosen driver, accepts the peer's
 * connections when it listens, resolves connection collisions (RFC 4271 §6.8) between its FSMs, and turns
 * the FSM's effects into callbacks, promises and an async iterator of received UPDATEs.
 */
import {
  type Capability,
  type CodecContext,
  MessageType,
  type Negotiated,
  parseBgpIdentifier,
  type RouteRefreshMessage,
} from 'bgp-codec';
import type { Driver, DriverListener, DriverName, IncomingConnection, Runner, RunnerHooks } from './driver.js';
import { createDriver } from './drivers/index.js';
import {
  bgpFsm,
  checkAsNumbers,
  type Effect,
  type Endpoints,
  type FsmConfig,
  type FsmResult,
  type State,
} from './fsm.js';

export interface SessionConfig {
  readonly localAs: number;
  readonly peerAs: number;
  /** Our BGP Identifier, dotted quad. */
  readonly routerId: string;
  readonly peerAddress: string;
  /** Default 179. */
  readonly peerPort?: number;
  /** Address to connect from and to listen on. */
  readonly localAddress?: string;
  /** Port to listen on when listening; 0 picks one (read `session.listenPort`). Default 179. */
  readonly localPort?: number;
  /** Seconds; 0 or at least 3. Default 90. */
  readonly holdTime?: number;
  /** Seconds between KEEPALIVEs; default a third of the negotiated hold time. */
  readonly keepaliveTime?: number;
  /** Address families to advertise (Multiprotocol, RFC 4760) as [afi, safi]; default IPv4 unicast. */
  readonly families?: ReadonlyArray<readonly [number, number]>;
  /** Advertise ROUTE-REFRESH (RFC 2918); default true. */
  readonly routeRefresh?: boolean;
  /** Advertise Extended Message (RFC 8654); default false. */
  readonly extendedMessage?: boolean;
  /**
   * Advertise the 4-octet AS capability (RFC 6793); default true. Off, the session speaks 2-octet AS
   * numbers (AS_PATH included): an AS above 65535 on either side is refused when the session is created.
   */
  readonly asn4?: boolean;
  /** Send our OPEN's optional parameters in the RFC 9072 extended format even when they fit in 255 bytes. */
  readonly extendedOptionalParameters?: boolean;
  /** More capabilities to advertise (bgp-codec's typed capabilities: add-path, graceful-restart...). */
  readonly capabilities?: readonly Capability[];
  /** Capability codes the peer must advertise (else 2/7). */
  readonly requiredCapabilities?: readonly number[];
  /** Never connect; only accept the peer's connection. */
  readonly passive?: boolean;
  /** Accept connections from the peer on localAddress:localPort; default: when passive. */
  readonly listen?: boolean;
  /** RFC 4271 ConnectRetryTime, seconds; default 120. */
  readonly connectRetryTime?: number;
  /** Seconds in Idle after an error before starting again; 0 stays down. Default 5. */
  readonly idleHoldTime?: number;
  /** How long a TCP connection attempt may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

export interface ReceivedUpdate {
  /** What `decodeUpdate` returned (undefined with the default length check). */
  readonly update: unknown;
  /** The whole UPDATE message, a copy the receiver may keep. */
  readonly message: Uint8Array;
}

export interface NotificationRecord {
  readonly direction: 'sent' | 'received';
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export interface SessionOptions {
  /** A driver name, or a driver instance to share (several sessions on one reactor). Default 'bridge-effect'. */
  readonly driver?: DriverName | Driver;
  readonly onUpdate?: (update: ReceivedUpdate, session: Session) => void;
  /** The peer asked for our routes again (RFC 2918): send them with sendUpdates. */
  readonly onRouteRefresh?: (request: RouteRefreshMessage, session: Session) => void;
  readonly onStateChange?: (from: State, to: State, session: Session) => void;
  readonly onNotification?: (notification: NotificationRecord, session: Session) => void;
  /** Decode each received UPDATE (bgp-codec's decoder); throw a BgpError to reset the session. */
  readonly decodeUpdate?: (body: Uint8Array, context: CodecContext, message: Uint8Array) => unknown;
  /**
   * Every message sent (once handed to the transport) and received (before the FSM sees it), with its type:
   * for traces, KEEPALIVE timing, `--print-received`. `message` is a view: copy what you keep.
   */
  readonly onMessage?: (direction: 'sent' | 'received', type: number, message: Uint8Array, session: Session) => void;
  /**
   * Keep received UPDATEs for {@link Session.updates}; default: when there is no `onUpdate`. The buffer is
   * bounded: past UPDATE_BUFFER_HIGH UPDATEs not yet taken the session stops reading the connection (TCP
   * flow control holds the peer back) until the iterator has taken them down to UPDATE_BUFFER_LOW. A consumer
   * that stops for longer than the hold time lets the hold timer expire, as RFC 4271 wants.
   */
  readonly iterateUpdates?: boolean;
}

/** One FSM of the session: the main one, or the second of a connection collision. */
interface FsmRun {
  readonly runner: Runner;
  state: State;
  /** Who opened its current connection: the side that lost a collision is decided by it (§6.8). */
  direction: 'outgoing' | 'incoming';
  secondary: boolean;
  /** It reached OpenSent once: a second FSM that falls back from there is done. */
  opened: boolean;
  /** Its latest connection's ends. */
  endpoints?: Endpoints;
}

/**
 * What a session advertises (RFC 5492): Multiprotocol per family (RFC 4760), ROUTE-REFRESH (RFC 2918),
 * the 4-octet AS (RFC 6793) unless turned off, Extended Message when asked (RFC 8654), then any extra capabilities.
 */
export function sessionCapabilities(config: SessionConfig): Capability[] {
  const capabilities: Capability[] = (config.families ?? [[1, 1]]).map(([afi, safi]) => ({
    type: 'multiprotocol' as const,
    afi,
    safi,
  }));
  if (config.routeRefresh ?? true) capabilities.push({ type: 'route-refresh' });
  if (config.asn4 ?? true) capabilities.push({ type: 'asn4', asn: config.localAs });
  if (config.extendedMessage ?? false) capabilities.push({ type: 'extended-message' });
  capabilities.push(...(config.capabilities ?? []));
  return capabilities;
}

function sameAddress(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/^::ffff:/i, '').toLowerCase();
  return strip(a) === strip(b);
}

/** Start a session: it connects (unless passive) and listens (when asked) at once. */
export async function startSession(config: SessionConfig, options: SessionOptions = {}): Promise<Session> {
  const session = new Session(config, options);
  await session.start();
  return session;
}

/** Received UPDATEs buffered for the iterator before the session stops reading, and where it resumes. */
export const UPDATE_BUFFER_HIGH = 4096;
export const UPDATE_BUFFER_LOW = 1024;

/** ExaBGP writes up to 25 UPDATEs per peer per reactor pass: one batch, one write. */
const BATCH = 25;
/**
 * Batches queued ahead of the FSM. Under the reactor the producer only refills between turns, so the window
 * must hold a turn's worth of sending (16 x 25 messages, well under 100 KB of one-route UPDATEs).
 */
const WINDOW = 16;

export class Session {
  readonly driver: Driver;
  readonly notifications: NotificationRecord[] = [];
  /** Every state the session went through, in order (the main FSM's, collisions resolved). */
  readonly states: State[] = ['Idle'];
  readonly counters = { updatesReceived: 0, updatesSent: 0, messagesReceived: 0 };
  negotiated: Negotiated | undefined;
  /**
   * Why the last connection attempt failed or the last connection was lost, as the transport said it
   * (refused, timed out, reset, closed by the peer); NOTIFICATIONs are in {@link notifications}.
   */
  lastError: string | undefined;
  private readonly fsmConfig: FsmConfig;
  private readonly hooksTarget: RunnerHooks['target'];
  private readonly ownsDriver: boolean;
  private main: FsmRun | undefined;
  private readonly runs = new Set<FsmRun>();
  private listener: DriverListener | undefined;
  private stopping = false;
  private nextAck = 1;
  private readonly acks = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private stateWaiters: Array<{ state: State; resolve: () => void }> = [];
  private readonly received: ReceivedUpdate[] = [];
  private receivedWaiter: (() => void) | undefined;
  private ended = false;
  private onFirstState: (() => void) | undefined;
  private readingPaused = false;

  constructor(
    readonly config: SessionConfig,
    private readonly options: SessionOptions = {},
  ) {
    // Refuse a bad router id here, with its value, rather than when the FSM starts.
    parseBgpIdentifier(config.routerId);
    const driver = options.driver ?? 'bridge-effect';
    this.driver = typeof driver === 'string' ? createDriver(driver) : driver;
    this.ownsDriver = typeof driver === 'string';
    this.fsmConfig = {
      localAs: config.localAs,
      peerAs: config.peerAs,
      routerId: config.routerId,
      holdTime: config.holdTime ?? 90,
      capabilities: sessionCapabilities(config),
      ...(config.extendedOptionalParameters ? { extendedOptionalParameters: true } : {}),
      passive: config.passive ?? false,
      connectRetryTime: config.connectRetryTime ?? 120,
      idleHoldTime: config.idleHoldTime ?? 5,
      ...(config.keepaliveTime !== undefined ? { keepaliveTime: config.keepaliveTime } : {}),
      ...(config.requiredCapabilities ? { requiredCapabilities: config.requiredCapabilities } : {}),
      ...(options.decodeUpdate ? { decodeUpdate: options.decodeUpdate } : {}),
    };
    checkAsNumbers(this.fsmConfig);
    this.hooksTarget = {
      host: config.peerAddress,
      port: config.peerPort ?? 179,
      timeoutMs: config.connectTimeoutMs ?? 5000,
      ...(config.localAddress !== undefined ? { localAddress: config.localAddress } : {}),
    };
  }

  /** The main FSM's state. */
  get state(): State {
    return this.main?.state ?? 'Idle';
  }

  /** The main FSM's connection: its local and remote address and port (undefined before the first one). */
  get endpoints(): Endpoints | undefined {
    return this.main?.endpoints;
  }

  /** The local address of the main FSM's connection (the address the peer sees), once connected. */
  get localAddress(): string | undefined {
    return this.endpoints?.localAddress;
  }

  /** The local port of the main FSM's connection, once connected. */
  get localPort(): number | undefined {
    return this.endpoints?.localPort;
  }

  /** The port the session listens on (0 when it does not listen). */
  get listenPort(): number {
    return this.listener?.port ?? 0;
  }

  /** UPDATEs received and not yet taken from {@link Session.updates}. */
  get bufferedUpdates(): number {
    return this.received.length;
  }

  /** FSMs running (2 during a connection collision). */
  get fsmCount(): number {
    return this.runs.size;
  }

  /** Listen (when configured) and start the main FSM. */
  async start(): Promise<void> {
    if (this.main) return;
    if (this.config.listen ?? this.config.passive ?? false) {
      this.listener = await this.driver.listen(
        { host: this.config.localAddress ?? '::', port: this.config.localPort ?? 179 },
        (connection) => this.accept(connection),
      );
    }
    const started = new Promise<void>((resolve) => {
      this.onFirstState = resolve;
    });
    this.spawn(this.fsmConfig, false);
    // The reactor runs its tasks on its next turn: wait for ManualStart to be processed (Connect or Active).
    await started;
  }

  /** Resolves once the session is in `state` (at once if it is); rejects after `timeoutMs`. */
  waitFor(state: State, timeoutMs = 30_000): Promise<void> {
    if (this.state === state) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stateWaiters = this.stateWaiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`session to ${this.config.peerAddress} not ${state} after ${timeoutMs} ms (it is ${this.state})`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.stateWaiters.push({ state, resolve: done });
    });
  }

  established(timeoutMs?: number): Promise<void> {
    return this.waitFor('Established', timeoutMs);
  }

  /** Send one UPDATE (a whole message, header included); resolves once the transport took it. */
  sendUpdate(message: Uint8Array): Promise<number> {
    return this.sendUpdates([message]);
  }

  /**
   * Send UPDATEs in order, in batches of `batch` messages (one write each), with at most `window` batches
   * queued ahead of the transport: a slow peer slows the producer instead of filling memory. Resolves with
   * the count sent; rejects if the session leaves Established before all were handed to the transport.
   * A number as second argument is the batch size.
   */
  async sendUpdates(
    messages: Iterable<Uint8Array>,
    batchOrOptions: number | { batch?: number; window?: number } = {},
  ): Promise<number> {
    const options = typeof batchOrOptions === 'number' ? { batch: batchOrOptions } : batchOrOptions;
    const batch = Math.max(1, options.batch ?? BATCH);
    const window = Math.max(1, options.window ?? WINDOW);
    const inFlight: Promise<void>[] = [];
    let count = 0;
    let chunk: Uint8Array[] = [];
    const flush = async () => {
      const sent = this.post(chunk);
      // Every batch fails when the session leaves Established; the first awaited failure is the one reported.
      sent.catch(() => undefined);
      chunk = [];
      inFlight.push(sent);
      if (inFlight.length >= window) await inFlight.shift();
    };
    for (const message of messages) {
      chunk.push(message);
      count++;
      if (chunk.length >= batch) await flush();
    }
    if (chunk.length > 0) await flush();
    await Promise.all(inFlight);
    return count;
  }

  /**
   * Ask the peer to send its routes of one family again (RFC 2918), or with `subtype` send the BoRR (1) or
   * EoRR (2) that frames our own re-advertisement (RFC 7313 §4): it leaves in order with the UPDATEs queued
   * before and after it. Resolves once the transport took it; rejects outside Established (a caller that
   * does not wait for it is not left with an unhandled rejection).
   */
  sendRouteRefresh(afi: number, safi: number, subtype?: number): Promise<void> {
    const main = this.main;
    let sent: Promise<void>;
    if (main === undefined || this.stopping) sent = Promise.reject(new Error('the session is not running'));
    else {
      const ack = this.nextAck++;
      sent = new Promise<void>((resolve, reject) => {
        this.acks.set(ack, { resolve, reject });
        const event = { kind: 'send-route-refresh', afi, safi, ack } as const;
        main.runner.post(subtype !== undefined ? { ...event, subtype } : event);
      });
    }
    sent.catch(() => undefined);
    return sent;
  }

  /** Received UPDATEs, in order, until the session stops. */
  async *updates(): AsyncGenerator<ReceivedUpdate, void, undefined> {
    for (;;) {
      const next = this.received.shift();
      if (next !== undefined) {
        if (this.readingPaused && this.received.length <= UPDATE_BUFFER_LOW) this.pauseReading(false);
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.receivedWaiter = resolve;
      });
    }
  }

  /**
   * ManualStop: a Cease NOTIFICATION (subcode 2 Administrative Shutdown unless told otherwise, with the
   * RFC 9003 text), the connection closed, the listener closed. Resolves when everything is released.
   */
  async stop(options: { subcode?: number; text?: string } = {}): Promise<void> {
    this.stopping = true;
    this.listener?.close();
    this.listener = undefined;
    const done = [...this.runs].map((run) => {
      run.runner.post({
        kind: 'stop',
        ...(options.subcode !== undefined ? { subcode: options.subcode } : {}),
        ...(options.text !== undefined ? { text: options.text } : {}),
      });
      return run.runner.done.catch(() => undefined);
    });
    await Promise.all(done);
    this.finish();
  }

  /** Tear down at once without a NOTIFICATION (sockets reset): for failures and test cleanup. */
  destroy(): void {
    this.stopping = true;
    this.listener?.close();
    this.listener = undefined;
    for (const run of this.runs) run.runner.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const ack of this.acks.values()) ack.reject(new Error('the session stopped'));
    this.acks.clear();
    this.receivedWaiter?.();
    if (this.ownsDriver) this.driver.close();
  }

  private pauseReading(paused: boolean): void {
    this.readingPaused = paused;
    for (const run of this.runs) run.runner.pauseReading?.(paused);
  }

  private post(messages: Uint8Array[]): Promise<void> {
    const main = this.main;
    if (main === undefined || this.stopping) return Promise.reject(new Error('the session is not running'));
    const ack = this.nextAck++;
    return new Promise<void>((resolve, reject) => {
      this.acks.set(ack, { resolve, reject });
      main.runner.post({ kind: 'send-updates', messages, ack });
    });
  }

  private spawn(config: FsmConfig, secondary: boolean): FsmRun {
    const run: FsmRun = {
      runner: undefined as unknown as Runner,
      state: 'Idle',
      direction: 'outgoing',
      secondary,
      opened: false,
    };
    // Drivers may run the FSM's first steps at once: the session must know this FSM before they do.
    if (!secondary) this.main = run;
    this.runs.add(run);
    const hooks: RunnerHooks = {
      target: this.hooksTarget,
      observe: (effect) => this.observe(run, effect),
      received: (type, message) => {
        this.counters.messagesReceived++;
        this.options.onMessage?.('received', type, message, this);
      },
    };
    (run as { runner: Runner }).runner = this.driver.run(bgpFsm(config), hooks);
    run.runner.done.then(
      (result) => this.ended_(run, result),
      () => this.ended_(run, undefined),
    );
    return run;
  }

  private ended_(run: FsmRun, _result: FsmResult | undefined): void {
    this.runs.delete(run);
    if (run === this.main && !this.stopping) {
      // The main FSM lost a collision: the winner (if any) is already the main one; otherwise it stopped.
      const other = [...this.runs][0];
      if (other) this.main = other;
    }
  }

  private accept(connection: IncomingConnection): void {
    const main = this.main;
    if (this.stopping || main === undefined || !sameAddress(connection.remoteAddress, this.config.peerAddress)) {
      connection.reject();
      return;
    }
    if (main.state === 'Connect' || main.state === 'Active') {
      main.direction = 'incoming';
      main.runner.adopt(connection);
      return;
    }
    if (main.state === 'Idle' || this.runs.size > 1) {
      connection.reject();
      return;
    }
    // OpenSent, OpenConfirm or Established: a second FSM takes the connection; §6.8 decides at its OPEN.
    const second = this.spawn({ ...this.fsmConfig, acceptFirst: true }, true);
    second.direction = 'incoming';
    second.runner.adopt(connection);
  }

  private observe(run: FsmRun, effect: Effect): void {
    switch (effect.kind) {
      case 'state':
        run.state = effect.to;
        if (effect.to === 'Connect') run.direction = 'outgoing';
        if (effect.to === 'OpenSent') run.opened = true;
        if (run.secondary && run.opened && (effect.to === 'Idle' || effect.to === 'Active')) {
          // A collision's second connection that failed before winning has nothing left to do.
          run.runner.post({ kind: 'stop' });
          return;
        }
        if (run === this.main) this.mainState(effect.from, effect.to);
        return;
      case 'open-received':
        this.collision(run, effect.negotiated);
        if (run === this.main) this.negotiated = effect.negotiated;
        return;
      case 'deliver': {
        this.counters.updatesReceived++;
        const update: ReceivedUpdate = { update: effect.update, message: effect.message.slice() };
        this.options.onUpdate?.(update, this);
        if (this.options.iterateUpdates ?? this.options.onUpdate === undefined) {
          this.received.push(update);
          if (!this.readingPaused && this.received.length >= UPDATE_BUFFER_HIGH) this.pauseReading(true);
          const waiter = this.receivedWaiter;
          this.receivedWaiter = undefined;
          waiter?.();
        }
        return;
      }
      case 'route-refresh':
        this.options.onRouteRefresh?.(effect.request, this);
        return;
      case 'connection':
        run.endpoints = effect.endpoints;
        return;
      case 'connection-failed':
        if (run === this.main) this.lastError = effect.reason;
        return;
      case 'notification': {
        const record: NotificationRecord = {
          direction: effect.direction,
          code: effect.code,
          subcode: effect.subcode,
          data: effect.data,
        };
        this.notifications.push(record);
        this.options.onNotification?.(record, this);
        return;
      }
      case 'send':
        if (this.options.onMessage) {
          for (const m of effect.messages) this.options.onMessage('sent', m[18] as number, m, this);
        }
        if (effect.ack !== undefined) {
          // A ROUTE-REFRESH is acknowledged too; only UPDATEs count.
          for (const m of effect.messages) if (m[18] === MessageType.UPDATE) this.counters.updatesSent++;
          this.acks.get(effect.ack)?.resolve();
          this.acks.delete(effect.ack);
        }
        return;
      case 'reject':
        if (effect.ack !== undefined) {
          this.acks.get(effect.ack)?.reject(new Error(`not sent: ${effect.reason}`));
          this.acks.delete(effect.ack);
        }
        return;
      default:
        return;
    }
  }

  /**
   * RFC 4271 §6.8: when an OPEN arrives, compare with the other connection if it is in OpenConfirm (its
   * peer identifier is known). The connection opened by the side with the lower BGP Identifier is closed
   * with Cease 7; a connection colliding with an Established one is the one closed.
   */
  private collision(run: FsmRun, negotiated: Negotiated): void {
    for (const other of this.runs) {
      if (other === run) continue;
      let loser: FsmRun | undefined;
      if (other.state === 'Established') loser = run;
      else if (other.state === 'OpenConfirm') {
        const localWins =
          parseBgpIdentifier(this.fsmConfig.routerId) > parseBgpIdentifier(negotiated.peerBgpIdentifier);
        // The higher identifier keeps the connection it opened.
        const keep: 'outgoing' | 'incoming' = localWins ? 'outgoing' : 'incoming';
        loser = run.direction === keep ? other : run;
      }
      if (loser === undefined) continue;
      const winner = loser === run ? other : run;
      loser.runner.post({ kind: 'collision-lost' });
      if (loser === this.main) {
        this.main = winner;
        winner.secondary = false;
        loser.secondary = true;
        this.mainState(this.states[this.states.length - 1] as State, winner.state);
      }
      return;
    }
  }

  private mainState(from: State, to: State): void {
    if (this.states[this.states.length - 1] !== to) this.states.push(to);
    this.onFirstState?.();
    this.onFirstState = undefined;
    if (from !== to) this.options.onStateChange?.(from, to, this);
    const waiting = this.stateWaiters;
    this.stateWaiters = [];
    for (const w of waiting) {
      if (w.state === to) w.resolve();
      else this.stateWaiters.push(w);
    }
  }
}
