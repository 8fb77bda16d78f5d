import { describe, expect, it } from 'vitest';
import { fromHex, loadVectors, toHex } from '../../../fixtures/codec/vectors.js';
import {
  CAPABILITY_REGISTRY,
  type Capability,
  CapabilityCode,
  capabilityCode,
  capabilityName,
  decodeCapability,
  encodeCapabilityBytes,
  findCapabilities,
  findCapability,
  multisessionCapabilities,
  unsupportedCapabilityError,
} from './capabilities.js';
import { BgpError } from './errors.js';
import { decodeOpen } from './open.js';

const file = loadVectors<Capability>('capabilities');

/** An OPEN body carrying one capability in one Capabilities parameter (RFC 5492 §4). */
function openBodyWith(capability: Uint8Array): Uint8Array {
  const fixed = fromHex('04fde800b4c0000201');
  return Uint8Array.from([...fixed, capability.length + 2, 2, capability.length, ...capability]);
}

function raised(run: () => unknown): BgpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BgpError);
    return error as BgpError;
  }
  throw new Error('expected a BgpError, nothing was thrown');
}

describe('capability vectors (fixtures/codec/capabilities.json)', () => {
  for (const vector of file.vectors) {
    const bytes = fromHex(vector.hex);
    it(`decodes ${vector.name} (${vector.spec})`, () => {
      expect(decodeCapability(bytes[0] as number, bytes.subarray(2))).toEqual(vector.value);
    });
    it(`decodes ${vector.name} inside an OPEN`, () => {
      expect(decodeOpen(openBodyWith(bytes)).capabilities).toEqual([vector.value]);
    });
    if (vector.direction !== 'decode') {
      it(`encodes ${vector.name} to ${vector.hex}`, () => {
        expect(toHex(encodeCapabilityBytes(vector.value))).toBe(vector.hex);
      });
    }
  }

  it('covers every capability of the registry and an unknown one', () => {
    const codes = new Set(file.vectors.map((v) => fromHex(v.hex)[0]));
    for (const row of CAPABILITY_REGISTRY) expect(codes.has(row.code), row.name).toBe(true);
    expect(file.vectors.some((v) => v.value.type === 'unknown')).toBe(true);
  });
});

describe('malformed capability values are refused with NOTIFICATION 2/0 (RFC 5492 has no subcode for them)', () => {
  for (const vector of file.malformed) {
    it(`${vector.name} (${vector.spec})`, () => {
      const bytes = fromHex(vector.hex);
      const error = raised(() => decodeOpen(openBodyWith(bytes)));
      expect([error.code, error.subcode, toHex(error.data)]).toEqual([vector.code, vector.subcode, vector.data]);
      expect(error.reason).toBe('malformed-capability');
    });
  }
});

describe('capability registry', () => {
  it('has one row per code', () => {
    const codes = CAPABILITY_REGISTRY.map((row) => row.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining(Object.values(CapabilityCode)));
    expect(codes.length).toBe(Object.values(CapabilityCode).length);
  });

  it('gives each value the code it was decoded from', () => {
    for (const vector of file.vectors) expect(capabilityCode(vector.value)).toBe(fromHex(vector.hex)[0]);
  });

  it('names capabilities by their specification', () => {
    expect(capabilityName(65)).toBe('Support for 4-octet AS number (RFC 6793)');
    expect(capabilityName(2)).toBe('Route Refresh (RFC 2918)');
    expect(capabilityName(200)).toBe('Unknown capability 200');
  });

  it('decodes without aliasing the input bytes', () => {
    const bytes = fromHex('420301020344010a');
    const unknown = decodeCapability(0x42, bytes.subarray(2, 5));
    const multisession = decodeCapability(0x44, bytes.subarray(7));
    bytes.fill(0);
    expect(unknown).toEqual({ type: 'unknown', code: 0x42, data: Uint8Array.of(1, 2, 3) });
    expect(multisession).toEqual({ type: 'multisession', variant: 'rfc', data: Uint8Array.of(10) });
  });
});

describe('capability encoding refuses values that do not fit their fields', () => {
  const cases: Array<[string, Capability]> = [
    [
      'graceful restart time over 12 bits',
      { type: 'graceful-restart', restartFlags: 0, restartTime: 4096, families: [] },
    ],
    [
      'graceful restart flags over 4 bits',
      { type: 'graceful-restart', restartFlags: 16, restartTime: 1, families: [] },
    ],
    ['4-octet AS over 32 bits', { type: 'asn4', asn: 2 ** 32 }],
    ['negative AFI', { type: 'multiprotocol', afi: -1, safi: 1 }],
    ['SAFI over 8 bits', { type: 'multiprotocol', afi: 1, safi: 256 }],
    ['FQDN host name over 255 bytes', { type: 'fqdn', hostname: 'h'.repeat(256), domain: '' }],
    ['FQDN value over 255 bytes', { type: 'fqdn', hostname: 'h'.repeat(200), domain: 'd'.repeat(60) }],
    ['unknown code over 8 bits', { type: 'unknown', code: 256, data: new Uint8Array(0) }],
    ['unknown value over 255 bytes', { type: 'unknown', code: 66, data: new Uint8Array(256) }],
  ];
  for (const [name, capability] of cases) {
    it(name, () => {
      expect(() => encodeCapabilityBytes(capability)).toThrow(RangeError);
    });
  }
});

describe('capability helpers', () => {
  it('builds the multisession capabilities ExaBGP advertises: flags 0, then code 1', () => {
    const list = multisessionCapabilities();
    expect(list.map((c) => toHex(encodeCapabilityBytes(c)))).toEqual(['440100', '440101']);
    expect(multisessionCapabilities([1], 'cisco').map((c) => toHex(encodeCapabilityBytes(c)))).toEqual([
      '830100',
      '830101',
    ]);
  });

  it('builds 2/7 Unsupported Capability with the missing capabilities as data (RFC 5492 §5)', () => {
    const error = unsupportedCapabilityError([{ type: 'asn4', asn: 65001 }, { type: 'route-refresh' }]);
    expect([error.code, error.subcode, toHex(error.data)]).toEqual([2, 7, '41040000fde90200']);
  });

  it('finds capabilities by type', () => {
    const list: Capability[] = [
      { type: 'multiprotocol', afi: 1, safi: 1 },
      { type: 'asn4', asn: 65536 },
      { type: 'multiprotocol', afi: 2, safi: 1 },
    ];
    expect(findCapability(list, 'asn4')?.asn).toBe(65536);
    expect(findCapability(list, 'fqdn')).toBeUndefined();
    expect(findCapabilities(list, 'multiprotocol').map((c) => c.afi)).toEqual([1, 2]);
  });
});
