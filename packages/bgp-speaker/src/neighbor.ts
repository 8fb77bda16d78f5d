/**
 * One neighbor of the speaker, as ExaBGP's Peer runs it: connect (or wait, when passive), announce the
 * configured routes and the End-of-RIBs once Established, answer ROUTE-REFRESH, keep the session up, and
 * after a failure start again after a delay that doubles up to a ceiling (reset once Established).
 */
import {
  familyName,
  type Negotiated,
  notificationName,
  type RouteRefreshMessage,
  RouteRefreshSubtype,
} from 'bgp-codec';
import { initialMessagesFor } from 'exabgp-config-parser';
import { type Driver, type NotificationRecord, Session, type SessionConfig, type State } from 'fsm-bridge';
import { PeerDriver, type SharedListeners } from './peer-driver.js';
import type { NeighborPlan } from './plan.js';
import { receivedJson } from './received-json.js';

/** Delays between attempts to bring a session up (seconds): the first, and the ceiling it doubles to. */
export interface RetrySettings {
  readonly initialSeconds: number;
  readonly maxSeconds: number;
}

/** ExaBGP waits a little before reconnecting and backs off up to a minute. */
export const DEFAULT_RETRY: RetrySettings = Object.freeze({ initialSeconds: 1, maxSeconds: 60 });

/** How long a clean stop (Cease, flush, close) may take before the connection is reset instead. */
const STOP_TIMEOUT_MS = 5000;

export interface NeighborEvents {
  /** A line for the log (stderr). */
  log(line: string): void;
  /** A line of ExaBGP JSON for a received message (`--print-received`); absent: nothing is rendered. */
  output?: (line: string) => void;
  /** The neighbor's routes and End-of-RIBs were handed to the transport (each time the session comes up). */
  announced(neighbor: NeighborSpeaker): void;
}

function notificationText(record: NotificationRecord): string {
  const data = record.data.length > 0 ? ` data ${Buffer.from(record.data.subarray(0, 64)).toString('hex')}` : '';
  return `NOTIFICATION ${record.direction} ${record.code}/${record.subcode} (${notificationName(record.code, record.subcode)})${data}`;
}

