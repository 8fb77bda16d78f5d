import type { MpReachNlriAttribute } from './attributes/attr-14-mp-reach-nlri.js';
import type { MpUnreachNlriAttribute } from './attributes/attr-15-mp-unreach-nlri.js';
import { attributeRow, type PathAttribute, writeAttribute } from './attributes/registry.js';
import { AttributeFlag, copyBytes, type ErrorAction, readU16, updateError } from './attributes/types.js';
import { HEADER_LENGTH, MAX_EXTENDED_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH, MessageType } from './constants.js';
import type { CodecContext } from './context.js';
import { BgpError, UpdateSubcode } from './errors.js';
import { familyKey } from './families/key.js';
import { familyRowOf, type Nlri } from './families/table.js';
import { beginMessage, endMessage } from './header.js';
import { decodeIpv4Prefixes, writeIpPrefix } from './nlri/ip.js';
import type { Ipv4Prefix } from './prefix.js';
import { ByteWriter } from './writer.js';

/** RFC 7606 §2: what became of an UPDATE that had attribute errors (session reset is thrown instead). */
export type UpdateOutcome = 'ok' | 'attribute-discard' | 'treat-as-withdraw';

/** One attribute error found while decoding, and the NOTIFICATION it would have been under RFC 4271. */
export interface AttributeIssue {
  readonly action: Exclude<ErrorAction, 'session-reset'>;
  /** The attribute type code concerned. */
  readonly attribute: number;
  /** UPDATE Message Error subcode (RFC 4271 §6.3) that describes the error. */
  readonly subcode: number;
  /** The erroneous attribute (flags, type, length, value) or, for a missing attribute, its type code. */
  readonly data: Uint8Array;
  readonly reason: string;
}

/**
 * An UPDATE (RFC 4271 §4.3). `withdrawn` and `nlri` are the IPv4 unicast Withdrawn Routes and NLRI fields;
 * other families travel in MP_REACH_NLRI / MP_UNREACH_NLRI attributes. `attributes` are in wire order.
 */
export interface UpdateMessage {
  readonly type: 'update';
  withdrawn: Ipv4Prefix[];
  attributes: PathAttribute[];
  nlri: Ipv4Prefix[];
  /**
   * Set by the decoder: the strongest RFC 7606 action the message called for. On 'treat-as-withdraw' the
   * decoder has already moved every announced route to withdrawn: `nlri` into `withdrawn`, and each
   * MP_REACH_NLRI's routes into an MP_UNREACH_NLRI of the same family (RFC 7606 §2).
   */
  outcome?: UpdateOutcome;
  /** Set by the decoder: the attribute errors behind `outcome` (empty when 'ok'). */
  issues?: readonly AttributeIssue[];
}

const NO_ISSUES: readonly AttributeIssue[] = Object.freeze([]);

/** The Withdrawn Routes and NLRI fields carry IPv4 unicast (RFC 4271 §4.3). */
const IPV4_UNICAST_KEY = familyKey(1, 1);

/** RFC 4271 §6.3 errors in the Withdrawn Routes and NLRI fields: 3/10 Invalid Network Field, no data. */
function decodeIpv4Field(body: Uint8Array, start: number, end: number, addPath: boolean, name: string): Ipv4Prefix[] {
  const out: Ipv4Prefix[] = [];
  if (start === end) return out;
  try {
    decodeIpv4Prefixes(body, start, end, addPath, out);
  } catch (error) {
    if (error instanceof BgpError) {
      throw updateError(UpdateSubcode.INVALID_NETWORK_FIELD, `${name}: ${error.message}`);
    }
    throw error;
  }
  return out;
}

export interface DecodeUpdateOptions {
  /**
   * Keep an attribute with an unknown type code and the Optional bit clear as an unknown attribute instead of
   * throwing 3/2 Unrecognized Well-known Attribute. For tools that print what was received (ExaBGP's decoder
   * does this, and ExaBGP sends such attributes when configured to); a session must not set it.
   */
  readonly acceptUnrecognizedWellKnown?: boolean;
}

/**
 * Decode an UPDATE body (the message after its 19-byte header).
 *
 * Errors that leave no way to go on throw {@link BgpError} with the NOTIFICATION to send (session reset).
 * Attribute errors RFC 7606 lets the session survive are recorded in `issues`, decoding goes on, and the
 * strongest of them is `outcome` (GoBGP's severity ladder). Never throws anything else; every loop advances
 * by at least one octet; nothing allocated is larger than the message.
 */
