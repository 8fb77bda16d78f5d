import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `bgp-speak FILE [--transport sync|async|bridge] [--exit-after-eor] [--print-received]`: a BGP speaker run
 * from an ExaBGP configuration, as `exabgp FILE` would. Settings this platform cannot apply (TCP MD5, TCP-AO,
 * TTL security) are refused at start, never ignored. `program` names the command in its help and errors
 * (`bgp-speak`, or `speak` under poc-runner).
 */
export function speakHelp(program = 'bgp-speak'): string {
  return `${program} FILE [--transport sync|async|bridge] [--exit-after-eor] [--print-received]

  Connects to (or, with passive, waits for) each neighbor of FILE, announces its routes, keeps the sessions
  up, reconnects after a failure, logs state changes, stops on SIGINT/SIGTERM with a Cease NOTIFICATION.
  --transport        the FSM's driver: sync (transport-sync's reactor, default), async (the effect bridge
                     over transport-async), bridge (the polling bridge of the plan's step 4)
  --exit-after-eor   end once every neighbor's End-of-RIB is sent
  --print-received   print every message received as one line of ExaBGP JSON
Settings that cannot be applied on this platform (TCP MD5, TCP-AO, TTL security, source-interface) are
refused at start with exit code 2, never ignored.`;
}

/** Run the command with its arguments (after the program name); resolves to the exit code. */
export async function runSpeak(argv: readonly string[], program = 'bgp-speak'): Promise<number> {
  let values: { transport?: string; 'exit-after-eor'?: boolean; 'print-received'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        transport: { type: 'string', default: 'sync' },
        'exit-after-eor': { type: 'boolean', default: false },
        'print-received': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${program}: ${(error as Error).message}\n\n${speakHelp(program)}`);
    return 2;
  }
  if (values.help) {
    console.log(speakHelp(program));
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(`${program}: give exactly one configuration file\n\n${speakHelp(program)}`);
    return 2;
  }
  if (!['sync', 'async', 'bridge'].includes(values.transport ?? '')) {
    console.error(`${program}: --transport takes sync, async or bridge, not '${values.transport}'`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`${program}: ${file}: no such file`);
    return 2;
  }
  // The speaker refuses at start what it cannot apply here (TCP MD5, TCP-AO, TTL security...), exit code 2.
  const { speak } = await import('./speak.js');
  return speak({
    program,
    file,
    transport: values.transport as 'sync' | 'async' | 'bridge',
    exitAfterEor: values['exit-after-eor'] ?? false,
    printReceived: values['print-received'] ?? false,
  });
}
