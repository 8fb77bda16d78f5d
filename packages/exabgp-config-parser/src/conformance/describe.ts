import {
  BgpError,
  type BgpMessage,
  decodeMessage,
  type IpPrefix,
  ipv4ToString,
  makeContext,
  prefixToString,
} from 'bgp-codec';

/** Decoding a message for people: the context ExaBGP's tests run with (4-octet AS, Extended Message). */
const CONTEXT = makeContext({ asn4: true, extendedMessage: true });

function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += (byte < 16 ? '0' : '') + byte.toString(16);
  return out.toUpperCase();
}

function isPrefix(x: unknown): x is IpPrefix {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as { afi?: unknown; length?: unknown; address?: unknown };
  return (p.afi === 1 || p.afi === 2) && typeof p.length === 'number' && p.address !== undefined;
}

/** JSON of a decoded field, prefixes and IPv4 addresses written the way people read them. */
function value(v: unknown): string {
  return JSON.stringify(v, (key, x) => {
    if (isPrefix(x)) return x.pathId === undefined ? prefixToString(x) : `${prefixToString(x)} path ${x.pathId}`;
    if (typeof x === 'number' && (key === 'nextHop' || key === 'address' || key === 'originatorId'))
      return ipv4ToString(x);
    if (x instanceof Uint8Array) return `0x${toHex(x)}`;
    if (typeof x === 'bigint') return x.toString();
    return x;
  });
}

/** One line per field of a message, decoded by the codec (its raw hex when it does not decode). */
export function messageLines(bytes: Uint8Array): string[] {
  let message: BgpMessage;
  try {
    message = decodeMessage(bytes, CONTEXT);
  } catch (error) {
    const why = error instanceof BgpError ? `${error.code}/${error.subcode} ${error.message}` : String(error);
    return [`undecodable (${why})`, `hex ${toHex(bytes)}`];
  }
  const lines = [`${message.type} (${bytes.length} bytes)`];
  switch (message.type) {
    case 'update':
      if (message.withdrawn.length > 0) lines.push(`withdrawn ${value(message.withdrawn)}`);
      for (const attribute of message.attributes) {
        const { kind, code, ...rest } = attribute as { kind: string; code: number };
        lines.push(`attribute ${code} ${kind} ${value(rest)}`);
      }
      if (message.nlri.length > 0) lines.push(`nlri ${value(message.nlri)}`);
      break;
    case 'open':
      lines.push(`version ${message.version} as ${message.asn} hold ${message.holdTime} id ${message.bgpIdentifier}`);
      if (message.extendedOptionalParameters) lines.push('RFC 9072 extended optional parameters');
      for (const capability of message.capabilities) lines.push(`capability ${value(capability)}`);
      break;
    case 'notification': {
      lines.push(`code ${message.code} subcode ${message.subcode}`);
      const text = new TextDecoder().decode(message.data);
      lines.push(/^[\x20-\x7e]*$/.test(text) ? `data "${text}"` : `data 0x${toHex(message.data)}`);
      break;
    }
    default: {
      const { type, ...rest } = message as { type: string };
      lines.push(value(rest));
    }
  }
  return lines;
}

/** A message given as hex, decoded on one line. */
export function describeMessage(hex: string): string {
  return messageLines(hexToBytes(hex)).join('; ');
}

/**
 * Expected and ours side by side: both hex strings, the first differing byte, then the decoded fields in two
 * columns with `!` in front of the lines that differ.
 */
export function sideBySide(expectedHex: string | undefined, ours: Uint8Array): string[] {
  const oursHex = toHex(ours);
  const out: string[] = [];
  if (expectedHex === undefined) {
    out.push(`ours:     ${oursHex}`);
    for (const line of messageLines(ours)) out.push(`  ours: ${line}`);
    return out;
  }
  const expected = hexToBytes(expectedHex);
  out.push(`expected: ${toHex(expected)}`);
  out.push(`ours:     ${oursHex}`);
  let at = 0;
  while (at < expected.length && at < ours.length && expected[at] === ours[at]) at++;
  out.push(`first difference at byte ${at}`);
  const left = messageLines(expected);
  const right = messageLines(ours);
  const width = Math.min(70, Math.max(8, ...left.map((l) => l.length)));
  out.push(`  ${'expected'.padEnd(width)} | ours`);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? '';
    const r = right[i] ?? '';
    const mark = l === r ? ' ' : '!';
    const shown = l.length > width ? `${l.slice(0, width - 3)}...` : l;
    out.push(`${mark} ${shown.padEnd(width)} | ${r}`);
  }
  return out;
}
