import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer imports the API contract as @api/* (renderer/vite.config.ts); tests of renderer logic need the same alias.
  resolve: { alias: { '@api': fileURLToPath(new URL('./electron/api', import.meta.url)) } },
  test: {
    include: ['electron/**/*.test.ts', 'models/**/*.test.ts', 'training/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // dist/ and the renderer built once, before any test file (test/build.ts): the files never rebuild them.
    globalSetup: ['./test/build.ts'],
    // Two test files at a time even on two cores (vitest's default leaves one core idle): much of
    // the suite waits on browsers, servers and child processes rather than computing.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // The shipped models (models/) are tested by test/shippedModels.test.ts; every other test
    // sees only the seeded models it installs (RESTORE_APP_MODELS_DIR: electron/paths.ts).
    // ORT_DISABLE_TELEMETRY: as every entry point does (electron/ortTelemetry.ts), for tests that create sessions in-process.
    env: { RESTORE_APP_MODELS_DIR: path.join(os.tmpdir(), 'restore-tests-no-app-models'), ORT_DISABLE_TELEMETRY: '1' },
    reporters: ['default', './test/summaryReporter.ts'],
    // expect.poll waits for a browser or a server (a preview, a result): Vitest's default of 1 s is
    // tight on a loaded two-core machine. A passing poll returns as soon as it holds.
    expect: { poll: { timeout: 15_000 } },
  },
});
