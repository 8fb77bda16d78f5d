import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, loadVectors, toHex } from '../../../fixtures/codec/vectors.js';
import { AS_TRANS } from './attributes/attr-02-as-path.js';
import type { Capability } from './capabilities.js';
import { BgpError } from './errors.js';
import { FrameParser } from './framing.js';
import {
  checkBgpIdentifier,
  checkHoldTime,
  decodeOpen,
  encodeOpen,
  type OpenMessage,
  openAsn,
  parseBgpIdentifier,
} from './open.js';
import { ByteWriter } from './writer.js';

const file = loadVectors<OpenMessage>('open');

function raised(run: () => unknown): BgpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BgpError);
    return error as BgpError;
  }
  throw new Error('expected a BgpError, nothing was thrown');
}

const base: OpenMessage = {
  type: 'open',
  version: 4,
  asn: 65001,
  holdTime: 180,
  bgpIdentifier: '198.51.100.7',
  capabilities: [],
};

describe('OPEN vectors (fixtures/codec/open.json)', () => {
  for (const vector of file.vectors) {
    const bytes = fromHex(vector.hex);
    it(`decodes ${vector.name} (${vector.spec})`, () => {
      expect(decodeOpen(bytes.subarray(19))).toEqual(vector.value);
    });
    if (vector.direction !== 'decode') {
      it(`encodes ${vector.name}`, () => {
        expect(toHex(encodeOpen(vector.value))).toBe(vector.hex);
      });
    }
  }
});

describe('malformed OPENs raise the NOTIFICATION of RFC 4271 §6', () => {
  for (const vector of file.malformed) {
    it(`${vector.name}: ${vector.code}/${vector.subcode} (${vector.spec})`, () => {
      const error = raised(() => decodeOpen(fromHex(vector.hex).subarray(19)));
      expect([error.code, error.subcode, toHex(error.data)]).toEqual([vector.code, vector.subcode, vector.data]);
    });
  }
});

describe('OPEN encoding', () => {
  it('switches to the RFC 9072 format by itself when the parameters exceed 255 bytes', () => {
    const extended = file.vectors.find((v) => v.value.extendedOptionalParameters && v.value.capabilities.length > 1);
    expect(extended).toBeDefined();
    const { extendedOptionalParameters: _, ...plain } = extended!.value;
    expect(toHex(encodeOpen(plain))).toBe(extended!.hex);
  });

  it('keeps the RFC 4271 format for parameters of exactly 255 bytes (RFC 9072 §2: "does not exceed 255")', () => {
    // One parameter: type, length, capability code, length, 251 bytes of value = 255 bytes.
    const open = { ...base, capabilities: [{ type: 'unknown', code: 66, data: new Uint8Array(251) }] } as const;
    const bytes = encodeOpen(open);
    expect(bytes[28]).toBe(255);
    expect(bytes[29]).toBe(2);
    expect(bytes.length).toBe(29 + 255);
    expect(decodeOpen(bytes.subarray(19))).toEqual(open);
  });

  it('uses the RFC 9072 format at 256 bytes', () => {
    const open = { ...base, capabilities: [{ type: 'unknown', code: 66, data: new Uint8Array(252) }] } as const;
    const bytes = encodeOpen(open);
    expect(toHex(bytes.subarray(28, 32))).toBe('ffff0101');
    expect(decodeOpen(bytes.subarray(19))).toEqual({ ...open, extendedOptionalParameters: true });
  });

  it('uses the RFC 9072 format for one capability too large for a 1-octet parameter length', () => {
    const open = { ...base, capabilities: [{ type: 'unknown', code: 66, data: new Uint8Array(254) }] } as const;
    const bytes = encodeOpen(open);
    expect(toHex(bytes.subarray(28, 35))).toBe('ffff0103020100');
  });

  it('sends AS_TRANS for a 4-octet AS (RFC 6793 §4.1) and reads the AS back from the capability', () => {
    const open: OpenMessage = { ...base, asn: 4200000000, capabilities: [{ type: 'asn4', asn: 4200000000 }] };
    const decoded = decodeOpen(encodeOpen(open).subarray(19));
    expect(decoded.asn).toBe(AS_TRANS);
    expect(openAsn(decoded)).toBe(4200000000);
    expect(openAsn({ ...base, asn: 65010 })).toBe(65010);
  });

  it('appends to a given writer and returns this message only', () => {
    const writer = new ByteWriter(8);
    writer.u8(0xaa);
    const bytes = encodeOpen(base, writer);
    expect(bytes.length).toBe(29);
    expect(writer.pos).toBe(30);
    expect(toHex(writer.buf.subarray(1, 30))).toBe(toHex(bytes));
  });

  it('refuses fields out of range and identifiers that are no dotted quad', () => {
    expect(() => encodeOpen({ ...base, holdTime: 65536 })).toThrow(RangeError);
    expect(() => encodeOpen({ ...base, version: 256 })).toThrow(RangeError);
    expect(() => encodeOpen({ ...base, asn: -1 })).toThrow(RangeError);
    expect(() => encodeOpen({ ...base, bgpIdentifier: '1.2.3' })).toThrow(RangeError);
    expect(() => encodeOpen({ ...base, bgpIdentifier: '1.2.3.256' })).toThrow(RangeError);
  });

  it('leaves a given writer as it was when the OPEN cannot be encoded', () => {
    const writer = new ByteWriter(8);
    writer.u8(0xaa);
    const tooLong: OpenMessage = {
      ...base,
      capabilities: Array.from(
        { length: 20 },
        () => ({ type: 'unknown', code: 66, data: new Uint8Array(250) }) as const,
      ),
    };
    expect(() => encodeOpen(tooLong, writer)).toThrow(RangeError);
    expect(() => encodeOpen({ ...base, capabilities: [{ type: 'asn4', asn: -1 }] }, writer)).toThrow(RangeError);
    expect(writer.pos).toBe(1);
  });

  it('parses dotted quads', () => {
    expect(parseBgpIdentifier('10.0.0.1')).toBe(0x0a000001);
    expect(parseBgpIdentifier('255.255.255.255')).toBe(0xffffffff);
  });
});

