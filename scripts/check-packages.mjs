#!/usr/bin/env node
/**
 * What the registry would receive from each publishable workspace package, checked on the tarball itself:
 * `pnpm pack` (whose prepack builds `dist/`), then
 *   - every file the manifest points at (exports, main, types, bin) is in the tarball, each JavaScript entry
 *     has its declarations, the licence text is there, and no test file or TypeScript-source export condition is
 *     shipped;
 *   - publint reports nothing, suggestions included;
 *   - @arethetypeswrong/cli reports no problem (an ESM-only package - "type": "module" and no `require`
 *     condition - is checked with its esm-only profile: node16 from ESM and bundler resolution).
 * Private packages are listed and skipped. Usage: node scripts/check-packages.mjs [NAME ...]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);

/** @returns {{ name: string, path: string, private?: boolean }[]} */
function workspacePackages() {
  const out = execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out).filter((p) => p.path !== ROOT);
}

/** Every path string under an `exports` value, with the condition that leads to it. */
function exportTargets(value, conditions = []) {
  if (typeof value === 'string') return [{ target: value, conditions }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    exportTargets(v, key.startsWith('.') ? conditions : [...conditions, key]),
  );
}

function checkTarball(files, manifest) {
  const problems = [];
  const has = (path) => files.has(path.replace(/^\.\//, ''));
  const targets = [
    ...exportTargets(manifest.exports),
    ...['main', 'types', 'module'].filter((k) => manifest[k]).map((k) => ({ target: manifest[k], conditions: [k] })),
    ...Object.values(typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {})).map(
      (target) => ({ target, conditions: ['bin'] }),
    ),
  ];
  for (const { target, conditions } of targets) {
    if (!has(target)) problems.push(`${target} (${conditions.join(' > ') || 'export'}) is not in the tarball`);
    if (conditions.includes('source')) problems.push(`the "source" condition (${target}) is published`);
  }
  const js = [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
  if (js.length === 0) problems.push('no dist/**/*.js in the tarball');
  for (const file of js) {
    if (!files.has(file.replace(/\.js$/, '.d.ts'))) problems.push(`${file} has no declarations beside it`);
  }
  for (const file of files) if (/\.(test|spec)\.[cm]?[jt]s$/.test(file)) problems.push(`test file ${file} is shipped`);
  if (manifest.license && ![...files].some((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))) {
    problems.push(`"license": "${manifest.license}" but no LICENSE file is shipped`);
  }
  return problems;
}

const packages = workspacePackages().filter((p) => wanted.length === 0 || wanted.includes(p.name));
if (wanted.length > 0 && packages.length !== wanted.length) {
  console.error(`unknown package in ${wanted.join(', ')}`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'check-packages-'));
let failed = 0;
let checked = 0;
try {
  for (const pkg of packages) {
    if (pkg.private) {
      console.log(`- ${pkg.name}: private, not published`);
      continue;
    }
    checked++;
    console.log(`\n== ${pkg.name} (${pkg.path.slice(ROOT.length + 1)})`);
    const dest = mkdtempSync(join(work, 'pack-'));
    const packed = spawnSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkg.path, encoding: 'utf8' });
    if (packed.status !== 0) {
      console.log(`pnpm pack failed:\n${packed.stdout}${packed.stderr}`);
      failed++;
      continue;
    }
    const tarball = join(dest, readdirSync(dest).find((f) => f.endsWith('.tgz')) ?? 'no-tarball');
    const files = new Set(
      execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, '')),
    );
    const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const problems = checkTarball(files, manifest);
    console.log(`tarball ${basename(tarball)}: ${files.size} files${problems.length ? '' : ', contents ok'}`);
    for (const problem of problems) console.log(`  contents: ${problem}`);

    const tar = readFileSync(tarball);
    const lint = await publint({
      pack: { tarball: tar.buffer.slice(tar.byteOffset, tar.byteOffset + tar.byteLength) },
      level: 'suggestion',
    });
    console.log(`publint: ${lint.messages.length === 0 ? 'no problem' : `${lint.messages.length} message(s)`}`);
    for (const message of lint.messages) console.log(`  publint ${message.type}: ${formatMessage(message, lint.pkg)}`);

    const esmOnly = manifest.type === 'module' && !JSON.stringify(manifest.exports ?? {}).includes('"require"');
    const attwArgs = [tarball, '--format', 'table-flipped', ...(esmOnly ? ['--profile', 'esm-only'] : [])];
    const attw = spawnSync(join(ROOT, 'node_modules/.bin/attw'), attwArgs, {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    console.log(`attw${esmOnly ? ' (ESM-only package: node16 from ESM, bundler)' : ''}: exit ${attw.status}`);
    console.log(attw.stdout.trimEnd());
    if (attw.stderr.trim()) console.log(attw.stderr.trimEnd());

    if (problems.length > 0 || lint.messages.length > 0 || attw.status !== 0) failed++;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `\ncheck-packages: ${checked} publishable checked, ${failed} with problems; ${packages.length - checked} private`,
);
process.exit(failed > 0 ? 1 : 0);
