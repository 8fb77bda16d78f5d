import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyKeys } from '../test/family-keys.js';
import type { PathAttribute } from './attributes/registry.js';
import { ASN4_CONTEXT, type CodecContext, DEFAULT_CONTEXT, makeContext } from './context.js';
import { BgpError } from './errors.js';
import { ipv4Prefix, parsePrefix, prefixToString } from './prefix.js';
import { decodeUpdate, encodeUpdate, endOfRib, isEndOfRib, type UpdateMessage, writeUpdate } from './update.js';
import { ByteWriter } from './writer.js';

/** Fixture JSON: `{ "hex": "..." }` stands for a Uint8Array, `null` path identifiers for none. */
function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'hex')
      return Uint8Array.from(Buffer.from((value as { hex: string }).hex, 'hex'));
  }
  return value === null ? undefined : value;
}
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/codec/update/${name}`, import.meta.url), 'utf8'), revive);
}
interface FixtureContext {
  asn4: boolean;
  addPath?: string[];
  extendedNextHop?: string[];
}
function context(c: FixtureContext): CodecContext {
  return makeContext({
    asn4: c.asn4,
    addPathReceive: familyKeys(c.addPath),
    addPathSend: familyKeys(c.addPath),
    extendedNextHop: familyKeys(c.extendedNextHop),
  });
}
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/[\s:]/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const MARKER = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF';
/** An UPDATE body from its three fields in hex; the two length fields are computed. */
function body(withdrawn: string, attributes: string, nlri: string): Uint8Array {
  const w = withdrawn.replace(/\s/g, '');
  const a = attributes.replace(/\s/g, '');
  const length = (field: string) => (field.length / 2).toString(16).padStart(4, '0');
  return hex(`${length(w)}${w}${length(a)}${a}${nlri.replace(/\s/g, '')}`);
}

function thrown(run: () => unknown): BgpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BgpError);
    return error as BgpError;
  }
  throw new Error('expected a BgpError, nothing was thrown');
}

describe('UPDATE message vectors (fixtures/codec/update/messages.json)', () => {
  const vectors =
    fixture<Array<{ name: string; rfc: string; context: FixtureContext; body: string; value: UpdateMessage }>>(
      'messages.json',
    );
  for (const v of vectors) {
    it(`decodes ${v.name} (${v.rfc})`, () => {
      const update = decodeUpdate(hex(v.body), context(v.context));
      expect(update).toEqual({ ...v.value, outcome: 'ok', issues: [] });
    });
    it(`encodes ${v.name} (${v.rfc})`, () => {
      const length = (19 + v.body.length / 2).toString(16).padStart(4, '0').toUpperCase();
      expect(toHex(encodeUpdate(v.value, context(v.context)))).toBe(`${MARKER}${length}02${v.body}`);
    });
  }
});

interface MalformedVector {
  name: string;
  rfc: string;
  context: FixtureContext;
  body: string;
  expect:
    | { notification: { code: number; subcode: number; data: string } }
    | {
        outcome: string;
        issues: Array<{ action: string; attribute: number; subcode: number; data: string }>;
        withdrawn?: string[];
        nlri?: string[];
        attributeKinds?: string[];
      };
}

describe('malformed UPDATEs and their RFC 7606 outcome (fixtures/codec/update/malformed.json)', () => {
  for (const v of fixture<MalformedVector[]>('malformed.json')) {
    const e = v.expect;
    if ('notification' in e) {
      it(`${v.name}: NOTIFICATION ${e.notification.code}/${e.notification.subcode} (${v.rfc})`, () => {
        const error = thrown(() => decodeUpdate(hex(v.body), context(v.context)));
        expect([error.code, error.subcode, toHex(error.data)]).toEqual([
          e.notification.code,
          e.notification.subcode,
          e.notification.data.toUpperCase(),
        ]);
      });
    } else {
      it(`${v.name}: ${e.outcome} (${v.rfc})`, () => {
        const update = decodeUpdate(hex(v.body), context(v.context));
        expect(update.outcome).toBe(e.outcome);
        expect(
          update.issues?.map((i) => ({
            action: i.action,
            attribute: i.attribute,
            subcode: i.subcode,
            data: toHex(i.data),
          })),
        ).toEqual(e.issues.map((i) => ({ ...i, data: i.data.toUpperCase() })));
        if (e.withdrawn) expect(update.withdrawn.map(prefixToString)).toEqual(e.withdrawn);
        if (e.nlri) expect(update.nlri.map(prefixToString)).toEqual(e.nlri);
        if (e.attributeKinds) expect(update.attributes.map((a) => a.kind)).toEqual(e.attributeKinds);
      });
    }
  }

  it('treat-as-withdraw turns MP_REACH_NLRI routes into an MP_UNREACH_NLRI of the same family (RFC 7606 §2)', () => {
    // ORIGIN present, AS_PATH missing: the IPv6 and the IPv4 routes are all withdrawn.
    const nh = '20010DB8000000000000000000000001';
    const update = decodeUpdate(body('', `40010100 800E1A 0002 01 10 ${nh} 00 20 20010DB8`, '18 0A0000'), ASN4_CONTEXT);
    expect(update.outcome).toBe('treat-as-withdraw');
    const unreach = update.attributes.find((a) => a.kind === 'mp-unreach-nlri');
    expect(unreach?.kind === 'mp-unreach-nlri' && unreach.withdrawn.map(prefixToString)).toEqual(['2001:db8::/32']);
    expect(update.attributes.some((a) => a.kind === 'mp-reach-nlri')).toBe(false);
    expect(update.withdrawn.map(prefixToString)).toEqual(['10.0.0.0/24']);
    expect(update.nlri).toEqual([]);
    expect(isEndOfRib(update)).toBeUndefined();
  });

  it('reports the strongest outcome when both discard and treat-as-withdraw apply (GoBGP severity ladder)', () => {
    const base = '40010100 400200 40030401010101';
    const discard = decodeUpdate(body('', `${base} 40060100`, '18 0A0000'), ASN4_CONTEXT);
    expect(discard.outcome).toBe('attribute-discard');
    expect(discard.nlri.map(prefixToString)).toEqual(['10.0.0.0/24']);
    const both = decodeUpdate(body('', `${base} 40060100 80040100`, '18 0A0000'), ASN4_CONTEXT);
    expect(both.issues?.map((i) => i.action)).toEqual(['attribute-discard', 'treat-as-withdraw']);
    expect(both.outcome).toBe('treat-as-withdraw');
    expect(both.withdrawn.map(prefixToString)).toEqual(['10.0.0.0/24']);
  });

  it('never throws anything but BgpError on mutated and truncated UPDATEs', () => {
    const fixedSeed = body(
      '',
      '40010100 40020E0203 0000FDE9 0000FDEA 0000FDEB 400304C0000201 800404 00000064 40050400000064 C00808FDE80001FDE80002',
      '18 C63364',
    );
    let random = 1;
    const next = () => {
      random = (random * 1103515245 + 12345) & 0x7fffffff;
      return random;
    };
    const contexts = [ASN4_CONTEXT, DEFAULT_CONTEXT, makeContext({ asn4: true, addPathReceive: familyKeys(['1/1']) })];
    for (let round = 0; round < 20000; round++) {
      const bytes = fixedSeed.slice(0, next() % (fixedSeed.length + 1));
      for (let flips = next() % 4; flips >= 0; flips--) {
        if (bytes.length > 0) bytes[next() % bytes.length] = next() & 0xff;
      }
      try {
        const update = decodeUpdate(bytes, contexts[round % 3]!);
        // Whatever decodes re-encodes without throwing.
        encodeUpdate(update, contexts[round % 3]!);
      } catch (error) {
        if (!(error instanceof BgpError)) throw error;
      }
    }
  });
});

describe('UPDATE (RFC 4271 §4.3)', () => {
  it('round-trips with attributes built without flags, in the order given', () => {
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [ipv4Prefix(0x0a000000, 8)],
      attributes: [
        { kind: 'origin', code: 1, origin: 0 },
        { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65001] }] },
        { kind: 'next-hop', code: 3, nextHop: 0x0a000001 },
      ],
      nlri: [parsePrefix('192.0.2.0/24')],
    };
    const bytes = encodeUpdate(update, ASN4_CONTEXT);
    const back = decodeUpdate(bytes.subarray(19), ASN4_CONTEXT);
    expect(back.nlri.map(prefixToString)).toEqual(['192.0.2.0/24']);
    expect(back.withdrawn.map(prefixToString)).toEqual(['10.0.0.0/8']);
    expect(back.attributes.map((a: PathAttribute) => a.flags)).toEqual([0x40, 0x40, 0x40]);
  });

  it('writes many messages into one caller writer without copying (writeUpdate)', () => {
    const writer = new ByteWriter(64);
    const eor = endOfRib(1, 1);
    expect(writeUpdate(writer, eor, DEFAULT_CONTEXT)).toBe(23);
    expect(writeUpdate(writer, endOfRib(2, 1), DEFAULT_CONTEXT)).toBe(30);
    expect(writer.pos).toBe(53);
    expect(toHex(writer.buf.subarray(23, 53))).toBe(`${MARKER}001E0200000007900F0003000201`);
    // encodeUpdate with a writer appends there too and returns a copy of just that message.
    const copy = encodeUpdate(eor, DEFAULT_CONTEXT, writer);
    expect(copy.length).toBe(23);
    expect(writer.pos).toBe(76);
  });

  it('refuses to build a message longer than 4096 octets without Extended Message (RangeError)', () => {
    const nlri = Array.from({ length: 1100 }, (_, i) => ipv4Prefix(i << 8, 24));
    const update: UpdateMessage = { type: 'update', withdrawn: [], attributes: [], nlri };
    expect(() => encodeUpdate(update, ASN4_CONTEXT)).toThrow(RangeError);
    expect(encodeUpdate(update, makeContext({ asn4: true, extendedMessage: true })).length).toBe(23 + 1100 * 4);
    // The shared scratch buffer is left usable after a refused message.
    expect(encodeUpdate(endOfRib(1, 1), ASN4_CONTEXT).length).toBe(23);
  });

  it('decodes a full 4096-octet UPDATE of /24s', () => {
    const count = Math.floor((4096 - 23 - 14) / 4);
    const nlri = Array.from({ length: count }, (_, i) => ipv4Prefix((10 << 24) | (i << 8), 24));
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: [
        { kind: 'origin', code: 1, origin: 0 },
        { kind: 'as-path', code: 2, segments: [] },
        { kind: 'next-hop', code: 3, nextHop: 1 },
      ],
      nlri,
    };
    const bytes = encodeUpdate(update, ASN4_CONTEXT);
    expect(bytes.length).toBeLessThanOrEqual(4096);
    expect(bytes.length).toBeGreaterThan(4090);
    expect(decodeUpdate(bytes.subarray(19), ASN4_CONTEXT).nlri).toEqual(nlri);
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it('is the empty UPDATE for IPv4 unicast', () => {
    expect(toHex(encodeUpdate(endOfRib(1, 1), DEFAULT_CONTEXT))).toBe(`${MARKER}00170200000000`);
    expect(isEndOfRib(decodeUpdate(hex('00000000'), DEFAULT_CONTEXT))).toEqual({ afi: 1, safi: 1 });
  });
  it('is an empty MP_UNREACH_NLRI with flags 0x90 for other families, as ExaBGP sends it', () => {
    const bytes = encodeUpdate(endOfRib(2, 1), ASN4_CONTEXT);
    expect(toHex(bytes)).toBe(`${MARKER}001E0200000007900F0003000201`);
    expect(isEndOfRib(decodeUpdate(bytes.subarray(19), DEFAULT_CONTEXT))).toEqual({ afi: 2, safi: 1 });
  });
  it('is recognised for families without an NLRI codec too (flowspec, 1/133)', () => {
    expect(isEndOfRib(decodeUpdate(hex('00000006800F03000185'), DEFAULT_CONTEXT))).toEqual({ afi: 1, safi: 133 });
    expect(toHex(encodeUpdate(endOfRib(1, 133), DEFAULT_CONTEXT))).toBe(`${MARKER}001E0200000007900F0003000185`);
  });
  it('is not an UPDATE with other attributes or routes', () => {
    expect(isEndOfRib(decodeUpdate(body('', '40010100 400200', ''), DEFAULT_CONTEXT))).toBeUndefined();
    expect(isEndOfRib(decodeUpdate(hex('00000008800F05000201080A'), DEFAULT_CONTEXT))).toBeUndefined();
  });
});

describe('UPDATE round trips over random routes (fast-check)', () => {
  const v4 = fc
    .tuple(
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    )
    .map(([length, bits, pathId]) => {
      const octets = (length + 7) >>> 3;
      const keep = octets === 0 ? 0 : (0xffffffff << (32 - octets * 8)) >>> 0;
      return { kind: 'prefix' as const, afi: 1 as const, length, address: (bits & keep) >>> 0, pathId };
    });
  const v6 = fc
    .tuple(
      fc.integer({ min: 0, max: 128 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    )
    .map(([length, address, pathId]) => {
      address.fill(0, (length + 7) >>> 3);
      return { kind: 'prefix' as const, afi: 2 as const, length, address, pathId };
    });
  it('decode(encode(update)) gives the routes back, with and without ADD-PATH, for IPv4 and IPv6 families', () => {
    fc.assert(
      fc.property(
        fc.array(v4, { maxLength: 40 }),
        fc.array(v4, { maxLength: 40 }),
        fc.array(v6, { maxLength: 30 }),
        fc.array(v6, { maxLength: 30 }),
        fc.boolean(),
        fc.constantFrom(1, 2),
        (withdrawn, nlri, reach, unreach, addPath, safi) => {
          const families = familyKeys(addPath ? ['1/1', `2/${safi}`] : []);
          const ctx = makeContext({ asn4: true, addPathReceive: families, addPathSend: families });
          // Without ADD-PATH the path identifier is not sent, so none comes back.
          const strip = <T extends { pathId: number | undefined }>(p: T): T =>
            addPath ? { ...p, pathId: p.pathId ?? 0 } : { ...p, pathId: undefined };
          const update: UpdateMessage = {
            type: 'update',
            withdrawn,
            attributes: [
              { kind: 'origin', code: 1, origin: 0 },
              { kind: 'as-path', code: 2, segments: [] },
              { kind: 'next-hop', code: 3, nextHop: 0x0a000001 },
              { kind: 'mp-reach-nlri', code: 14, afi: 2, safi, nextHop: new Uint8Array(16).fill(1), nlri: reach },
              { kind: 'mp-unreach-nlri', code: 15, afi: 2, safi, withdrawn: unreach },
            ],
            nlri,
          };
          const back = decodeUpdate(
            encodeUpdate(update, makeContext({ ...ctx, extendedMessage: true })).subarray(19),
            ctx,
          );
          expect(back.outcome).toBe('ok');
          expect(back.withdrawn).toEqual(withdrawn.map(strip));
          expect(back.nlri).toEqual(nlri.map(strip));
          const [, , , r, u] = back.attributes;
          expect(r?.kind === 'mp-reach-nlri' && r.nlri).toEqual(reach.map(strip));
          expect(u?.kind === 'mp-unreach-nlri' && u.withdrawn).toEqual(unreach.map(strip));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
