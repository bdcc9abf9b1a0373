import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous limits, not timing checks: a test that starts `netops` three times may take 30 s on a
    // 2-core machine under load (seen at load average 20); a hung test still fails, just later.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Most files wait on daemons, labs and containers rather than compute: three workers on a
    // 2-core machine keep the cores busy (two left them idle half the time) and still responsive.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
