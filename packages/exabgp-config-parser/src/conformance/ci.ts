/**
 * ExaBGP's functional-test description format (`qa/encoding/*.ci`, `qa/api/*.ci`), read the way ExaBGP's own
 * test harness reads it (qa/sbin/bgp `parse_cmdline` and `Checker.group_messages`, qa/bin/test_json).
 *
 * One record per line: `option:KIND:VALUE`, or `[LETTER]N:ENCODING:CONTENT` where ENCODING is `raw` (a whole
 * BGP message in hex, colons cosmetic), `cmd` (the API command the next raw encodes), `json`/`jsv4`/`jsv6`
 * (the JSON ExaBGP prints for the preceding raw UPDATE), `notification` and `signal` (actions of the peer).
 */

/** The checker's options (qa/sbin/bgp `parse_cmdline`). */
export interface CiOptions {
  /** `option:file:NAME` configuration files, relative to `etc/exabgp/` */
  files: string[];
  /** `option:bind:ipv6` the checker listens on [::1] */
  bindIpv6: boolean;
  /** `option:asn:N` the checker answers with this AS instead of echoing the speaker's */
  asn?: number;
  /** `option:open:inspect-open-message` the speaker's OPEN is compared like any other message */
  inspectOpen: boolean;
  /** `option:open:send-unknown-capability` the echoed OPEN carries capability 66 `loremipsum` */
  sendUnknownCapability: boolean;
  /** `option:open:send-unknown-message` the checker sends a message of type 255 after its OPEN and KEEPALIVE */
  sendUnknownMessage: boolean;
  /** `option:update:send-default-route` the checker announces 0.0.0.0/0 after its OPEN */
  sendDefaultRoute: boolean;
  /** `option:tcp_connections:N` */
  tcpConnections?: number;
  /** `option:timeout:S` seconds to wait for each message (default 3) */
  timeout: number;
}

/** One expectation line `[LETTER]N:ENCODING:CONTENT`. */
export interface CiRecord {
  /** the connection letter (`A` when the line has a bare number) */
  connection: string;
  /** N */
  sequence: number;
  /** the step as written (`1`, `A1`) */
  step: string;
  encoding: string;
  /** the content after `ENCODING:` (for `raw`: uppercase hex, colons and spaces removed) */
  content: string;
  /** the content after `ENCODING:` as written */
  written: string;
  /** 1-based line number in the file */
  line: number;
}

export interface CiFile {
  /** the file name without directory */
  name: string;
  options: CiOptions;
  /** every `N:...` record, in file order (comment lines dropped) */
  records: CiRecord[];
  /** `option:` lines that were not understood, kept for diagnostics */
  unknownOptions: string[];
}

/** A `[LETTER]N` step: letter optional (means `A`), N decimal. */
const STEP = /^([A-Za-z]?)(\d+)$/;

/**
 * Parse a `.ci` file. Like ExaBGP's checker, a line containing `#` anywhere is a comment (the checker filters
 * `'#' not in line`), and blank lines are ignored.
 */
export function parseCi(text: string, name: string): CiFile {
  const options: CiOptions = {
    files: [],
    bindIpv6: false,
    inspectOpen: false,
    sendUnknownCapability: false,
    sendUnknownMessage: false,
    sendDefaultRoute: false,
    timeout: 3,
  };
  const records: CiRecord[] = [];
  const unknownOptions: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.includes('#')) continue;
    if (line.startsWith('option:')) {
      readOption(line, options, unknownOptions);
      continue;
    }
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) {
      unknownOptions.push(line);
      continue;
    }
    const step = line.slice(0, first);
    const match = STEP.exec(step);
    if (!match) {
      unknownOptions.push(line);
      continue;
    }
    const encoding = line.slice(first + 1, second).toLowerCase();
    const written = line.slice(second + 1);
    const content = encoding === 'raw' ? written.replace(/[:\s]/g, '').toUpperCase() : written;
    records.push({
      connection: (match[1] || 'A').toUpperCase(),
      sequence: Number(match[2]),
      step,
      encoding,
      content,
      written,
      line: index + 1,
    });
  }
  return { name, options, records, unknownOptions };
}

