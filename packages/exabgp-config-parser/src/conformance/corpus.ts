import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A conformance corpus: a folder laid out like ExaBGP's repository (`etc/exabgp/*.conf`, `qa/encoding/*.ci`,
 * `qa/decoding/*`, `qa/api/*.ci`). The project reads the shared copy at run time and never copies it.
 */
export interface Corpus {
  root: string;
  /** `etc/exabgp/*.conf`, sorted */
  configs: string[];
  /** `qa/encoding/*.ci`, sorted */
  encoding: string[];
  /** `qa/decoding/*`, sorted */
  decoding: string[];
  /** `qa/api/*.ci`, sorted */
  api: string[];
}

/** The repository root: the nearest folder above `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface CorpusLocation {
  /** the folder to read, absolute */
  dir: string;
  /** how it was chosen, for messages */
  source: 'argument' | 'EXABGP_QA_DIR' | 'default';
  /** why it cannot be used (absent, or not laid out as a corpus); undefined when usable */
  problem?: string;
}

/**
 * Where the corpus is: `explicit` (resolved against `cwd`) when given, else `$EXABGP_QA_DIR`, else
 * `../shared/exabgp-qa` relative to the repository root.
 */
export function locateCorpus(
  explicit?: string,
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): CorpusLocation {
  let dir: string;
  let source: CorpusLocation['source'];
  if (explicit !== undefined && explicit !== '') {
    dir = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    source = 'argument';
  } else if (env.EXABGP_QA_DIR) {
    dir = resolve(cwd, env.EXABGP_QA_DIR);
    source = 'EXABGP_QA_DIR';
  } else {
    const root = findRepoRoot() ?? cwd;
    dir = resolve(root, '..', 'shared', 'exabgp-qa');
    source = 'default';
  }
  const problem = corpusProblem(dir);
  return problem === undefined ? { dir, source } : { dir, source, problem };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function corpusProblem(dir: string): string | undefined {
  if (!isDirectory(dir)) return `conformance corpus not found at ${dir}`;
  const parts = ['etc/exabgp', 'qa/encoding', 'qa/decoding'];
  const missing = parts.filter((part) => !isDirectory(join(dir, part)));
  if (missing.length === parts.length) return `${dir} is not laid out as a corpus (no ${parts.join(', ')})`;
  return undefined;
}

function list(dir: string, keep: (name: string) => boolean): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir)
    .filter((name) => keep(name) && !isDirectory(join(dir, name)))
    .sort()
    .map((name) => join(dir, name));
}

/** List a corpus folder's files (missing sub-folders give empty lists). */
export function readCorpus(root: string): Corpus {
  return {
    root,
    configs: list(join(root, 'etc', 'exabgp'), (name) => name.endsWith('.conf')),
    encoding: list(join(root, 'qa', 'encoding'), (name) => name.endsWith('.ci')),
    decoding: list(join(root, 'qa', 'decoding'), (name) => !name.startsWith('.')),
    api: list(join(root, 'qa', 'api'), (name) => name.endsWith('.ci')),
  };
}
