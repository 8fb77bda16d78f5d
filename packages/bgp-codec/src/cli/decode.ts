/**
 * `bgp-codec decode`: what `exabgp decode` is to ExaBGP users (exabgp/application/decode.py), built on the
 * codec's public API only. Each message given in hexadecimal is framed, decoded and printed as the JSON line
 * ExaBGP 6 prints for it, with the neighbor block `exabgp decode` uses (127.0.0.1 both ways, AS 65533 both
 * ways). A message that does not decode is reported with its BgpError: the NOTIFICATION code and subcode a
 * speaker would send, and the offending bytes (the NOTIFICATION's data).
 *
 * As `exabgp decode` does: hex may contain spaces and colons; hex that does not start with the 16-byte marker
 * is an UPDATE body; without `--family` every family is accepted and RFC 8950 next hops are allowed for the
 * families ExaBGP allows them for; with `--family`, an MP_REACH_NLRI or MP_UNREACH_NLRI of another family is
 * refused (NOTIFICATION 3/0, ExaBGP's "presented a non-negotiated family"); the session has 4-octet AS and
 * Extended Message (65535-byte messages). Beyond it: several messages in one hex string are all decoded
 * (ExaBGP prints the first), KEEPALIVE and ROUTE-REFRESH are printed (ExaBGP prints "unknown type"),
 * `--path-information` does give the families ADD-PATH (ExaBGP 6.0.0's minimal configuration drops it), and
 * `--open` makes a marker-less body an OPEN.
 */
import {
  attributeName,
  BgpError,
  type BgpMessage,
  type CodecContext,
  decodeMessage,
  decodeUpdate,
  type ExabgpNeighbor,
  encodeMessage,
  exabgpJson,
  type FamilyKey,
  FrameParser,
  familyKey,
  familyName,
  familyRowByName,
  familyRows,
  HEADER_LENGTH,
  MARKER_LENGTH,
  MAX_EXTENDED_MESSAGE_LENGTH,
  MessageType,
  makeContext,
  notificationFromError,
  notificationName,
  type UpdateMessage,
} from '../index.js';

export const DECODE_USAGE = `usage: bgp-codec decode [--family "AFI SAFI [AFI SAFI ...]"] [--path-information] [--open] [HEX ...]

Decode BGP messages given in hexadecimal and print, one line each, the JSON ExaBGP 6 prints for them
(as \`exabgp decode\` does). Without HEX, reads one message per line on standard input.

  -f, --family FAMILIES   the families the session negotiated, as ExaBGP names them ("ipv4 unicast",
                          "ipv6 unicast ipv4 flow"); default all. An UPDATE with MP_REACH_NLRI or
                          MP_UNREACH_NLRI of another family is refused, as ExaBGP refuses it.
  -i, --path-information  the messages carry ADD-PATH path identifiers (RFC 7911) for those families
  -u, --update            hex without the 16-byte marker is an UPDATE body (the default)
  -o, --open              hex without the 16-byte marker is an OPEN body
  -j, --json              JSON output (the default and only format)
  -h, --help              this text

Hex may contain spaces and colons, and several messages one after the other. Errors and notes go to standard
error: a message that does not decode is shown with its BgpError, the NOTIFICATION code/subcode a speaker
sends for it and the offending bytes. Exit status: 0 when every message decoded, 1 when one did not,
2 for a usage error.
Options of \`exabgp decode\` this command does not have: -n/--nlri, -c/--configuration, -g/--generic,
-m/--command, -d/--debug, -p/--pdb.`;

/** The session `exabgp decode` pretends the messages came from (configuration/setup.py). */
export const DECODE_NEIGHBOR: ExabgpNeighbor = Object.freeze({
  localAddress: '127.0.0.1',
  peerAddress: '127.0.0.1',
  localAs: 65533,
  peerAs: 65533,
  routerId: '127.0.0.1',
});

/** ExaBGP's Capabilities._ADD_PATH: the families `--path-information` may give ADD-PATH to. */
const ADD_PATH_FAMILIES: readonly FamilyKey[] = familyRows()
  .filter((row) => row.exabgp.addPathOrder !== undefined)
  .map((row) => row.key);
/** ExaBGP's Capabilities._NEXTHOP, negotiated by `exabgp decode` without `--family`. */
const EXTENDED_NEXT_HOP_ALL: readonly FamilyKey[] = familyRows()
  .filter((row) => row.exabgp.extendedNextHopAfi !== undefined)
  .map((row) => row.key);

