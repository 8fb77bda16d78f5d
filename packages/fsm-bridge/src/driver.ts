/**
 * What every driver of the FSM provides. A driver performs the I/O effects of {@link Fsm} (connect, send,
 * receive, timers, close) over one transport and hands every other effect to the session through
 * {@link RunnerHooks.observe}. The session (session.ts) knows nothing of the transport.
 */
import type { Effect, Fsm, FsmEvent, FsmResult } from './fsm.js';

/**
 * - `sync`: transport-sync's reactor; the FSM is one of the reactor's peer generators, its timers reactor timers.
 * - `bridge-polling`: PLAN.md step 4 as written: a generator that starts each transport-async promise and
 *   yields "WRITING"/"READING" until it settles, driven by a loop that polls it.
 * - `bridge-effect`: the effect bridge: an async loop performs each effect with transport-async (await
 *   readMessage/writeMessages, setTimeout timers) and resumes the generator with the result.
 * - `async`: the natural async/await session over transport-async. It is the effect bridge: the FSM is
 *   sans-I/O, so an async/await implementation of the session is exactly a loop that awaits each effect
 *   (a second, hand-written async FSM would be a second FSM). The name is kept so step 3 can ask for it.
 */
export type DriverName = 'sync' | 'bridge-polling' | 'bridge-effect' | 'async';

export const DRIVER_NAMES: readonly DriverName[] = ['sync', 'bridge-polling', 'bridge-effect', 'async'];

export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly timeoutMs: number;
}

export interface RunnerHooks {
  /** Every effect that is not I/O, and every `send` once its bytes were handed to the transport. */
  observe(effect: Effect): void;
  /** Where `connect` effects connect to. */
  readonly target: ConnectTarget;
  /** A message that arrived (before the FSM sees it); for counters and traces. */
  received?(type: number, message: Uint8Array): void;
}

/** An accepted connection, before an FSM owns it. */
export interface IncomingConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Refuse it (RFC 4271 §8.2.2 Idle: a connection in Idle is refused). */
  reject(): void;
}

/** One FSM generator being run by a driver. */
export interface Runner {
  readonly done: Promise<FsmResult>;
  /** Queue an event for the FSM (a stop, UPDATEs to send, a collision verdict). */
  post(event: FsmEvent): void;
  /** Give the FSM an accepted connection: any attempt of its own is dropped, `tcp-connected` is posted. */
  adopt(connection: IncomingConnection): void;
  /**
   * Stop (true) or resume (false) reading the connection: received messages wait in the kernel and TCP
   * flow control slows the peer. Timers and queued events go on. For a consumer that cannot keep up.
   * Optional so that wrappers of a runner keep working; every runner of this package has it.
   */
  pauseReading?(paused: boolean): void;
  /** Stop at once: no NOTIFICATION, sockets reset, timers cleared (teardown after a failure). */
  destroy(): void;
}

export interface DriverListener {
  readonly port: number;
  close(): void;
}

export interface Driver {
  readonly name: DriverName;
  run(fsm: Fsm, hooks: RunnerHooks): Runner;
  listen(
    options: { host: string; port: number },
    onConnection: (connection: IncomingConnection) => void,
  ): Promise<DriverListener>;
  /** Release what the driver owns (a reactor it created). */
  close(): void;
}
