import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CodecContext, makeContext } from './context.js';
import { type FamilyKey, familyKey } from './families/key.js';
import { familyRows } from './families/table.js';
import { decodeUpdate, encodeUpdate } from './update.js';

/**
 * Every UPDATE ExaBGP sends in its encoding and API corpora (`raw:` lines of qa/encoding and qa/api) decodes
 * without error and re-encodes to the same octets. The session context comes from the configuration each
 * file names (4-octet AS unless `asn4 disable`; ADD-PATH for the families of its `add-path` block, or all
 * its families when only the capability is set). Read at run time from ../shared/exabgp-qa (or
 * EXABGP_QA_DIR), never copied.
 */
const repoRoot = resolve(new URL('.', import.meta.url).pathname, '../../..');
const qaDir = process.env.EXABGP_QA_DIR ?? resolve(repoRoot, '../shared/exabgp-qa');
const present = existsSync(join(qaDir, 'qa', 'encoding'));
const reason = `ExaBGP corpus not found at ${qaDir} (set EXABGP_QA_DIR)`;
if (!present) console.warn(`skipped: ${reason}`);

/** The families the codec has NLRI for, by ExaBGP's names. */
const FAMILY: Readonly<Record<string, FamilyKey>> = Object.fromEntries(
  familyRows()
    .filter((row) => row.codec !== undefined)
    .map((row) => [row.name, row.key]),
);

function block(text: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*\\{([^}]*)\\}`).exec(text)?.[1];
}

function contextFor(configs: string[]): CodecContext {
  const text = configs.map((c) => readFileSync(join(qaDir, 'etc', 'exabgp', c), 'utf8')).join('\n');
  const asn4 = !/asn4\s+disable/.test(text);
  const addPath = new Set<FamilyKey>();
  if (/add-path/.test(text)) {
    const families = block(text, 'add-path') ?? block(text, 'family') ?? Object.keys(FAMILY).join(';');
    for (const [name, key] of Object.entries(FAMILY)) if (families.includes(name)) addPath.add(key);
  }
  return makeContext({
    asn4,
    addPathReceive: addPath,
    addPathSend: addPath,
    // The checker echoes the speaker's OPEN, so an Extended Next Hop capability it sends is negotiated.
    extendedNextHop: new Set(
      /nexthop\s*\{/.test(text) ? [1, 2].flatMap((afi) => [familyKey(afi, 1), familyKey(afi, 2)]) : [],
    ),
  });
}

interface Vector {
  file: string;
  line: number;
  hex: string;
  ctx: CodecContext;
}

function vectors(): Vector[] {
  const out: Vector[] = [];
  for (const dir of ['encoding', 'api']) {
    for (const file of readdirSync(join(qaDir, 'qa', dir)).filter((f) => f.endsWith('.ci'))) {
      const lines = readFileSync(join(qaDir, 'qa', dir, file), 'utf8').split('\n');
      const configs = lines.flatMap((l) => /^option:file:(.+)$/.exec(l.trim())?.[1] ?? []);
      const ctx = contextFor(configs);
      lines.forEach((text, index) => {
        const match = /^\w*:raw:(.*)$/.exec(text.trim());
        if (!match || text.includes('#')) return;
        const hex = (match[1] ?? '').replace(/:/g, '').toUpperCase();
        if (hex.slice(36, 38) === '02') out.push({ file: `${dir}/${file}`, line: index + 1, hex, ctx });
      });
    }
  }
  return out;
}

describe.skipIf(!present)(
  `ExaBGP corpus UPDATEs round-trip byte for byte${present ? '' : ` (skipped: ${reason})`}`,
  () => {
    const all = present ? vectors() : [];
    it('finds the corpus UPDATEs', () => {
      expect(all.length).toBeGreaterThan(300);
    });
    it('decodes every UPDATE with no RFC 7606 issue and re-encodes it to the same octets', () => {
      const failures: string[] = [];
      for (const v of all) {
        try {
          // ExaBGP's generic attributes may be well-known types it does not know (conf-generic-attribute).
          const update = decodeUpdate(Buffer.from(v.hex, 'hex').subarray(19), v.ctx, {
            acceptUnrecognizedWellKnown: true,
          });
          if (update.outcome !== 'ok') failures.push(`${v.file}:${v.line} ${update.issues?.map((i) => i.reason)}`);
          const again = Buffer.from(encodeUpdate(update, v.ctx)).toString('hex').toUpperCase();
          if (again !== v.hex) failures.push(`${v.file}:${v.line} re-encodes as ${again}`);
        } catch (error) {
          failures.push(`${v.file}:${v.line} ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    });
    it('decodes the routes of the families with an NLRI codec into typed NLRI, the rest kept raw', () => {
      let typed = 0;
      for (const v of all) {
        const update = decodeUpdate(Buffer.from(v.hex, 'hex').subarray(19), v.ctx, {
          acceptUnrecognizedWellKnown: true,
        });
        typed += update.nlri.length + update.withdrawn.length;
        for (const a of update.attributes) {
          if (a.kind === 'mp-reach-nlri') typed += a.nlri.length;
          if (a.kind === 'mp-unreach-nlri') typed += a.withdrawn.length;
        }
      }
      expect(typed).toBeGreaterThan(150);
    });
  },
);