export interface DecodeArguments {
  /** The families given by `--family`; undefined: every family. */
  readonly families?: ReadonlySet<FamilyKey>;
  readonly pathInformation: boolean;
  /** What hex without the marker is the body of. */
  readonly body: 'update' | 'open';
  readonly payloads: readonly string[];
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  '-n': 'decoding a lone NLRI',
  '--nlri': 'decoding a lone NLRI',
  '-c': 'reading an ExaBGP configuration (use --family and --path-information)',
  '--configuration': 'reading an ExaBGP configuration (use --family and --path-information)',
  '-g': 'generic attribute output',
  '--generic': 'generic attribute output',
  '-m': 'API command output',
  '--command': 'API command output',
  '-d': 'the Python debugger',
  '--debug': 'the Python debugger',
  '-p': 'the Python debugger',
  '--pdb': 'the Python debugger',
};

/** `"ipv4 unicast ipv6 flow"` as family keys (ExaBGP's names and aliases), or what is wrong with it. */
export function parseFamilies(text: string): Set<FamilyKey> | string {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length % 2 !== 0) {
    return `--family takes "AFI SAFI" pairs, got "${text}"`;
  }
  const out = new Set<FamilyKey>();
  for (let i = 0; i < words.length; i += 2) {
    const row = familyRowByName(`${words[i]} ${words[i + 1]}`);
    if (row === undefined) {
      const known = familyRows().map((r) => `"${r.name}"`);
      return `--family: unknown family "${words[i]} ${words[i + 1]}" (one of ${known.join(', ')})`;
    }
    out.add(row.key);
  }
  return out;
}

/** The command's arguments, or the text to print and the exit status (0 for --help, 2 for a usage error). */
export function parseDecodeArguments(argv: readonly string[]): DecodeArguments | { text: string; status: 0 | 2 } {
  let families: Set<FamilyKey> | undefined;
  let pathInformation = false;
  let body: 'update' | 'open' = 'update';
  const payloads: string[] = [];
  const usage = (problem: string) => ({ text: `bgp-codec decode: ${problem}\n${DECODE_USAGE}`, status: 2 as const });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      payloads.push(...argv.slice(i + 1));
      break;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    if (flag === '-f' || flag === '--family') {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
      if (value === undefined) return usage(`${flag} needs a value, e.g. --family "ipv4 unicast"`);
      const parsed = parseFamilies(value);
      if (typeof parsed === 'string') return usage(parsed);
      families = new Set([...(families ?? []), ...parsed]);
    } else if (flag === '-i' || flag === '--path-information') {
      pathInformation = true;
    } else if (flag === '-u' || flag === '--update') {
      body = 'update';
    } else if (flag === '-o' || flag === '--open') {
      body = 'open';
    } else if (flag === '-j' || flag === '--json') {
      // JSON is the only output
    } else if (flag === '-h' || flag === '--help') {
      return { text: DECODE_USAGE, status: 0 };
    } else if (UNSUPPORTED[flag] !== undefined) {
      return usage(`${flag}: ${UNSUPPORTED[flag]} is not supported by this decoder`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      return usage(`unknown option ${arg}`);
    } else {
      payloads.push(arg);
    }
  }
  return { ...(families ? { families } : {}), pathInformation, body, payloads };
}

/** What `exabgp decode` negotiates with itself for these arguments. */
export function decodeContext(args: Pick<DecodeArguments, 'families' | 'pathInformation'>): CodecContext {
  const addPath = args.pathInformation
    ? new Set(ADD_PATH_FAMILIES.filter((family) => args.families === undefined || args.families.has(family)))
    : new Set<FamilyKey>();
  return makeContext({
    asn4: true,
    extendedMessage: true,
    addPathReceive: addPath,
    addPathSend: addPath,
    extendedNextHop: new Set(args.families === undefined ? EXTENDED_NEXT_HOP_ALL : []),
  });
}

export interface DecodeIo {
  /** Receives whole lines, newline included. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Lines of standard input, read when no HEX argument is given. */
  readonly stdin?: AsyncIterable<string> | Iterable<string>;
  /** Standard input is a terminal: print the usage instead of waiting for lines. */
  readonly stdinIsTerminal?: boolean;
  /** The run-dependent fields of each line (ExaBGP prints its clock, host name, pid and parent pid). */
  readonly time?: () => number;
  readonly host?: string;
  readonly pid?: number;
  readonly ppid?: number;
}

