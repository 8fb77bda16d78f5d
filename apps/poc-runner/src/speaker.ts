import { parseFile } from 'exabgp-config-parser';
import { Speaker, SpeakerRefused } from './speaker/bgp-speaker.js';

/** The `speak` command's run: parse, plan (refusing what cannot be honoured), speak until stopped. */
export interface SpeakOptions {
  readonly file: string;
  readonly transport: 'sync' | 'async' | 'bridge';
  readonly exitAfterEor: boolean;
  readonly printReceived: boolean;
}

export async function speak(options: SpeakOptions): Promise<number> {
  let configuration: ReturnType<typeof parseFile>;
  try {
    configuration = parseFile(options.file);
  } catch (error) {
    // ConfigError carries file:line:column and what was expected.
    console.error(`speak: ${(error as Error).message}`);
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
      for (const reason of error.reasons) console.error(`speak: refused: ${reason}`);
      return 2;
    }
    throw error;
  }
  const stop = (): void => {
    void speaker.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await speaker.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
