/**
 * ExaBGP's encoding and API corpora (qa/encoding/*.ci, qa/api/*.ci): every `cmd:` -> `raw:` pair is an UPDATE
 * ExaBGP sends for one API command. For the families the codec implements (those whose row has a codec),
 * the codec decodes the raw message cleanly (no RFC 7606 issue) and re-encodes it to the identical bytes.
 *
 * The session context is what ExaBGP's checker negotiates: it echoes the speaker's OPEN, so every capability
 * the configuration advertises is negotiated (4-octet AS unless disabled, ADD-PATH both ways for the
 * families configured, RFC 8950 next hops from the `nexthop` block, Extended Message).
 */
import { describe, expect, it } from 'vitest';
import { makeContext } from '../src/context.js';
import { keyAfi, keySafi } from '../src/families/key.js';
import { familyName, familyRow } from '../src/families/table.js';
import { decodeUpdate, encodeUpdate } from '../src/update.js';
import {
  ciFiles,
  cmdRawPairs,
  QA_ABSENT_REASON,
  QA_DIR,
  QA_PRESENT,
  readSpeakerCapabilities,
  toHex,
  updateFamilies,
} from './corpus-qa.js';

/** The message's families all have an NLRI codec (a message that is no UPDATE has none). */
function codecFamilies(raw: Uint8Array): boolean {
  const families = updateFamilies(raw);
  return families !== undefined && [...families].every((key) => familyRow(key)?.codec !== undefined);
}
const familyNames = (raw: Uint8Array) =>
  [...(updateFamilies(raw) ?? [])].map((key) => familyName(keyAfi(key), keySafi(key))).join(', ') || 'not an UPDATE';

if (!QA_PRESENT) console.warn(`corpus-encoding: skipped, ${QA_ABSENT_REASON}`);

describe.skipIf(!QA_PRESENT)(`ExaBGP cmd -> raw corpus (${QA_PRESENT ? QA_DIR : QA_ABSENT_REASON})`, () => {
  const pairs = QA_PRESENT
    ? (['encoding', 'api'] as const).flatMap((corpus) =>
        ciFiles(corpus).flatMap((ci) => {
          const capabilities = readSpeakerCapabilities(ci.configs[0] ?? '');
          return cmdRawPairs(ci).map((pair) => ({ ...pair, corpus, capabilities }));
        }),
      )
    : [];
  const inScope = pairs.filter((p) => codecFamilies(p.raw));
  const skipped = pairs.filter((p) => !inScope.includes(p));

  it('finds the pairs of the codec families', () => {
    // 260 pairs of 363 at the corpus commit the README names (240 of IPv4/IPv6 unicast and multicast, 4 of
    // labelled unicast, 16 of MPLS VPN); fewer means the reader lost some.
    console.info(
      `corpus-encoding: ${inScope.length} of ${pairs.length} cmd->raw pairs are of families with an NLRI codec`,
    );
    expect(inScope.length).toBeGreaterThanOrEqual(260);
  });

  for (const pair of inScope) {
    it(`${pair.corpus}/${pair.file}:${pair.line} ${pair.cmd.slice(0, 90)}`, () => {
      const ctx = makeContext({
        asn4: pair.capabilities.asn4,
        extendedMessage: true,
        addPathReceive: pair.capabilities.addPath,
        addPathSend: pair.capabilities.addPath,
        extendedNextHop: pair.capabilities.extendedNextHop,
      });
      // ExaBGP sends configured generic attributes with the Optional bit clear (conf-generic-attribute), and reads
      // them back: the codec's option for decoders that print what was received.
      const update = decodeUpdate(pair.raw.subarray(19), ctx, { acceptUnrecognizedWellKnown: true });
      expect(update.issues ?? []).toEqual([]);
      expect(toHex(encodeUpdate(update, ctx))).toBe(toHex(pair.raw));
    });
  }

  for (const pair of skipped) {
    const families = familyNames(pair.raw);
    it.skip(`${pair.corpus}/${pair.file}:${pair.line} family ${families} not implemented by the codec`, () => {});
  }
});
