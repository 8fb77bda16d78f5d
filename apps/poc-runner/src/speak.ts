import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `speak FILE [--transport sync|async|bridge] [--exit-after-eor] [--print-received]`: a BGP speaker run from
 * an ExaBGP configuration, as `exabgp FILE` would. Settings this platform cannot apply (TCP MD5, TCP-AO,
 * TTL security) are refused at start, never ignored.
 */
export const SPEAK_HELP = `speak FILE [--transport sync|async|bridge] [--exit-after-eor] [--print-received]

  Connects to (or, with passive, waits for) each neighbor of FILE, announces its routes, keeps the sessions
  up, reconnects after a failure, logs state changes, stops on SIGINT/SIGTERM with a Cease NOTIFICATION.
  --transport        the I/O mode driving the FSM (default sync; bridge = the effect bridge over async I/O)
  --exit-after-eor   end once every neighbor's End-of-RIB is sent
  --print-received   print every message received as one line of ExaBGP JSON
Settings that cannot be applied on this platform (md5-password, tcp-ao, ttl-security / outgoing-ttl /
incoming-ttl) are refused with exit code 2.`;

/** Configuration statements this platform cannot honour (Node has no TCP-MD5/TCP-AO socket option, no IP_MINTTL). */
const UNSUPPORTED: { pattern: RegExp; what: string }[] = [
  { pattern: /^\s*md5-password\b/m, what: 'TCP MD5 signatures (md5-password, RFC 2385)' },
  { pattern: /^\s*md5-base64\b/m, what: 'TCP MD5 signatures (md5-base64, RFC 2385)' },
  { pattern: /^\s*tcp-ao\b/m, what: 'TCP-AO (RFC 5925)' },
  { pattern: /^\s*(ttl-security|incoming-ttl|outgoing-ttl)\b/m, what: 'TTL security (GTSM, RFC 5082)' },
];

export function unsupportedSettings(text: string): string[] {
  const out: string[] = [];
  for (const u of UNSUPPORTED) {
    const match = u.pattern.exec(text);
    if (match) {
      const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
      out.push(`line ${line}: ${u.what} cannot be applied on this platform; remove it or use another speaker`);
    }
  }
  return out;
}

export async function runSpeak(argv: string[]): Promise<number> {
  let values: { transport?: string; 'exit-after-eor'?: boolean; 'print-received'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        transport: { type: 'string', default: 'sync' },
        'exit-after-eor': { type: 'boolean', default: false },
        'print-received': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`speak: ${(error as Error).message}\n\n${SPEAK_HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(SPEAK_HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(`speak: give exactly one configuration file\n\n${SPEAK_HELP}`);
    return 2;
  }
  if (!['sync', 'async', 'bridge'].includes(values.transport ?? '')) {
    console.error(`speak: --transport takes sync, async or bridge, not '${values.transport}'`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`speak: ${file}: no such file`);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  const refused = unsupportedSettings(text);
  if (refused.length) {
    for (const r of refused) console.error(`speak: ${file}: ${r}`);
    return 2;
  }
  const { speak } = await import('./speaker.js');
  return speak({
    file,
    text,
    transport: values.transport as 'sync' | 'async' | 'bridge',
    exitAfterEor: values['exit-after-eor'] ?? false,
    printReceived: values['print-received'] ?? false,
  });
}