export function decodeUpdate(body: Uint8Array, ctx: CodecContext, options?: DecodeUpdateOptions): UpdateMessage {
  const length = body.length;
  // RFC 4271 §6.3: "If the Withdrawn Routes Length or Total Attribute Length is too large (i.e., if Withdrawn
  // Routes Length + Total Attribute Length + 23 exceeds the message Length), then the Error Subcode MUST be set
  // to Malformed Attribute List." RFC 7606 §4 keeps this a session reset: the NLRI cannot be located.
  if (length < 4) throw updateError(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, 'UPDATE shorter than its length fields');
  const withdrawnEnd = 2 + ((body[0]! << 8) | body[1]!);
  if (withdrawnEnd + 2 > length) {
    throw updateError(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, 'Withdrawn Routes Length overruns the message');
  }
  const attributesStart = withdrawnEnd + 2;
  const attributesEnd = attributesStart + ((body[withdrawnEnd]! << 8) | body[withdrawnEnd + 1]!);
  if (attributesEnd > length) {
    throw updateError(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, 'Total Path Attribute Length overruns the message');
  }
  const addPath = ctx.addPathReceive.size > 0 && ctx.addPathReceive.has(IPV4_UNICAST_KEY);
  // RFC 7606 §5.3: a syntactically incorrect Withdrawn Routes or NLRI field cannot be treated as withdraw.
  const withdrawn = decodeIpv4Field(body, 2, withdrawnEnd, addPath, 'Withdrawn Routes');

  const attributes: PathAttribute[] = [];
  // Allocated on the first error only: the common case builds no issue list.
  let issues: AttributeIssue[] | undefined;
  // Type codes seen so far: a bit per code below 32, a list for the rest.
  let seen = 0;
  let seenHigh: number[] | undefined;
  let reachNlri = 0;
  let i = attributesStart;
  while (i < attributesEnd) {
    const remaining = attributesEnd - i;
    const flags = body[i]!;
    const headerLength = flags & AttributeFlag.EXTENDED_LENGTH ? 4 : 3;
    // RFC 7606 §4: "... fewer than three octets remain (or fewer than four octets, if the Attribute Flags field
    // has the Extended Length bit set) when beginning to parse the attribute ... [or] the length of the last
    // encountered path attribute would cause the Total Attribute Length to be exceeded ... an error condition
    // exists and the 'treat-as-withdraw' approach MUST be used ... and the Total Attribute Length MUST be
    // relied upon to enable the beginning of the NLRI field to be located."
    if (remaining < headerLength) {
      issues = record(issues, {
        action: 'treat-as-withdraw',
        attribute: remaining > 1 ? body[i + 1]! : 0,
        subcode: UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
        data: copyBytes(body, i, attributesEnd),
        reason: `${remaining} octets left, too few for an attribute header`,
      });
      break;
    }
    const code = body[i + 1]!;
    const valueStart = i + headerLength;
    const valueEnd = valueStart + (headerLength === 4 ? readU16(body, i + 2) : body[i + 2]!);
    if (valueEnd > attributesEnd) {
      issues = record(issues, {
        action: 'treat-as-withdraw',
        attribute: code,
        subcode: UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
        data: copyBytes(body, i, attributesEnd),
        reason: `attribute ${code} overruns the Total Path Attribute Length`,
      });
      break;
    }
    const start = i;
    i = valueEnd;

    // RFC 7606 §3(g): "If the MP_REACH_NLRI attribute or the MP_UNREACH_NLRI attribute appears more than once
    // in the UPDATE message, then a NOTIFICATION message MUST be sent with the Error Subcode 'Malformed
    // Attribute List'. If any other attribute (whether recognized or unrecognized) appears more than once in
    // an UPDATE message, then all the occurrences of the attribute other than the first one SHALL be discarded
    // and the UPDATE message will continue to be processed."
    let duplicate: boolean;
    if (code < 32) {
      duplicate = (seen & (1 << code)) !== 0;
      seen |= 1 << code;
    } else {
      seenHigh ??= [];
      duplicate = seenHigh.includes(code);
      if (!duplicate) seenHigh.push(code);
    }
    if (duplicate) {
      if (code === 14 || code === 15) {
        throw updateError(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, `attribute ${code} appears twice`);
      }
      issues = record(issues, {
        action: 'attribute-discard',
        attribute: code,
        subcode: UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
        data: copyBytes(body, start, valueEnd),
        reason: `attribute ${code} appears more than once`,
      });
      continue;
    }

    const row = attributeRow(code);
    if (row === undefined || (row.carriesNlri && !mpFamilyKnown(body, code, valueStart, valueEnd))) {
      // RFC 4271 §6.3: "If any of the well-known mandatory attributes are not recognized, then the Error
      // Subcode MUST be set to Unrecognized Well-known Attribute. The Data field MUST contain the unrecognized
      // attribute (type, length, and value)." Unrecognized optional attributes are kept (RFC 4271 §5).
      if (row === undefined && !(flags & AttributeFlag.OPTIONAL) && !options?.acceptUnrecognizedWellKnown) {
        throw updateError(
          UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
          `unrecognized well-known attribute ${code}`,
          copyBytes(body, start, valueEnd),
        );
      }
      attributes.push({ kind: 'unknown', code, flags, value: copyBytes(body, valueStart, valueEnd) });
      continue;
    }

    // RFC 7606 §3(c): "If the value of either the Optional or Transitive bits in the Attribute Flags is in
    // conflict with their specified values, then the attribute MUST be treated as malformed and the
    // 'treat-as-withdraw' approach used, unless the specification for the attribute mandates different
    // handling for incorrect Attribute Flags." MP_REACH_NLRI / MP_UNREACH_NLRI are still read so their
    // routes can be withdrawn.
    if (((flags ^ row.flags) & (AttributeFlag.OPTIONAL | AttributeFlag.TRANSITIVE)) !== 0) {
      issues = record(issues, {
        action: 'treat-as-withdraw',
        attribute: code,
        subcode: UpdateSubcode.ATTRIBUTE_FLAGS_ERROR,
        data: copyBytes(body, start, valueEnd),
        reason: `${row.name} with flags 0x${flags.toString(16)}`,
      });
      if (!row.carriesNlri) continue;
    }

    let attribute: PathAttribute;
    try {
      attribute = row.decode(body, valueStart, valueEnd, flags, ctx);
    } catch (error) {
      if (!(error instanceof BgpError)) throw error;
      const data = copyBytes(body, start, valueEnd);
      if (row.onError === 'session-reset') throw updateError(error.subcode, error.message, data);
      issues = record(issues, {
        action: row.onError,
        attribute: code,
        subcode: error.subcode,
        data,
        reason: error.message,
      });
      continue;
    }
    if (code === 14) reachNlri = (attribute as MpReachNlriAttribute).nlri.length;
    attributes.push(attribute);
  }

  // RFC 4271 §6.3 / RFC 7606 §4: the NLRI field is what follows the Total Path Attribute Length.
  const nlri = decodeIpv4Field(body, attributesEnd, length, addPath, 'NLRI');

  // RFC 7606 §3(d): "If any of the well-known mandatory attributes are not present in an UPDATE message, then
  // 'treat-as-withdraw' MUST be used. (Note that [RFC4760] reclassifies NEXT_HOP as what is effectively
  // discretionary.)" ORIGIN and AS_PATH are needed whenever routes are announced; NEXT_HOP when the NLRI field
  // carries them (RFC 4760 §3). Data: the missing type code (RFC 4271 §6.3).
  if (nlri.length > 0 || reachNlri > 0) {
    const missing = (nlri.length > 0 ? MANDATORY_WITH_NLRI : MANDATORY) & ~seen;
    if (missing !== 0) {
      for (const code of [1, 2, 3]) {
        if ((missing & (1 << code)) === 0) continue;
        issues = record(issues, {
          action: 'treat-as-withdraw',
          attribute: code,
          subcode: UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE,
          data: Uint8Array.of(code),
          reason: `missing well-known attribute ${attributeRow(code)?.name ?? code}`,
        });
      }
    }
  }

  if (issues === undefined) return { type: 'update', withdrawn, attributes, nlri, outcome: 'ok', issues: NO_ISSUES };
  let outcome: UpdateOutcome = 'attribute-discard';
  for (const issue of issues) if (issue.action === 'treat-as-withdraw') outcome = 'treat-as-withdraw';
  const message: UpdateMessage = { type: 'update', withdrawn, attributes, nlri, outcome, issues };
  if (outcome === 'treat-as-withdraw') treatAsWithdraw(message);
  return message;
}