function sleep(ms: number, wake: (cancel: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class NeighborSpeaker {
  /** The current session's state. */
  state: State = 'Idle';
  /** Times the routes and End-of-RIBs were sent (once per session that reached Established). */
  announcements = 0;
  /** Messages received over every session so far. */
  messagesReceived = 0;
  /** The session running now (replaced after each failure of an active neighbor). */
  session: Session | undefined;
  readonly finished: Promise<void>;
  /** Resolves once the first session started: connecting, or listening when passive. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly driver: PeerDriver;
  private stopping = false;
  private destroyed = false;
  private delaySeconds: number;
  private cancelSleep: (() => void) | undefined;
  private attemptOver: ((reason: string) => void) | undefined;
  /** Sends to one session happen in order: the first announcement, then each refresh answer. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    readonly plan: NeighborPlan,
    shared: Driver,
    listeners: SharedListeners,
    private readonly events: NeighborEvents,
    private readonly retry: RetrySettings = DEFAULT_RETRY,
  ) {
    this.delaySeconds = retry.initialSeconds;
    this.ready = new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
    this.driver = new PeerDriver(shared, listeners, plan.neighbor.peerAddress, {
      received: (_type, message, context) => {
        this.messagesReceived++;
        const output = this.events.output;
        if (output === undefined) return;
        const rendered = receivedJson(message, context, this.jsonNeighbor(), this.messagesReceived);
        if ('line' in rendered) output(rendered.line);
        else this.log(`received message not printed: ${rendered.error}`);
      },
    });
    this.finished = this.run();
  }

  get name(): string {
    return this.plan.neighbor.peerAddress;
  }

  /** ManualStop: a Cease (6/2 Administrative Shutdown) on an open session, then nothing more. */
  stop(): Promise<void> {
    this.stopping = true;
    this.cancelSleep?.();
    this.attemptOver?.('stopped');
    return this.finished;
  }

  /** Stop at once, without a NOTIFICATION (the connection is reset). */
  destroy(): void {
    this.destroyed = true;
    this.session?.destroy();
    void this.stop();
  }

  private log(text: string): void {
    this.events.log(`neighbor ${this.name}: ${text}`);
  }

  private jsonNeighbor() {
    const { facts } = this.plan;
    return {
      // the address the connection really left from, once there is one (local-address auto)
      localAddress: this.session?.localAddress ?? facts.localAddress,
      peerAddress: this.plan.neighbor.peerAddress,
      localAs: this.session?.negotiated?.localAs ?? facts.localAs,
      peerAs: this.session?.negotiated?.peerAs ?? facts.peerAs,
      routerId: facts.routerId,
    };
  }

  private sessionConfig(): SessionConfig {
    const passive = this.plan.session.passive ?? false;
    // An active neighbor's FSM stays in Idle after an error (idle hold 0): this loop starts a new session
    // after its own, growing delay. A passive one goes back to Active and keeps listening.
    return passive ? { ...this.plan.session, idleHoldTime: 1 } : { ...this.plan.session, idleHoldTime: 0 };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const over = new Promise<string>((resolve) => {
        this.attemptOver = resolve;
      });
      const session = new Session(this.sessionConfig(), {
        driver: this.driver,
        iterateUpdates: false,
        onStateChange: (from, to, s) => this.stateChanged(s, from, to),
        onNotification: (record, s) => {
          if (s === this.session) this.log(notificationText(record));
        },
        onRouteRefresh: (request, s) => this.refresh(s, request),
      });
      this.session = session;
      this.work = Promise.resolve();
      try {
        await session.start();
      } catch (error) {
        this.attemptOver?.(`could not start: ${(error as Error).message}`);
      }
      this.markReady();
      const reason = await over;
      this.attemptOver = undefined;
      await this.release(session);
      if (this.stopping) break;
      const delay = this.delaySeconds;
      this.delaySeconds = Math.min(this.delaySeconds * 2, this.retry.maxSeconds);
      this.log(`${reason}; trying again in ${delay} s`);
      await sleep(delay * 1000, (cancel) => {
        this.cancelSleep = cancel;
      });
      this.cancelSleep = undefined;
    }
    this.state = 'Idle';
    this.markReady();
  }

  /** Stop a session cleanly (Cease when open), or reset it when that takes too long or a destroy was asked. */
  private async release(session: Session): Promise<void> {
    if (this.destroyed) {
      session.destroy();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
    });
    const outcome = await Promise.race([session.stop().then(() => 'stopped' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.log(`no clean stop after ${STOP_TIMEOUT_MS} ms: connection reset`);
      session.destroy();
    }
  }

  private stateChanged(session: Session, from: State, to: State): void {
    if (session !== this.session) return;
    this.state = to;
    this.log(`${from} -> ${to}`);
    if (to === 'Established') {
      this.delaySeconds = this.retry.initialSeconds;
      this.announce(session);
      return;
    }
    // An active neighbor's attempt failed: the connection was refused or lost, or the session fell to Idle.
    if (!(this.plan.session.passive ?? false) && (to === 'Active' || to === 'Idle')) {
      const why = session.lastError ? `: ${session.lastError}` : '';
      this.attemptOver?.(from === 'Connect' ? `connection failed${why}` : `session down (${from} -> ${to})${why}`);
    }
  }

  private enqueue(session: Session, what: string, task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      if (session === this.session && !this.stopping) this.log(`${what} interrupted: ${(error as Error).message}`);
    });
  }

  /** The configured routes, then one End-of-RIB per negotiated family (RFC 4724 §2), unless manual-eor. */
  private announce(session: Session): void {
    const negotiated = session.negotiated as Negotiated;
    const { neighbor, facts } = this.plan;
    this.enqueue(session, 'announcement', async () => {
      const sent = await session.sendUpdates(initialMessagesFor(neighbor, negotiated, facts));
      const eors = neighbor.manualEor ? 0 : negotiated.families.length;
      const families = negotiated.families.map((f) => familyName(f.afi, f.safi)).join(', ');
      this.log(
        `sent ${sent - eors} UPDATE(s)${eors > 0 ? ` and End-of-RIB for ${families || 'no family'}` : ' (manual-eor: no End-of-RIB)'}`,
      );
      this.announcements++;
      this.events.announced(this);
    });
  }

  /**
   * RFC 2918 §4: the peer asks for our routes of one family again: re-advertise them, then that family's
   * End-of-RIB; when enhanced route refresh was negotiated, between a BoRR and an EoRR instead (RFC 7313
   * §4). A BoRR/EoRR from the peer marks its own re-advertisement and asks nothing of us.
   */
  private refresh(session: Session, request: RouteRefreshMessage): void {
    if (session !== this.session || request.subtype !== RouteRefreshSubtype.NORMAL) return;
    const negotiated = session.negotiated;
    if (negotiated === undefined) return;
    const family = familyName(request.afi, request.safi);
    this.log(`ROUTE-REFRESH for ${family}: sending its routes again`);
    const scoped: Negotiated = { ...negotiated, families: [{ afi: request.afi, safi: request.safi }] };
    const { neighbor, facts } = this.plan;
    this.enqueue(session, 'route refresh answer', async () => {
      let sent: number;
      if (negotiated.enhancedRouteRefresh) {
        // The session sends the markers in order with the UPDATEs queued between them.
        const begin = session.sendRouteRefresh(request.afi, request.safi, RouteRefreshSubtype.BEGIN);
        sent = await session.sendUpdates(initialMessagesFor({ ...neighbor, manualEor: true }, scoped, facts));
        await begin;
        await session.sendRouteRefresh(request.afi, request.safi, RouteRefreshSubtype.END);
        this.log(`re-sent ${sent} UPDATE(s) for ${family} between BoRR and EoRR`);
      } else {
        sent = await session.sendUpdates(initialMessagesFor(neighbor, scoped, facts));
        const eor = neighbor.manualEor ? 0 : 1;
        this.log(`re-sent ${sent - eor} UPDATE(s)${eor ? ' and End-of-RIB' : ''} for ${family}`);
      }
    });
  }
}
