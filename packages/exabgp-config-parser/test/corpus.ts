import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ExaBGP's conformance corpus: EXABGP_QA_DIR, or ../shared/exabgp-qa beside the repository root. */
export function corpusDirectory(): string {
  const fromEnv = process.env.EXABGP_QA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  return resolve(repositoryRoot, '../shared/exabgp-qa');
}

export function corpusConfigs(): string {
  return resolve(corpusDirectory(), 'etc/exabgp');
}

export function corpusAbsentReason(): string | undefined {
  const dir = corpusConfigs();
  return existsSync(dir) ? undefined : `ExaBGP corpus not found at ${dir} (set EXABGP_QA_DIR)`;
}
