import type { Reactor, ReactorTask } from './reactor.js';

/**
 * What a generator yields while it cannot go on yet: no whole message framed, the socket's send buffer
 * full, the connection not established. ExaBGP's readers yield empty tuples for the same purpose.
 */
export const NOT_YET: unique symbol = Symbol('not-yet');
export type NotYet = typeof NOT_YET;

/**
 * The select() registration of one socket: the tasks that found it not ready, woken by its next event.
 * A reader and a writer may be different tasks, so two are remembered.
 */
export class Readiness {
  private readWaiter: ReactorTask | undefined;
  private writeWaiter: ReactorTask | undefined;

  constructor(readonly reactor: Reactor | undefined) {}

  /** The running task waits for this socket to become readable (or to fail). */
  waitReadable(): void {
    this.readWaiter = this.reactor?.current;
  }

  /** The running task waits for this socket to drain (or to fail, or to connect). */
  waitWritable(): void {
    this.writeWaiter = this.reactor?.current;
  }

  /** 'readable' or 'end': wake the reader. */
  readonly signalReadable = (): void => {
    const reader = this.readWaiter;
    this.readWaiter = undefined;
    reader?.wake();
  };

  /** 'drain' or 'connect': wake the writer. */
  readonly signalWritable = (): void => {
    const writer = this.writeWaiter;
    this.writeWaiter = undefined;
    writer?.wake();
  };

  /** 'error' or 'close': wake both. */
  readonly signalAll = (): void => {
    this.signalReadable();
    this.signalWritable();
  };
}
