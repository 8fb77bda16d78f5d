/**
 * The speaker: every neighbor of an ExaBGP configuration, on one driver of the FSM (one reactor for all of
 * them with `sync`, as ExaBGP runs one).
 */
import type { Configuration } from 'exabgp-config-parser';
import { createDriver, type Driver, type DriverName } from 'fsm-bridge';
import { routeSourceAddress } from './local-address.js';
import { DEFAULT_RETRY, NeighborSpeaker, type RetrySettings } from './neighbor.js';
import { SharedListeners } from './peer-driver.js';
import { planNeighbors, speakerEnvironment } from './plan.js';

export type SpeakTransport = 'sync' | 'async' | 'bridge';

/**
 * The FSM driver behind each `--transport`: `sync` is transport-sync's reactor, `async` the natural async
 * driver (the effect bridge over transport-async), `bridge` the polling bridge of the plan's step 4.
 */
export const TRANSPORT_DRIVERS: Readonly<Record<SpeakTransport, DriverName>> = Object.freeze({
  sync: 'sync',
  async: 'async',
  bridge: 'bridge-polling',
});

export interface SpeakerOptions {
  readonly configuration: Configuration;
  readonly transport: SpeakTransport;
  /** Stop (Cease to every neighbor) once every neighbor's End-of-RIBs were sent. */
  readonly exitAfterEor?: boolean;
  /** Render every received message as a line of ExaBGP JSON to `output`. */
  readonly printReceived?: boolean;
  /** Where `exabgp_tcp_port` / `exabgp_tcp_bind` are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Log lines (state changes, NOTIFICATIONs, what was sent); default stderr with a timestamp. */
  readonly log?: (line: string) => void;
  /** ExaBGP JSON lines of `printReceived`; default stdout. */
  readonly output?: (line: string) => void;
  readonly retry?: RetrySettings;
}

/** The configuration asks for something this speaker cannot do: nothing was started. */
export class SpeakerRefused extends Error {
  override readonly name = 'SpeakerRefused';
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join('\n'));
  }
}

function stderrLog(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

function stdoutLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export class Speaker {
  readonly neighbors: NeighborSpeaker[] = [];
  /** Resolves once every neighbor stopped and the driver was released. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly driver: Driver,
    private readonly log: (line: string) => void,
    private readonly exitAfterEor: boolean,
  ) {
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Plan every neighbor (refusing what cannot be honoured), then start them all. */
  static async start(options: SpeakerOptions): Promise<Speaker> {
    const log = options.log ?? stderrLog;
    const environment = speakerEnvironment(options.env ?? process.env);
    const plan = await planNeighbors(options.configuration, environment, routeSourceAddress);
    if (plan.refused.length > 0) throw new SpeakerRefused(plan.refused);
    for (const warning of plan.warnings) log(`warning: ${warning}`);
    const driverName = TRANSPORT_DRIVERS[options.transport];
    const driver = createDriver(driverName);
    const speaker = new Speaker(driver, log, options.exitAfterEor ?? false);
    const listeners = new SharedListeners(driver);
    const output = options.printReceived ? (options.output ?? stdoutLine) : undefined;
    log(
      `speaking to ${plan.neighbors.length} neighbor(s) from ${options.configuration.file} over ${options.transport} (driver ${driverName})`,
    );
    for (const neighbor of plan.neighbors) {
      const { session, routes } = neighbor;
      log(
        `neighbor ${session.peerAddress}: AS ${session.localAs} -> AS ${session.peerAs}, ${session.passive ? `passive, listening on port ${session.localPort}` : `connecting to port ${session.peerPort}`}${session.localAddress ? ` from ${session.localAddress}` : ''}, ${routes} route(s) to announce`,
      );
      speaker.neighbors.push(
        new NeighborSpeaker(
          neighbor,
          driver,
          listeners,
          {
            log,
            ...(output ? { output } : {}),
            announced: () => speaker.announced(),
          },
          options.retry ?? DEFAULT_RETRY,
        ),
      );
    }
    await Promise.all(speaker.neighbors.map((n) => n.ready));
    return speaker;
  }

  /** Every neighbor has sent its End-of-RIBs at least once. */
  get allAnnounced(): boolean {
    return this.neighbors.every((n) => n.announcements > 0);
  }

  /** Cease (Administrative Shutdown) to every open session, then release everything. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.neighbors.map((n) => n.stop()));
      this.driver.close();
      this.log('stopped');
      this.resolveDone();
    })();
    return this.stopping;
  }

  /** Reset every connection at once (no NOTIFICATION): a second signal, or a stop that hangs. */
  destroy(): void {
    for (const n of this.neighbors) n.destroy();
    void this.stop();
  }

  private announced(): void {
    if (this.exitAfterEor && this.allAnnounced && this.stopping === undefined) {
      this.log('every End-of-RIB sent: stopping (--exit-after-eor)');
      void this.stop();
    }
  }
}
