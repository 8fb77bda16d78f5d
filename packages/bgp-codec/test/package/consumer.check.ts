/**
 * bgp-codec as its users get it: `pnpm pack` (its prepack builds dist/), the tarball installed with npm into
 * a fresh project outside the workspace, then
 *   - plain ESM JavaScript imports it, decodes, encodes, frames and reports a BgpError (consumer/decode-encode.mjs),
 *     and CommonJS requires it where Node has require(esm) (consumer/require.cjs);
 *   - a TypeScript consumer (consumer/typed.ts) and every ```ts snippet of the package README type-check
 *     against the shipped declarations with moduleResolution node16 and bundler, and the snippets run;
 *   - the shipped declarations type-check on their own, without @types/node;
 *   - the installed `bgp-codec decode` command prints ExaBGP's JSON.
 * Needs the npm registry (the package's dependency and @types/node); takes well under a minute.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(PACKAGE_DIR, 'test/package/consumer');
const TSC = createRequire(join(PACKAGE_DIR, 'package.json')).resolve('typescript/bin/tsc');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const rootManifest = JSON.parse(readFileSync(join(PACKAGE_DIR, '../../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** The environment of a fresh shell: nothing pnpm passes to its scripts (npm_config_*, npm_package_*...). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: cleanEnv, timeout: 240_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}` };
}

/** The ```ts blocks of the README, in order. */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

const TSCONFIGS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;

describe(`${manifest.name} installed from its tarball`, () => {
  let work = '';
  let project = '';
  let tarball = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'bgp-codec-consumer-'));
    const packed = run('pnpm', ['pack', '--pack-destination', work], PACKAGE_DIR);
    if (packed.status !== 0) throw new Error(`pnpm pack failed:\n${packed.output}`);
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    for (const file of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, file), join(project, file));
    readmeSnippets().forEach((code, i) => {
      writeFileSync(join(project, `readme-${i + 1}.ts`), code);
    });
    for (const [name, options] of Object.entries(TSCONFIGS)) {
      const compilerOptions = {
        ...options,
        target: 'es2022',
        lib: ['es2023'],
        types: ['node'],
        strict: true,
        skipLibCheck: true,
        ...(name === 'node16' ? { outDir: 'out' } : { noEmit: true }),
      };
      writeFileSync(
        join(project, `tsconfig.${name}.json`),
        `${JSON.stringify({ compilerOptions, include: ['*.ts'] })}\n`,
      );
    }
    // The shipped declarations on their own, library check on, without @types/node: they must need nothing else.
    const declarations = {
      compilerOptions: {
        ...TSCONFIGS.node16,
        target: 'es2022',
        lib: ['es2023'],
        types: [],
        strict: true,
        noEmit: true,
      },
      include: ['node_modules/bgp-codec/dist/**/*.d.ts'],
    };
    writeFileSync(join(project, 'tsconfig.declarations.json'), `${JSON.stringify(declarations)}\n`);
    const installed = run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        tarball,
        `@types/node@${rootManifest.devDependencies['@types/node']}`,
      ],
      project,
    );
    if (installed.status !== 0) throw new Error(`npm install failed:\n${installed.output}`);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships dist/ with JavaScript and declarations for every entry, and no test files', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js', 'README.md', 'LICENSE']) {
      expect(files).toContain(`package/${file}`);
    }
    expect(files.filter((f) => /\.test\.[jt]s$/.test(f))).toEqual([]);
    const packed = JSON.parse(readFileSync(join(project, 'node_modules/bgp-codec/package.json'), 'utf8')) as {
      exports: unknown;
      version: string;
    };
    expect(packed.version).toBe(manifest.version);
    // the workspace's "source" condition (TypeScript sources) is not published
    expect(JSON.stringify(packed.exports)).not.toContain('source');
  });

  it('is imported from plain ESM JavaScript: decode, encode, frame, ExaBGP JSON, BgpError', () => {
    const result = run(process.execPath, ['decode-encode.mjs'], project);
    expect(result.output).toContain('bgp-codec consumer (plain ESM JavaScript): ok');
    expect(result.status).toBe(0);
  });

  it.skipIf(!process.features.require_module)(
    `is required from CommonJS (require(esm)${process.features.require_module ? '' : `: not in Node ${process.version}`})`,
    () => {
      const result = run(process.execPath, ['require.cjs'], project);
      expect(result.output).toContain('bgp-codec consumer (CommonJS require): ok');
      expect(result.status).toBe(0);
    },
  );

  for (const name of Object.keys(TSCONFIGS)) {
    it(`type-checks a TypeScript consumer and the README snippets with moduleResolution ${name}`, () => {
      const result = run(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], project);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  }

  it('ships declarations that type-check on their own (no @types/node, library check on)', () => {
    const result = run(process.execPath, [TSC, '-p', 'tsconfig.declarations.json'], project);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs every README snippet (compiled under node16)', () => {
    const snippets = readmeSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    if (!existsSync(join(project, 'out'))) {
      const compiled = run(process.execPath, [TSC, '-p', 'tsconfig.node16.json'], project);
      expect(compiled.status, compiled.output).toBe(0);
    }
    snippets.forEach((_, i) => {
      const result = run(process.execPath, [`out/readme-${i + 1}.js`], project);
      expect(result.status, `README snippet ${i + 1}:\n${result.output}`).toBe(0);
    });
  });

  it('installs the bgp-codec command: decode prints ExaBGP JSON, and a malformed message exits 1', () => {
    const bin = join(project, 'node_modules/.bin/bgp-codec');
    const ok = run(bin, ['decode', '-f', 'ipv4 unicast', `${'FF'.repeat(16)}001304`], project);
    expect(ok.status, ok.output).toBe(0);
    expect(ok.output).toMatch(/^\{ "exabgp": "6\.0\.0", .*"type": "keepalive"/);
    const bad = run(bin, ['decode', '0000001040010100'], project);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain('NOTIFICATION 3/1');
  });
});
