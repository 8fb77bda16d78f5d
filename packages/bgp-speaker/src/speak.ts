/**
 * The command's run (`bgp-speak FILE`, or `speak FILE` under poc-runner): parse, plan (refusing what cannot
 * be honoured), speak until stopped, as `exabgp FILE` runs a configuration.
 *
 * - Ports: a neighbor's `connect PORT` is the peer's port and `listen PORT` the one it listens on; without
 *   them, the environment's `exabgp_tcp_port` (or `exabgp.tcp.port`), as ExaBGP reads it; else 179.
 *   `local-address` binds the connections (and the listener of a passive neighbor; without one, a passive
 *   neighbor listens on `exabgp_tcp_bind`, else on every address).
 * - Signals: the first SIGINT/SIGTERM sends Cease (Administrative Shutdown) to every open session and ends
 *   cleanly; a second one, a second or more later, resets every connection at once. Signals closer to the
 *   first are the same request delivered twice: a terminal's Ctrl-C reaches every process of its foreground
 *   group, the speaker and a pnpm above it, and pnpm forwards what it receives (`pnpm exec` as SIGTERM).
 * - Exit codes: 0 after a clean stop (a signal, or --exit-after-eor), 2 when the configuration is refused
 *   (a parse error, a bad exabgp_tcp_port, a setting this platform or this speaker cannot honour).
 */
import { parseFile } from 'exabgp-config-parser';
import { Speaker, SpeakerRefused, type SpeakTransport } from './speaker.js';

/** A signal this soon after the first is the same stop request delivered again (see above). */
const SAME_REQUEST_MS = 1000;

export interface SpeakOptions {
  /** The command's name in its messages; default `bgp-speak`. */
  readonly program?: string;
  readonly file: string;
  readonly transport: SpeakTransport;
  readonly exitAfterEor: boolean;
  readonly printReceived: boolean;
}

export async function speak(options: SpeakOptions): Promise<number> {
  const program = options.program ?? 'bgp-speak';
  let configuration: ReturnType<typeof parseFile>;
  try {
    configuration = parseFile(options.file);
  } catch (error) {
    // ConfigError carries file:line:column and what was expected.
    console.error(`${program}: ${(error as Error).message}`);
    return 2;
  }
  let speaker: Speaker;
  try {
    speaker = await Speaker.start({
      configuration,
      transport: options.transport,
      exitAfterEor: options.exitAfterEor,
      printReceived: options.printReceived,
    });
  } catch (error) {
    if (error instanceof SpeakerRefused) {
      for (const reason of error.reasons) console.error(`${program}: refused: ${reason}`);
      return 2;
    }
    if (error instanceof RangeError) {
      // exabgp_tcp_port out of range
      console.error(`${program}: refused: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    const now = performance.now();
    if (firstSignalAt === undefined) {
      firstSignalAt = now;
      console.error(`${program}: ${signal}: sending Cease (Administrative Shutdown) to every neighbor`);
      void speaker.stop();
    } else if (now - firstSignalAt < SAME_REQUEST_MS) {
      console.error(`${program}: ${signal} again at once: the same request, still stopping with Cease`);
    } else {
      console.error(`${program}: ${signal} again: resetting every connection at once`);
      speaker.destroy();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await speaker.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