function record(issues: AttributeIssue[] | undefined, issue: AttributeIssue): AttributeIssue[] {
  if (issues === undefined) return [issue];
  issues.push(issue);
  return issues;
}

/** ORIGIN and AS_PATH, as bits of the `seen` mask; NEXT_HOP too when the NLRI field carries routes. */
const MANDATORY = (1 << 1) | (1 << 2);
const MANDATORY_WITH_NLRI = MANDATORY | (1 << 3);

/** MP_REACH/MP_UNREACH of a family with an NLRI codec, or an MP_UNREACH with no NLRI (an End-of-RIB). */
function mpFamilyKnown(body: Uint8Array, code: number, start: number, end: number): boolean {
  if (end - start < 3) return true; // too short: the row reports it
  if (code === 15 && end - start === 3) return true;
  return familyRowOf(readU16(body, start), body[start + 2]!)?.codec !== undefined;
}

/**
 * RFC 7606 §2: "'Treat-as-withdraw': In this approach, the UPDATE message containing the path attribute in
 * question MUST be treated as though all contained routes had been withdrawn just as if they had been listed
 * in the WITHDRAWN ROUTES field (or in the MP_UNREACH_NLRI attribute if appropriate) of the UPDATE message".
 */
function treatAsWithdraw(message: UpdateMessage): void {
  if (message.nlri.length > 0) {
    message.withdrawn = message.withdrawn.concat(message.nlri);
    message.nlri = [];
  }
  const attributes: PathAttribute[] = [];
  const unreach: MpUnreachNlriAttribute[] = [];
  for (const attribute of message.attributes) {
    if (attribute.kind === 'mp-reach-nlri') {
      const existing = unreach.find((u) => u.afi === attribute.afi && u.safi === attribute.safi);
      if (existing) existing.withdrawn.push(...attribute.nlri);
      else {
        const moved: MpUnreachNlriAttribute = {
          kind: 'mp-unreach-nlri',
          code: 15,
          flags: AttributeFlag.OPTIONAL,
          afi: attribute.afi,
          safi: attribute.safi,
          withdrawn: [...attribute.nlri],
        };
        unreach.push(moved);
        attributes.push(moved);
      }
    } else if (attribute.kind === 'mp-unreach-nlri') {
      const existing = unreach.find((u) => u.afi === attribute.afi && u.safi === attribute.safi);
      if (existing) existing.withdrawn.push(...attribute.withdrawn);
      else {
        const copy = { ...attribute, withdrawn: [...attribute.withdrawn] };
        unreach.push(copy);
        attributes.push(copy);
      }
    } else {
      attributes.push(attribute);
    }
  }
  message.attributes = attributes;
}