/** Run the command; resolves to its exit status. */
export async function runDecode(argv: readonly string[], io: DecodeIo): Promise<number> {
  const args = parseDecodeArguments(argv);
  if ('text' in args) {
    (args.status === 0 ? io.stdout : io.stderr)(`${args.text}\n`);
    return args.status;
  }
  const decoder = new Decoder(args, io);
  if (args.payloads.length > 0) {
    args.payloads.forEach((payload, index) => {
      decoder.payload(payload, args.payloads.length === 1 ? 'HEX' : `HEX ${index + 1}`);
    });
  } else if (io.stdinIsTerminal || io.stdin === undefined) {
    io.stderr(`bgp-codec decode: no HEX given and standard input is a terminal\n${DECODE_USAGE}\n`);
    return 2;
  } else {
    let line = 0;
    for await (const text of io.stdin) {
      line++;
      if (text.trim() !== '') decoder.payload(text, `line ${line}`);
    }
  }
  return decoder.failed ? 1 : 0;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out.toUpperCase();
}

/** `exabgp decode`'s `is_bgp` and `_hexa`: spaces and colons dropped; a leading 0x is accepted too. */
function parseHex(text: string): Uint8Array | string {
  let clean = text.replace(/[\s:]/g, '');
  if (/^0x/i.test(clean)) clean = clean.slice(2);
  const shown = text.trim().length > 50 ? `${text.trim().slice(0, 50)}...` : text.trim();
  if (!/^[0-9a-fA-F]*$/.test(clean)) return `invalid hexadecimal: ${shown}`;
  if (clean.length % 2 !== 0) return `invalid hexadecimal: an odd number of digits (${clean.length}): ${shown}`;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function startsWithMarker(bytes: Uint8Array): boolean {
  if (bytes.length < MARKER_LENGTH) return false;
  for (let i = 0; i < MARKER_LENGTH; i++) if (bytes[i] !== 0xff) return false;
  return true;
}

interface MultiprotocolFamily {
  readonly key: FamilyKey;
  readonly afi: number;
  readonly safi: number;
  /** 14 (MP_REACH_NLRI) or 15 (MP_UNREACH_NLRI) */
  readonly code: number;
  /** The codec has no NLRI codec for the family and kept the attribute as received. */
  readonly raw: boolean;
}

/** The families of an UPDATE's MP_REACH_NLRI and MP_UNREACH_NLRI attributes, decoded or kept raw. */
function multiprotocolFamilies(update: UpdateMessage): MultiprotocolFamily[] {
  const out: MultiprotocolFamily[] = [];
  for (const attribute of update.attributes) {
    if (attribute.kind === 'mp-reach-nlri' || attribute.kind === 'mp-unreach-nlri') {
      const { afi, safi, code } = attribute;
      out.push({ key: familyKey(afi, safi), afi, safi, code, raw: false });
    } else if (attribute.kind === 'unknown' && (attribute.code === 14 || attribute.code === 15)) {
      if (attribute.value.length < 3) continue;
      const afi = (attribute.value[0]! << 8) | attribute.value[1]!;
      const safi = attribute.value[2]!;
      out.push({ key: familyKey(afi, safi), afi, safi, code: attribute.code, raw: true });
    }
  }
  return out;
}

class Decoder {
  failed = false;
  private counter = 0;
  private readonly context: CodecContext;

  constructor(
    private readonly args: DecodeArguments,
    private readonly io: DecodeIo,
  ) {
    this.context = decodeContext(args);
  }

  /** One HEX argument or input line: every message in it, in order. */
  payload(text: string, where: string): void {
    const bytes = parseHex(text);
    if (typeof bytes === 'string') {
      this.fail(`${where}: ${bytes}`);
      return;
    }
    if (bytes.length === 0) {
      this.fail(`${where}: no bytes`);
      return;
    }
    let stream = bytes;
    if (!startsWithMarker(bytes)) {
      where = `${where} (${this.args.body.toUpperCase()} body, header added)`;
      // configuration/check.py display_message: a body without its header is given one
      const length = HEADER_LENGTH + bytes.length;
      if (length > MAX_EXTENDED_MESSAGE_LENGTH) {
        this.fail(
          `${where}: ${bytes.length} bytes without the 16-byte marker are taken as one ${this.args.body.toUpperCase()} body, ` +
            `and that is longer than a message can be (${MAX_EXTENDED_MESSAGE_LENGTH} bytes with its header)`,
        );
        return;
      }
      stream = new Uint8Array(length);
      stream.fill(0xff, 0, MARKER_LENGTH);
      stream[16] = length >> 8;
      stream[17] = length & 0xff;
      stream[18] = this.args.body === 'open' ? MessageType.OPEN : MessageType.UPDATE;
      stream.set(bytes, HEADER_LENGTH);
    }
    const parser = new FrameParser({ maxLength: MAX_EXTENDED_MESSAGE_LENGTH });
    parser.push(stream);
    // The first message is named by where it came from; the ones after it also by their place.
    let offset = 0;
    let index = 1;
    const label = () => (index === 1 ? where : `${where}, message ${index} (byte ${offset})`);
    try {
      for (const frame of parser.frames()) {
        this.message(frame.type, frame.message, frame.body, label());
        offset += frame.message.length;
        index++;
      }
    } catch (error) {
      this.error(error, label());
      return;
    }
    if (offset < stream.length) {
      // A message cut short: its header's length is not the number of bytes left (decodeMessage says so).
      try {
        decodeMessage(stream.subarray(offset), this.context);
      } catch (error) {
        this.error(error, label());
        return;
      }
      this.fail(`${label()}: ${stream.length - offset} bytes left over`);
    }
  }

  private message(type: number, whole: Uint8Array, body: Uint8Array, where: string): void {
    let message: BgpMessage;
    try {
      // ExaBGP's decoder keeps unknown attributes that claim to be well-known, to show them.
      message =
        type === MessageType.UPDATE
          ? decodeUpdate(body, this.context, { acceptUnrecognizedWellKnown: true })
          : decodeMessage(whole, this.context);
      if (message.type === 'update') this.checkUpdate(message, where);
    } catch (error) {
      this.error(error, where);
      return;
    }
    let line: string;
    try {
      line = exabgpJson(message, {
        neighbor: DECODE_NEIGHBOR,
        direction: 'in',
        counter: this.counter + 1,
        time: this.io.time?.() ?? Date.now() / 1000,
        host: this.io.host ?? 'localhost',
        pid: this.io.pid ?? 0,
        ppid: this.io.ppid ?? 0,
      });
    } catch (error) {
      this.fail(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.counter++;
    this.io.stdout(`${line}\n`);
  }

  /** `--family` as ExaBGP enforces it, and notes on what the JSON cannot show. */
  private checkUpdate(update: UpdateMessage, where: string): void {
    for (const family of multiprotocolFamilies(update)) {
      const name = familyName(family.afi, family.safi);
      const attribute = family.code === 14 ? 'MP_REACH_NLRI' : 'MP_UNREACH_NLRI';
      if (this.args.families !== undefined && !this.args.families.has(family.key)) {
        // mprnlri.py / mpurnlri.py: Notify(3, 0, 'presented a non-negotiated family')
        throw new BgpError(
          'non-negotiated-family',
          3,
          0,
          undefined,
          `${attribute} of ${name}, a family not given by --family (NOTIFICATION 3/0)`,
        );
      }
      if (family.raw) {
        this.io.stderr(
          `${where}: note: ${attribute} of ${name}: the codec has no NLRI codec for this family, ` +
            'so the attribute is printed as received, not as ExaBGP prints its routes\n',
        );
      }
    }
    if (update.outcome !== undefined && update.outcome !== 'ok') {
      for (const issue of update.issues ?? []) {
        this.io.stderr(
          `${where}: note: RFC 7606 ${issue.action} (${attributeName(issue.attribute)}): ${issue.reason}; ` +
            `RFC 4271 would have sent NOTIFICATION 3/${issue.subcode}, data ${hex(issue.data) || 'none'}\n`,
        );
      }
    }
  }

  private error(error: unknown, where: string): void {
    if (!(error instanceof BgpError)) {
      // The codec throws BgpError only: anything else is a defect of the codec, reported with what to file.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.fail(
        `${where}: internal error, not a BgpError (a bug in bgp-codec: please report it with the hex): ${text}`,
      );
      return;
    }
    const { code, subcode, data } = error;
    let sent: string;
    try {
      sent = hex(encodeMessage(notificationFromError(error), this.context));
    } catch (problem) {
      sent = `(cannot be encoded: ${problem instanceof Error ? problem.message : String(problem)})`;
    }
    this.fail(
      `${where}: invalid message: ${error.message}\n` +
        `  BgpError ${error.reason}: NOTIFICATION ${code}/${subcode} ${notificationName(code, subcode)}\n` +
        `  offending bytes (NOTIFICATION data, ${data.length}): ${data.length > 0 ? hex(data) : 'none'}\n` +
        `  NOTIFICATION: ${sent}`,
    );
  }

  private fail(text: string): void {
    this.failed = true;
    this.io.stderr(`${text}\n`);
  }
}