function readOption(line: string, options: CiOptions, unknown: string[]): void {
  const value = line.slice(line.lastIndexOf(':') + 1);
  if (line.startsWith('option:file:')) options.files.push(line.slice('option:file:'.length));
  else if (line === 'option:bind:ipv6') options.bindIpv6 = true;
  else if (line.startsWith('option:asn:')) options.asn = Number(value);
  else if (line === 'option:open:inspect-open-message') options.inspectOpen = true;
  else if (line === 'option:open:send-unknown-capability') options.sendUnknownCapability = true;
  else if (line === 'option:open:send-unknown-message') options.sendUnknownMessage = true;
  else if (line === 'option:update:send-default-route') options.sendDefaultRoute = true;
  else if (line.startsWith('option:tcp_connections:')) options.tcpConnections = Number(value);
  else if (line.startsWith('option:timeout:')) options.timeout = Number(value);
  else unknown.push(line);
}

/** An expectation as the checker holds it: a raw message (hex) or a peer action (`notification:TEXT`, `signal:SIG`). */
export interface Expectation {
  kind: 'raw' | 'notification' | 'signal' | 'other';
  /** raw: uppercase hex of the whole message; otherwise `encoding:content` lowercased like the checker does */
  value: string;
  record: CiRecord;
}

/**
 * The checker's groups (qa/sbin/bgp `Checker.group_messages`): expectations keyed by (connection, N), ordered
 * by connection letter then by N as a number; `cmd` and `json`/`jsv4`/`jsv6` records are not expectations.
 */
export function expectationGroups(records: readonly CiRecord[]): Expectation[][] {
  const byConnection = new Map<string, Map<number, Expectation[]>>();
  for (const record of records) {
    const encoding = record.encoding;
    if (encoding === 'cmd' || encoding === 'json' || encoding === 'jsv4' || encoding === 'jsv6') continue;
    let kind: Expectation['kind'] = 'other';
    let value: string;
    if (encoding === 'raw') {
      kind = 'raw';
      value = record.content;
    } else {
      if (encoding === 'notification') kind = 'notification';
      else if (encoding === 'signal') kind = 'signal';
      const content = encoding === 'notification' ? record.content : record.content.replace(/ /g, '');
      value = `${encoding}:${content.toLowerCase()}`;
    }
    let sequences = byConnection.get(record.connection);
    if (!sequences) {
      sequences = new Map();
      byConnection.set(record.connection, sequences);
    }
    let group = sequences.get(record.sequence);
    if (!group) {
      group = [];
      sequences.set(record.sequence, group);
    }
    group.push({ kind, value, record });
  }
  const ordered: Expectation[][] = [];
  for (const connection of [...byConnection.keys()].sort()) {
    const sequences = byConnection.get(connection)!;
    for (const sequence of [...sequences.keys()].sort((a, b) => a - b)) ordered.push(sequences.get(sequence)!);
  }
  return ordered;
}

/** A `json:` expectation attached to the raw UPDATE before it (qa/bin/test_json `parse_ci_file`). */
export interface JsonExpectation {
  step: string;
  /** the raw UPDATE the JSON describes, whole message in uppercase hex */
  raw: string;
  /** `json` (both API versions) or `jsv6` (ExaBGP's v6 API); `jsv4` lines are kept but describe API v4 */
  tag: 'json' | 'jsv4' | 'jsv6';
  text: string;
  line: number;
}

const TEST_JSON_RAW = /^[A-Fa-f0-9]+:[A-Fa-f0-9]+:([A-Fa-f0-9]+):(.+)$/;

/**
 * The JSON expectations of a `.ci` file, paired as qa/bin/test_json pairs them: only records with a bare
 * numeric step count (`A1:raw:` lines are not seen), non-UPDATE and End-of-RIB raws are skipped, and each
 * `json`/`jsv4`/`jsv6` line belongs to the last UPDATE seen before it.
 */
export function jsonExpectations(records: readonly CiRecord[]): JsonExpectation[] {
  const out: JsonExpectation[] = [];
  let current: string | undefined;
  for (const record of records) {
    if (!/^\d+$/.test(record.step)) continue;
    if (record.encoding === 'raw') {
      // test_json only sees raws written MARKER:LENGTH:TYPE:PAYLOAD (its regular expression)
      const fields = TEST_JSON_RAW.exec(record.written);
      if (fields?.[1]?.toUpperCase() !== '02') continue;
      const body = (fields?.[2] ?? '').replace(/:/g, '').toUpperCase();
      if (body === '00000000' || body.startsWith('00000007900F0003')) continue;
      current = record.content;
      continue;
    }
    if (record.encoding === 'json' || record.encoding === 'jsv4' || record.encoding === 'jsv6') {
      if (current === undefined) continue;
      out.push({ step: record.step, raw: current, tag: record.encoding, text: record.content, line: record.line });
    }
  }
  return out;
}