/**
 * Write a whole UPDATE, header included, at the writer's position: nothing is copied, so bulk senders can
 * put many messages in one buffer. Returns the message length. A message longer than 4096 octets (65535 with
 * Extended Message) is a caller error: RangeError.
 */
export function writeUpdate(writer: ByteWriter, msg: UpdateMessage, ctx: CodecContext): number {
  const start = beginMessage(writer, MessageType.UPDATE);
  const addPath = ctx.addPathSend.size > 0 && ctx.addPathSend.has(IPV4_UNICAST_KEY);
  const withdrawnAt = writer.mark(2);
  for (const prefix of msg.withdrawn) writeIpPrefix(writer, prefix, addPath);
  writer.fill(withdrawnAt, 2);
  const attributesAt = writer.mark(2);
  for (const attribute of msg.attributes) writeAttribute(writer, attribute, ctx);
  writer.fill(attributesAt, 2);
  for (const prefix of msg.nlri) writeIpPrefix(writer, prefix, addPath);
  return endMessage(writer, start, ctx.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH);
}

/**
 * Without a caller's writer, messages are written straight into a shared slab and handed out as views of it
 * (Node's `Buffer.allocUnsafe` pool idea): one ArrayBuffer per 64 KiB of output instead of one per message,
 * which halves the cost of encoding a typical UPDATE. The writer only moves forward in a slab and starts a
 * new one when fewer than 4096 octets are left, so views handed out are never written again.
 */
const SLAB_SIZE = 64 * 1024;
const slab = new ByteWriter(SLAB_SIZE);

/**
 * Encode a whole UPDATE, header included. With `writer`, the message is appended there and a copy of it
 * returned. Without, the result is a view of a shared slab: `result.buffer` is larger than the message (use
 * `byteOffset`/`byteLength`, or `slice()` it before transferring the buffer). Attributes are written in the
 * order given: see `orderAttributes` for ExaBGP's order.
 */
