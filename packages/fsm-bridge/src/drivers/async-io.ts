/**
 * The I/O side of one FSM over transport-async, shared by the effect bridge and the polling bridge: they
 * differ only in how they wait for these promises (await, or poll `done`).
 *
 * Reading: exactly one `readMessage` is outstanding while connected, started when the FSM asks for its next
 * event and the previous message was consumed (a frame is a view valid until the next read). It is never
 * timed out or cancelled, so no partial message can be lost: the FSM's HoldTimer is the only timeout.
 * Socket events and queued events (timers, UPDATEs to send, a stop) take turns, so neither starves the other.
 */
import { type Connection, ConnectionClosed, connect, ProtocolError } from 'transport-async';
import type { IncomingConnection, RunnerHooks } from '../driver.js';
import type { Effect, Endpoints, FsmEvent, TimerName } from '../fsm.js';
import { EventQueue } from './event-queue.js';

const QUEUED: Promise<void> = Promise.resolve();

function endpointsOf(connection: Connection): Endpoints {
  const { localAddress, localPort, remoteAddress, remotePort } = connection;
  return { localAddress, localPort, remoteAddress, remotePort };
}

export class AsyncIncoming implements IncomingConnection {
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

interface AsyncTimer {
  id: number;
  /** When it is due (performance.now() milliseconds). */
  deadline: number;
  /** When the Node timeout is set to fire; restarts that move the deadline later keep it (lazy restart). */
  firesAt: number;
  handle: NodeJS.Timeout | undefined;
}

export class AsyncIo {
  private readonly queue = new EventQueue();
  private wake: (() => void) | undefined;
  private connection: Connection | undefined;
  private generation = 0;
  private canRead = false;
  private paused = false;
  private readInFlight = false;
  private lastWasMessage = false;
  private socketEvent: FsmEvent | undefined;
  private preferQueue = false;
  private readonly timers = new Map<TimerName, AsyncTimer>();
  private finished = false;
  /** Times `nextEvent` had to wait (nothing was ready): the effect loop uses it to know it yielded. */
  waits = 0;

  constructor(private readonly hooks: RunnerHooks) {}

  post(event: FsmEvent): void {
    this.queue.push(event);
    this.signal();
  }

  adopt(incoming: IncomingConnection): void {
    this.drop(false);
    const connection = (incoming as AsyncIncoming).connection;
    this.setConnection(connection);
    this.post({ kind: 'tcp-connected', direction: 'incoming', endpoints: endpointsOf(connection) });
  }

  /** A read already in flight completes; no new one starts until resumed. */
  pauseReading(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.signal();
  }

