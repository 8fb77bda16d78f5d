import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/index.js';
import { corpusAbsentReason, corpusConfigs } from './corpus.js';

// ExaBGP's own parse test (`exabgp configuration validate`) accepts every one of these files.
const absent = corpusAbsentReason();
if (absent !== undefined) console.warn(`skipping the corpus parse test: ${absent}`);

describe.skipIf(absent !== undefined)(`ExaBGP corpus etc/exabgp/*.conf${absent ? ` (skipped: ${absent})` : ''}`, () => {
  const dir = corpusConfigs();
  const files =
    absent === undefined
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.conf'))
          .sort()
      : [];

  it('holds the 103 configurations of ExaBGP 6', () => {
    expect(files.length).toBe(103);
  });

  it.each(files)('%s parses', (file) => {
    const configuration = parseFile(join(dir, file));
    expect(configuration.neighbors.length + configuration.processes.length).toBeGreaterThan(0);
  });
});