export function encodeUpdate(msg: UpdateMessage, ctx: CodecContext, writer?: ByteWriter): Uint8Array {
  if (writer !== undefined) {
    const start = writer.pos;
    try {
      writeUpdate(writer, msg, ctx);
    } catch (error) {
      writer.pos = start;
      throw error;
    }
    return writer.buf.slice(start, writer.pos);
  }
  if (slab.buf.length - slab.pos < MAX_MESSAGE_LENGTH || slab.buf.length > SLAB_SIZE) {
    slab.buf = new Uint8Array(SLAB_SIZE);
    slab.view = new DataView(slab.buf.buffer);
    slab.pos = 0;
  }
  const start = slab.pos;
  try {
    writeUpdate(slab, msg, ctx);
  } catch (error) {
    slab.pos = start;
    throw error;
  }
  const end = slab.pos;
  // An Extended Message longer than what was left made the writer grow into a new buffer: fine, the view is
  // of that buffer, and the size check above starts a fresh slab next time.
  slab.pos = (end + 7) & ~7;
  return slab.buf.subarray(start, end);
}

/**
 * The End-of-RIB marker of a family (RFC 4724 §2): for IPv4 unicast an UPDATE with nothing in it; for any
 * other family an UPDATE with only an empty MP_UNREACH_NLRI. ExaBGP sends that attribute with the Extended
 * Length flag (0x90), and so does this.
 */
export function endOfRib(afi: number, safi: number): UpdateMessage {
  if (afi === 1 && safi === 1) return { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  const unreach: MpUnreachNlriAttribute = {
    kind: 'mp-unreach-nlri',
    code: 15,
    flags: AttributeFlag.OPTIONAL | AttributeFlag.EXTENDED_LENGTH,
    afi,
    safi,
    withdrawn: [] as Nlri[],
  };
  return { type: 'update', withdrawn: [], attributes: [unreach], nlri: [] };
}

/** The family an UPDATE is the End-of-RIB of, or undefined (RFC 4724 §2). */
export function isEndOfRib(update: UpdateMessage): { afi: number; safi: number } | undefined {
  if (update.withdrawn.length > 0 || update.nlri.length > 0) return undefined;
  const attributes = update.attributes;
  if (attributes.length === 0) return { afi: 1, safi: 1 };
  const only = attributes[0]!;
  if (attributes.length !== 1 || only.kind !== 'mp-unreach-nlri' || only.withdrawn.length > 0) return undefined;
  if (update.outcome === 'treat-as-withdraw') return undefined;
  return { afi: only.afi, safi: only.safi };
}

/** One family's routes in an UPDATE: the UPDATE's own NLRI or Withdrawn Routes field, or one MP attribute. */
export interface FamilyRoutes {
  readonly afi: number;
  readonly safi: number;
  /**
   * Of announced routes, the next hop: the NEXT_HOP address for the NLRI field (empty when there is none),
   * MP_REACH_NLRI's Network Address of Next Hop octets otherwise. Undefined for withdrawn routes.
   */
  readonly nextHop: Uint8Array | undefined;
  readonly nlri: readonly Nlri[];
}

/** The announced routes of an UPDATE by where they travel: its NLRI field first, then each MP_REACH_NLRI. */
export function announcedRoutes(update: UpdateMessage): FamilyRoutes[] {
  let nextHop: Uint8Array = new Uint8Array(0);
  const mp: FamilyRoutes[] = [];
  for (const attribute of update.attributes) {
    if (attribute.kind === 'next-hop') {
      const a = attribute.nextHop;
      nextHop = Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
    } else if (attribute.kind === 'mp-reach-nlri') {
      mp.push({ afi: attribute.afi, safi: attribute.safi, nextHop: attribute.nextHop, nlri: attribute.nlri });
    }
  }
  return [{ afi: 1, safi: 1, nextHop, nlri: update.nlri }, ...mp];
}

/** The withdrawn routes of an UPDATE: its Withdrawn Routes field first, then each MP_UNREACH_NLRI. */
export function withdrawnRoutes(update: UpdateMessage): FamilyRoutes[] {
  const out: FamilyRoutes[] = [{ afi: 1, safi: 1, nextHop: undefined, nlri: update.withdrawn }];
  for (const attribute of update.attributes) {
    if (attribute.kind === 'mp-unreach-nlri') {
      out.push({ afi: attribute.afi, safi: attribute.safi, nextHop: undefined, nlri: attribute.withdrawn });
    }
  }
  return out;
}

/** The smallest UPDATE: header and two zero lengths (RFC 4271 §4.3). */
export const MIN_UPDATE_LENGTH = HEADER_LENGTH + 4;
