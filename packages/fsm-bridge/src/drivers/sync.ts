/**
 * The reactor driver: the FSM generator becomes one of transport-sync's reactor tasks, as a peer is one of
 * ExaBGP's reactor generators. Its timers are reactor timers, its connection a paused non-blocking socket.
 *
 * Bounded work per pass (ExaBGP's fairness): the task takes ONE event per pass (one inbound message, one
 * timer, or one batch of at most `outboundPerPass` UPDATEs queued by the session) and then yields, so a peer
 * streaming routes cannot keep the others' keepalive timers from running.
 */
import {
  type Connection,
  ConnectionClosed,
  connect,
  type Listener,
  listen,
  NOT_YET,
  ProtocolError,
  Reactor,
  type ReactorTask,
  type ReactorTimer,
  TransportError,
} from 'transport-sync';
import type { Driver, DriverListener, IncomingConnection, Runner, RunnerHooks } from '../driver.js';
import type { Effect, Endpoints, Fsm, FsmEvent, FsmResult, TimerName } from '../fsm.js';
import { EventQueue } from './event-queue.js';

/** What a task yields when it made progress (anything but NOT_YET means "run me again next pass"). */
const PROGRESS = 'progress';

function isConnectionEvent(event: FsmEvent): boolean {
  return event.kind === 'tcp-connected' || event.kind === 'tcp-failed';
}

function endpointsOf(connection: Connection): Endpoints {
  const { localAddress, localPort, remoteAddress, remotePort } = connection;
  return { localAddress, localPort, remoteAddress, remotePort };
}

class SyncIncoming implements IncomingConnection {
  constructor(readonly connection: Connection) {}
  get remoteAddress(): string {
    return this.connection.remoteAddress;
  }
  get remotePort(): number {
    return this.connection.remotePort;
  }
  reject(): void {
    this.connection.abort();
  }
}

export class SyncDriver implements Driver {
  readonly name = 'sync' as const;
  readonly reactor: Reactor;
  private readonly ownsReactor: boolean;

  constructor(reactor?: Reactor) {
    this.reactor = reactor ?? new Reactor();
    this.ownsReactor = reactor === undefined;
  }

  run(fsm: Fsm, hooks: RunnerHooks): Runner {
    return new SyncRunner(this.reactor, fsm, hooks);
  }

  async listen(
    options: { host: string; port: number },
    onConnection: (connection: IncomingConnection) => void,
  ): Promise<DriverListener> {
    const reactor = this.reactor;
    const listener: Listener = await reactor.run(listen({ host: options.host, port: options.port }, reactor));
    const accepting = reactor.spawn(
      (function* () {
        for (const connection of listener.accepted()) {
          if (connection === NOT_YET) yield NOT_YET;
          else {
            onConnection(new SyncIncoming(connection));
            yield PROGRESS;
          }
        }
      })(),
      'accept',
    );
    return {
      port: listener.port,
      close() {
        listener.close();
        accepting.cancel();
      },
    };
  }

  close(): void {
    if (this.ownsReactor) this.reactor.stop();
  }
}

class SyncRunner implements Runner {
  readonly done: Promise<FsmResult>;
  private readonly task: ReactorTask<FsmResult>;
  private readonly queue = new EventQueue();
  private connection: Connection | undefined;
  /** Bumped whenever the connection is dropped or replaced: results of older attempts are discarded. */
  private generation = 0;
  private connecting: ReactorTask<void> | undefined;
  private readable = false;
  private paused = false;
  private destroyed = false;
  private waitingForRoom: Extract<Effect, { kind: 'send' }>[] = [];
  private preferQueue = false;
  private readonly timers = new Map<TimerName, ReactorTimer>();
  private readonly timerIds = new Map<TimerName, number>();

  constructor(
    private readonly reactor: Reactor,
    private readonly fsm: Fsm,
    private readonly hooks: RunnerHooks,
  ) {
    this.task = reactor.spawn(this.run(), 'bgp-fsm');
    this.done = this.task.done;
  }

  post(event: FsmEvent): void {
    this.queue.push(event);
    this.task.wake();
  }

  adopt(incoming: IncomingConnection): void {
    this.dropConnection(false);
    const connection = (incoming as SyncIncoming).connection;
    this.setConnection(connection);
    this.post({ kind: 'tcp-connected', direction: 'incoming', endpoints: endpointsOf(connection) });
  }

  pauseReading(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.task.wake();
  }

  destroy(): void {
    this.destroyed = true;
    this.task.cancel(new Error('session destroyed'));
  }

  private *run(): Generator<unknown, FsmResult, undefined> {
    let input: FsmEvent | undefined;
    try {
      for (;;) {
        const step = this.fsm.next(input);
        input = undefined;
        if (step.done) return step.value;
        const effect = step.value;
        switch (effect.kind) {
          case 'receive':
            input = yield* this.nextEvent();
            break;
          case 'send':
            this.send(effect);
            break;
          case 'start-timer':
            this.startTimer(effect.name, effect.seconds, effect.id);
            break;
          case 'stop-timer':
            this.timers.get(effect.name)?.cancel();
            break;
          case 'connect':
            this.connect();
            break;
          case 'close':
            this.dropConnection(true);
            break;
          default:
            if (effect.kind === 'open-received' && effect.negotiated.context.extendedMessage) {
              this.connection?.setExtendedMessage(true);
            }
            this.hooks.observe(effect);
        }
      }
    } finally {
      for (const timer of this.timers.values()) timer.cancel();
      this.dropConnection(!this.destroyed);
    }
  }