describe('checks the FSM applies to a received OPEN', () => {
  it('accepts a Hold Time of 0 or at least 3 seconds, else 2/6 (RFC 4271 §6.2)', () => {
    for (const ok of [0, 3, 90, 65535]) expect(checkHoldTime(ok)).toBeUndefined();
    for (const bad of [1, 2]) {
      const error = checkHoldTime(bad);
      expect([error?.code, error?.subcode, error?.data.length]).toEqual([2, 6, 0]);
    }
  });

  it('accepts any non-zero BGP Identifier, else 2/3 (RFC 6286 §2.2)', () => {
    for (const ok of ['0.0.0.1', '10.0.0.1', '255.255.255.255', '0.0.1.0'])
      expect(checkBgpIdentifier(ok)).toBeUndefined();
    for (const bad of ['0.0.0.0', 'router', '1.2.3.4.5']) {
      const error = checkBgpIdentifier(bad);
      expect([error?.code, error?.subcode]).toEqual([2, 3]);
    }
  });
});

const capabilityArbitrary: fc.Arbitrary<Capability> = fc.oneof(
  fc.record({ type: fc.constant('multiprotocol' as const), afi: fc.nat(0xffff), safi: fc.nat(0xff) }),
  fc.constantFrom<Capability>(
    { type: 'route-refresh' },
    { type: 'extended-message' },
    { type: 'enhanced-route-refresh' },
    { type: 'link-local-next-hop' },
    { type: 'route-refresh-cisco' },
  ),
  fc.record({
    type: fc.constant('extended-next-hop' as const),
    entries: fc.array(fc.record({ afi: fc.nat(0xffff), safi: fc.nat(0xffff), nextHopAfi: fc.nat(0xffff) }), {
      maxLength: 5,
    }),
  }),
  fc.record({
    type: fc.constant('graceful-restart' as const),
    restartFlags: fc.nat(15),
    restartTime: fc.nat(4095),
    families: fc.array(fc.record({ afi: fc.nat(0xffff), safi: fc.nat(0xff), flags: fc.nat(0xff) }), { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant('asn4' as const), asn: fc.nat(0xffffffff) }),
  fc.record({
    type: fc.constant('add-path' as const),
    families: fc.array(fc.record({ afi: fc.nat(0xffff), safi: fc.nat(0xff), sendReceive: fc.nat(0xff) }), {
      maxLength: 5,
    }),
  }),
  fc.record({
    type: fc.constant('fqdn' as const),
    // At most 4 UTF-8 bytes per code point: both names fit the 255-byte value.
    hostname: fc.string({ maxLength: 30, unit: 'binary' }),
    domain: fc.string({ maxLength: 30, unit: 'binary' }),
  }),
  fc.record({ type: fc.constant('software-version' as const), version: fc.string({ maxLength: 60, unit: 'binary' }) }),
  fc.record({
    type: fc.constant('multisession' as const),
    variant: fc.constantFrom('rfc' as const, 'cisco' as const),
    data: fc.uint8Array({ maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('unknown' as const),
    code: fc.constantFrom(0, 3, 4, 9, 66, 67, 71, 76, 127, 200, 255),
    data: fc.uint8Array({ maxLength: 40 }),
  }),
);

const openArbitrary: fc.Arbitrary<OpenMessage> = fc.record({
  type: fc.constant('open' as const),
  version: fc.constant(4),
  asn: fc.nat(0xffff),
  holdTime: fc.nat(0xffff),
  bgpIdentifier: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.')),
  // 12 capabilities of at most 257 bytes keep the OPEN under 4096 bytes.
  capabilities: fc.array(capabilityArbitrary, { maxLength: 12 }),
});

describe('OPEN properties (fast-check)', () => {
  it('decode(encode(open)) is open, with the RFC 9072 flag set exactly when it was needed', () => {
    fc.assert(
      fc.property(openArbitrary, (open) => {
        const bytes = encodeOpen(open);
        const decoded = decodeOpen(bytes.subarray(19));
        const { extendedOptionalParameters, ...rest } = decoded;
        expect(rest).toEqual(open);
        expect(extendedOptionalParameters === true).toBe(bytes[29] === 255);
        expect(toHex(encodeOpen(decoded))).toBe(toHex(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('random and mutated bytes raise BgpError or decode, never anything else', () => {
    const valid = fc.tuple(openArbitrary, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }), fc.nat());
    fc.assert(
      fc.property(valid, ([open, flips, cut]) => {
        const body = encodeOpen(open).slice(19);
        for (const [at, value] of flips) if (body.length > 0) body[at % body.length] = value;
        const truncated = body.subarray(0, body.length - (cut % (body.length + 1)));
        try {
          decodeOpen(truncated);
        } catch (error) {
          expect(error).toBeInstanceOf(BgpError);
        }
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeOpen(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(BgpError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

/** ExaBGP's corpus, read where it lies (never copied): ../shared/exabgp-qa from the repository root. */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const qaDir = process.env.EXABGP_QA_DIR ?? resolve(repoRoot, '../shared/exabgp-qa');
const qaMissing = !existsSync(resolve(qaDir, 'qa/encoding'));
if (qaMissing) console.warn(`ExaBGP OPEN vectors skipped: no ExaBGP QA corpus at ${qaDir} (set EXABGP_QA_DIR)`);

/** Every `raw:` OPEN of the encoding corpus (files with option:open:inspect-open-message). */
function corpusOpens(): Array<{ file: string; hex: string }> {
  const out: Array<{ file: string; hex: string }> = [];
  const dir = resolve(qaDir, 'qa/encoding');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ci'))) {
    const text = readFileSync(resolve(dir, name), 'utf8');
    if (!text.includes('inspect-open-message')) continue;
    for (const line of text.split('\n')) {
      if (line.includes('#')) continue;
      const match = /^[A-Z]?\d+:raw:(.*)$/.exec(line.trim());
      if (!match) continue;
      const hex = (match[1] as string).replace(/:/g, '');
      if (hex.slice(36, 38) === '01') out.push({ file: name, hex });
    }
  }
  return out;
}

describe.skipIf(qaMissing)(`ExaBGP's OPENs (${qaMissing ? `SKIPPED: no corpus at ${qaDir}` : qaDir})`, () => {
  const opens = qaMissing ? [] : corpusOpens();

  it('finds the OPENs of the inspect-open-message tests', () => {
    expect(opens.length).toBeGreaterThanOrEqual(3);
  });

  for (const { file, hex } of opens) {
    it(`${file}: frames, decodes and re-encodes to identical bytes`, () => {
      const parser = new FrameParser();
      parser.push(fromHex(hex));
      const frame = parser.next();
      expect(frame?.type).toBe(1);
      const open = decodeOpen(frame!.body);
      expect(open.capabilities.some((c) => c.type === 'unknown')).toBe(false);
      expect(toHex(encodeOpen(open))).toBe(hex.toLowerCase());
    });
  }

  it('decoding/bgp-open-sofware-version gives the values of ExaBGP JSON', () => {
    const [kind, hex, json] = readFileSync(resolve(qaDir, 'qa/decoding/bgp-open-sofware-version'), 'utf8').split('\n');
    expect(kind?.trim()).toBe('open');
    const expected = JSON.parse(json as string).neighbor.open;
    const open = decodeOpen(fromHex(hex as string).subarray(19));
    expect({ version: open.version, asn: open.asn, hold_time: open.holdTime, router_id: open.bgpIdentifier }).toEqual({
      version: expected.version,
      asn: expected.asn,
      hold_time: expected.hold_time,
      router_id: expected.router_id,
    });
    expect(open.capabilities).toEqual([
      { type: 'multiprotocol', afi: 1, safi: 1 },
      { type: 'asn4', asn: expected.capabilities['65'].asn4 },
      { type: 'software-version', version: expected.capabilities['75'].software },
    ]);
    expect(expected.capabilities['1'].families).toEqual(['ipv4/unicast']);
    expect(toHex(encodeOpen(open))).toBe((hex as string).trim().toLowerCase());
  });
});
