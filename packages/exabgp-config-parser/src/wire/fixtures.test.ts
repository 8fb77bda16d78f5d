import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Capability, encodeMessage, negotiate, type OpenMessage } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../parse-file.js';
import { openFor } from './open.js';
import { initialMessagesFor } from './updates.js';

/**
 * fixtures/configs/wire: configurations and the messages they must produce, written by hand from RFC 4271,
 * RFC 4760, RFC 6793 and ExaBGP's rules (each `.expected` explains its bytes). The peer answers with our own
 * capabilities and the AS given by `peer-as`.
 */
const DIR = fileURLToPath(new URL('../../../../fixtures/configs/wire/', import.meta.url));

interface Expected {
  peerAs: number;
  messages: { kind: string; hex: string }[];
}

function readExpected(path: string): Expected {
  const out: Expected = { peerAs: 0, messages: [] };
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [kind, ...rest] = line.split(/\s+/);
    if (kind === 'peer-as') out.peerAs = Number(rest[0]);
    else out.messages.push({ kind: kind!, hex: rest.join('').replace(/:/g, '').toUpperCase() });
  }
  return out;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('fixtures/configs/wire: configuration -> the exact messages sent', () => {
  const names = readdirSync(DIR).filter((n) => n.endsWith('.conf'));
  it('has fixtures', () => expect(names.length).toBeGreaterThanOrEqual(6));
  for (const name of names) {
    it(name, () => {
      const expected = readExpected(join(DIR, name.replace(/\.conf$/, '.expected')));
      const neighbor = parseFile(join(DIR, name)).neighbors[0]!;
      const ours = openFor(neighbor);
      const capabilities: Capability[] = ours.capabilities.map((c) =>
        c.type === 'asn4' ? { ...c, asn: expected.peerAs } : c,
      );
      const theirs: OpenMessage = { ...ours, asn: expected.peerAs, capabilities };
      const sent = [hex(encodeMessage(ours)), ...[...initialMessagesFor(neighbor, negotiate(ours, theirs))].map(hex)];
      expect(sent).toEqual(expected.messages.map((m) => m.hex));
    });
  }
});