  /** One event per pass; socket and queue take turns so neither starves the other. */
  private *nextEvent(): Generator<unknown, FsmEvent, undefined> {
    yield PROGRESS;
    for (;;) {
      this.releaseSends();
      if (this.preferQueue || !this.readable) {
        const queued = this.takeQueued();
        if (queued !== undefined) {
          this.preferQueue = false;
          return queued;
        }
      }
      const read = this.readSocket();
      if (read !== undefined) {
        this.preferQueue = true;
        return read;
      }
      const queued = this.takeQueued();
      if (queued !== undefined) return queued;
      yield NOT_YET;
    }
  }

  private readSocket(): FsmEvent | undefined {
    const connection = this.connection;
    if (connection === undefined || !this.readable || this.paused) return undefined;
    try {
      const frame = connection.poll();
      if (frame === NOT_YET) return undefined;
      this.hooks.received?.(frame.type, frame.message);
      return { kind: 'message', type: frame.type, body: frame.body, message: frame.message };
    } catch (error) {
      this.readable = false;
      if (error instanceof ProtocolError) return { kind: 'message-error', error: error.notification };
      if (error instanceof ConnectionClosed) return undefined;
      this.dropConnection(false);
      return { kind: 'tcp-failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Queue the messages on the socket at once and never wait for room: an FSM blocked on a full send buffer
   * reads nothing, so two speakers streaming to each other would each wait for the other to read (a
   * deadlock that also stops every timer). Backpressure goes to the producer instead: the effect (and its
   * ack) is handed back only once the socket drained below its mark.
   */
  private send(effect: Extract<Effect, { kind: 'send' }>): void {
    const connection = this.connection;
    if (connection !== undefined) {
      try {
        connection.write(effect.messages);
        if (this.waitingForRoom.length > 0 || !connection.writable()) {
          this.waitingForRoom.push(effect);
          return;
        }
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        // The reader sees the same failure and reports it as tcp-failed.
      }
    }
    this.hooks.observe(effect);
  }

  /** Hand back the sends that waited for room, once there is room (or no connection any more). */
  private releaseSends(): void {
    if (this.waitingForRoom.length === 0) return;
    try {
      if (this.connection !== undefined && !this.connection.writable()) return;
    } catch {
      // Closed or lost: release them; the reader reports the failure.
    }
    const released = this.waitingForRoom;
    this.waitingForRoom = [];
    for (const effect of released) this.hooks.observe(effect);
  }

  private startTimer(name: TimerName, seconds: number, id: number): void {
    this.timerIds.set(name, id);
    let timer = this.timers.get(name);
    if (timer === undefined) {
      timer = this.reactor.createTimer(() => {
        this.queue.push({ kind: 'timer', name, id: this.timerIds.get(name) as number });
      }, this.task as ReactorTask);
      this.timers.set(name, timer);
    }
    timer.restart(seconds * 1000);
  }

  private connect(): void {
    this.dropConnection(true);
    const generation = this.generation;
    const target = this.hooks.target;
    const self = this;
    this.connecting = this.reactor.spawn(
      (function* (): Generator<unknown, void, undefined> {
        let connection: Connection;
        try {
          connection = yield* connect(
            {
              host: target.host,
              port: target.port,
              timeoutMs: target.timeoutMs,
              ...(target.localAddress !== undefined ? { localAddress: target.localAddress } : {}),
            },
            self.reactor,
          );
        } catch (error) {
          if (generation === self.generation) {
            self.connecting = undefined;
            self.post({ kind: 'tcp-failed', reason: error instanceof Error ? error.message : String(error) });
          }
          return;
        }
        if (generation !== self.generation) {
          connection.abort();
          return;
        }
        self.connecting = undefined;
        self.setConnection(connection);
        self.post({ kind: 'tcp-connected', direction: 'outgoing', endpoints: endpointsOf(connection) });
      })(),
      'connect',
    );
  }

  /**
   * The next queued event. The connection is read only once the FSM has taken its `tcp-connected`: a peer
   * that sends its OPEN at once must not have it reach an FSM that does not know of the connection yet.
   */
  private takeQueued(): FsmEvent | undefined {
    const event = this.queue.shift();
    if (event?.kind === 'tcp-connected' && this.connection !== undefined) this.readable = true;
    return event;
  }

  private setConnection(connection: Connection): void {
    this.connection = connection;
    this.readable = false;
    // The connection's 'readable' events must wake this FSM's task, not the task that accepted or connected.
    this.task.wake();
  }

  /**
   * Drop the connection (flushing what was written when `graceful`) and any attempt in progress. The
   * `tcp-connected` or `tcp-failed` still queued for them go too: taken later they would describe the
   * connection the FSM is given next (an OPEN sent to no socket, or that connection closed at once).
   */
  private dropConnection(graceful: boolean): void {
    this.generation++;
    this.queue.discard(isConnectionEvent);
    this.connecting?.cancel();
    this.connecting = undefined;
    const connection = this.connection;
    this.connection = undefined;
    this.readable = false;
    this.releaseSends();
    if (connection === undefined) return;
    if (graceful) connection.close();
    else connection.abort();
  }
}
