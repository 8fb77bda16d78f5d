/**
 * Versioning with changesets, run on a copy of the workspace's manifests (package.json files, CHANGELOGs,
 * .changeset/) in a scratch git repository: `changeset version` bumps only the packages its changesets name,
 * writes their CHANGELOG.md, and leaves every private package alone - whatever depends on what.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const CHANGESET = join(ROOT, 'node_modules/.bin/changeset');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

/** Workspace package folders (pnpm-workspace.yaml: `packages/*`, `apps/*`). */
function packageDirs(): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => `${group}/${name}`)
      .filter((dir) => existsSync(join(ROOT, dir, 'package.json'))),
  );
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@localhost',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@localhost',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch repository with the workspace's manifests and changeset config; `pending`: copy the real changesets too. */
function workspaceCopy(pending: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'changesets-'));
  scratch.push(dir);
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(ROOT, file), join(dir, file));
  mkdirSync(join(dir, '.changeset'));
  for (const file of readdirSync(join(ROOT, '.changeset'))) {
    if (file === 'config.json' || file === 'README.md' || pending)
      cpSync(join(ROOT, '.changeset', file), join(dir, '.changeset', file));
  }
  for (const pkg of packageDirs()) {
    mkdirSync(join(dir, pkg), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(ROOT, pkg, file))) cpSync(join(ROOT, pkg, file), join(dir, pkg, file));
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'workspace');
  return dir;
}

function changesetVersion(dir: string): string {
  const result = spawnSync(CHANGESET, ['version'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  return `${result.stdout}${result.stderr}`;
}

/** Files changed since the commit, as `git status --porcelain` names them (sorted). */
function changed(dir: string): string[] {
  return git(dir, 'status', '--porcelain', '--untracked-files=all')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3))
    .sort();
}

const manifest = (dir: string, pkg: string) =>
  JSON.parse(readFileSync(join(dir, pkg, 'package.json'), 'utf8')) as Manifest;
type Bump = 'major' | 'minor' | 'patch';
const RANK: readonly Bump[] = ['patch', 'minor', 'major'];
const bump = (version: string, kind: Bump) => {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (kind === 'major') return `${major + 1}.0.0`;
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
};

describe('changesets', () => {
  it('a bgp-codec changeset bumps bgp-codec alone and writes its CHANGELOG; no private package is touched', () => {
    const dir = workspaceCopy(false);
    const before = manifest(dir, 'packages/bgp-codec').version;
    writeFileSync(
      join(dir, '.changeset/codec-fix.md'),
      '---\n"bgp-codec": patch\n---\n\nA fix users can read about.\n',
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'a changeset');
    changesetVersion(dir);
    expect(changed(dir)).toEqual([
      '.changeset/codec-fix.md',
      'packages/bgp-codec/CHANGELOG.md',
      'packages/bgp-codec/package.json',
    ]);
    expect(manifest(dir, 'packages/bgp-codec').version).toBe(bump(before, 'patch'));
    const changelog = readFileSync(join(dir, 'packages/bgp-codec/CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(
      new RegExp(
        `## ${bump(before, 'patch').replace(/\./g, '\\.')}\\n\\n### Patch Changes\\n\\n- [0-9a-f]+: A fix users can read about\\.`,
      ),
    );
    for (const pkg of packageDirs()) {
      if (manifest(dir, pkg).private)
        expect(existsSync(join(dir, pkg, 'CHANGELOG.md')), pkg).toBe(existsSync(join(ROOT, pkg, 'CHANGELOG.md')));
    }
  });

  it('the pending changesets of the repository bump exactly the packages they name', () => {
    const dir = workspaceCopy(true);
    const pending = readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    const named = new Map<string, Bump>();
    for (const file of pending) {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(ROOT, '.changeset', file), 'utf8'))?.[1] ?? '';
      for (const [, name, kind] of front.matchAll(/^"?([^":\s]+)"?:\s*(major|minor|patch)\s*$/gm)) {
        // several changesets for one package: the largest bump wins
        if (RANK.indexOf(kind as Bump) > RANK.indexOf((named.get(name!) ?? 'patch') as Bump) || !named.has(name!)) {
          named.set(name!, kind as Bump);
        }
      }
    }
    const byName = new Map(packageDirs().map((pkg) => [manifest(dir, pkg).name, pkg]));
    changesetVersion(dir);
    const expected = [
      ...pending.map((f) => `.changeset/${f}`),
      ...[...named.keys()].flatMap((name) => [`${byName.get(name)}/CHANGELOG.md`, `${byName.get(name)}/package.json`]),
    ].sort();
    expect(changed(dir)).toEqual(expected);
    for (const [name, pkg] of byName) {
      const now = manifest(dir, pkg).version;
      const was = manifest(ROOT, pkg).version;
      expect(now, name).toBe(named.has(name) ? bump(was, named.get(name)!) : was);
    }
  });
});
