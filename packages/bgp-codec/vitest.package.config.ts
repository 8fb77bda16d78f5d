import { defineConfig } from 'vitest/config';

/**
 * The package as its users get it (test/package/*.check.ts): packs the tarball, installs it with npm into a
 * fresh project (needs the npm registry), checks changesets. Not part of `pnpm test`: `pnpm test:package`.
 */
export default defineConfig({
  test: {
    include: ['test/package/**/*.check.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
