/**
 * The speaker behind `speak FILE`: every neighbor of an ExaBGP configuration, as `exabgp FILE` runs them.
 *
 * - Ports: a neighbor's `connect PORT` is the peer's port and `listen PORT` the one it listens on; without
 *   them, the environment's `exabgp_tcp_port` (or `exabgp.tcp.port`), as ExaBGP reads it; else 179.
 *   `local-address` binds the connections (and the listener of a passive neighbor; without one, a passive
 *   neighbor listens on `exabgp_tcp_bind`, else on every address).
 * - Exit codes: 0 after a clean stop (SIGINT/SIGTERM, or --exit-after-eor), 2 when the configuration is
 *   refused (a parse error, or a setting this platform or this speaker cannot honour), 1 on a failure.
 */
import { ConfigError, type Configuration, parseConfiguration } from 'exabgp-config-parser';
import { Speaker, SpeakerRefused } from './speaker/bgp-speaker.js';

export interface SpeakOptions {
  readonly file: string;
  readonly text: string;
  readonly transport: 'sync' | 'async' | 'bridge';
  readonly exitAfterEor: boolean;
  readonly printReceived: boolean;
}

export async function speak(options: SpeakOptions): Promise<number> {
  let configuration: Configuration;
  try {
    configuration = parseConfiguration(options.text, options.file);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`speak: ${error.message}`);
      return 2;
    }
    throw error;
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
    if (error instanceof SpeakerRefused || error instanceof RangeError) {
      const reasons = error instanceof SpeakerRefused ? error.reasons : [error.message];
      for (const reason of reasons) console.error(`speak: ${reason}`);
      return 2;
    }
    throw error;
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      console.error(`speak: ${signal}: sending Cease (Administrative Shutdown) to every neighbor`);
      void speaker.stop();
    } else {
      console.error(`speak: ${signal} again: closing every connection at once`);
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