  /** The next event for the FSM. */
  async nextEvent(): Promise<FsmEvent> {
    if (this.lastWasMessage) {
      // The FSM is done with the previous frame: the connection may read again.
      this.lastWasMessage = false;
      this.readInFlight = false;
    }
    for (;;) {
      if (this.connection !== undefined && this.canRead && !this.readInFlight && !this.paused) this.startRead();
      if (this.preferQueue || this.socketEvent === undefined) {
        const queued = this.queue.shift();
        // The connection is read only once the FSM has taken its `tcp-connected` (see setConnection).
        if (queued?.kind === 'tcp-connected' && this.connection !== undefined) this.canRead = true;
        if (queued !== undefined) {
          this.preferQueue = false;
          return queued;
        }
      }
      const socketEvent = this.socketEvent;
      if (socketEvent !== undefined) {
        this.socketEvent = undefined;
        this.preferQueue = true;
        this.lastWasMessage = socketEvent.kind === 'message';
        if (!this.lastWasMessage) this.readInFlight = false;
        return socketEvent;
      }
      this.waits++;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /**
   * Queue the messages on the socket at once; the returned promise settles as soon as they are queued. The
   * FSM never waits for room: blocked on a full send buffer it would read nothing, and two speakers streaming
   * to each other would each wait for the other to read (a deadlock that also stops every timer).
   * Backpressure goes to the producer instead: the effect (and its ack) is observed once the socket drained.
   * A write failure is reported by the reader (as tcp-failed), so it is not thrown here.
   */
  send(effect: Extract<Effect, { kind: 'send' }>): Promise<void> {
    const connection = this.connection;
    if (connection === undefined) {
      this.observe(effect);
      return QUEUED;
    }
    const observe = () => this.observe(effect);
    connection.writeMessages(effect.messages).then(observe, observe);
    return QUEUED;
  }

  /** The effects that are not I/O still concern the connection in one case: Extended Message (RFC 8654). */
  observe(effect: Effect): void {
    if (effect.kind === 'open-received' && effect.negotiated.context.extendedMessage) {
      this.connection?.setExtendedMessage(true);
    }
    this.hooks.observe(effect);
  }

  startTimer(name: TimerName, seconds: number, id: number): void {
    const deadline = performance.now() + seconds * 1000;
    let timer = this.timers.get(name);
    if (timer === undefined) {
      timer = { id, deadline, firesAt: Number.POSITIVE_INFINITY, handle: undefined };
      this.timers.set(name, timer);
    }
    timer.id = id;
    timer.deadline = deadline;
    // A HoldTimer restarted by every message would otherwise cost a clearTimeout/setTimeout per message.
    if (timer.handle !== undefined && timer.firesAt <= deadline) return;
    this.arm(name, timer);
  }

  stopTimer(name: TimerName): void {
    const timer = this.timers.get(name);
    if (timer?.handle !== undefined) clearTimeout(timer.handle);
    this.timers.delete(name);
  }

  connect(): void {
    this.drop(true);
    const generation = this.generation;
    const target = this.hooks.target;
    connect({
      host: target.host,
      port: target.port,
      timeoutMs: target.timeoutMs,
      ...(target.localAddress !== undefined ? { localAddress: target.localAddress } : {}),
    }).then(
      (connection) => {
        if (generation !== this.generation || this.finished) {
          connection.abort();
          return;
        }
        this.setConnection(connection);
        this.post({ kind: 'tcp-connected', direction: 'outgoing', endpoints: endpointsOf(connection) });
      },
      (error: unknown) => {
        if (generation !== this.generation || this.finished) return;
        this.post({ kind: 'tcp-failed', reason: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  /**
   * Drop the connection (flushing what was written when `graceful`) and forget any attempt in progress. The
   * `tcp-connected` or `tcp-failed` still queued for them go too: taken later they would describe the
   * connection the FSM is given next (an OPEN sent to no socket, or that connection closed at once).
   */
  drop(graceful: boolean): void {
    this.generation++;
    this.queue.discard((event) => event.kind === 'tcp-connected' || event.kind === 'tcp-failed');
    const connection = this.connection;
    this.connection = undefined;
    this.canRead = false;
    this.readInFlight = false;
    this.lastWasMessage = false;
    this.socketEvent = undefined;
    if (connection === undefined) return;
    if (graceful) void connection.close();
    else connection.abort();
  }

  /** Release everything: timers, connection. */
  finish(graceful: boolean): void {
    this.finished = true;
    for (const name of [...this.timers.keys()]) this.stopTimer(name);
    this.drop(graceful);
    this.signal();
  }

  private arm(name: TimerName, timer: AsyncTimer): void {
    if (timer.handle !== undefined) clearTimeout(timer.handle);
    const delay = Math.max(0, timer.deadline - performance.now());
    timer.firesAt = timer.deadline;
    timer.handle = setTimeout(() => this.fired(name, timer), Math.ceil(delay));
  }

  private fired(name: TimerName, timer: AsyncTimer): void {
    timer.handle = undefined;
    if (this.timers.get(name) !== timer || this.finished) return;
    if (performance.now() < timer.deadline) {
      this.arm(name, timer);
      return;
    }
    this.timers.delete(name);
    this.post({ kind: 'timer', name, id: timer.id });
  }

  /** Not read until the FSM took `tcp-connected`: a peer's OPEN must not reach an FSM still in Active. */
  private setConnection(connection: Connection): void {
    this.connection = connection;
    this.canRead = false;
    this.readInFlight = false;
  }

  private startRead(): void {
    const connection = this.connection as Connection;
    const generation = this.generation;
    this.readInFlight = true;
    connection.readMessage().then(
      (frame) => {
        if (generation !== this.generation) return;
        this.hooks.received?.(frame.type, frame.message);
        this.socketEvent = { kind: 'message', type: frame.type, body: frame.body, message: frame.message };
        this.signal();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.canRead = false;
        if (error instanceof ProtocolError) {
          this.socketEvent = { kind: 'message-error', error: error.notification };
        } else if (error instanceof ConnectionClosed) {
          return;
        } else {
          this.drop(false);
          this.socketEvent = { kind: 'tcp-failed', reason: error instanceof Error ? error.message : String(error) };
        }
        this.signal();
      },
    );
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
