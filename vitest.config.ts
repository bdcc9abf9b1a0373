import { defineConfig } from 'vitest/config';

/**
 * Files that change what every other file shares on this machine and assert on it: `lab images
 * build` prunes the project's podman images, and a `lab up` of any other file prunes too, so it could
 * remove the stand-ins that file planted before its own build names them. They run after the rest.
 */
const runAlone = ['test/lab/container/images.test.ts'];

// Generous limits, not timing checks: a test that starts `netops` three times may take 30 s on a
// 2-core machine under load (seen at load average 20); a hung test still fails, just later.
const limits = { testTimeout: 120_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    // Set here only: a project that extended this config would run the set-up once more.
    globalSetup: ['test/global-setup.ts'],
    // Most files wait on daemons, labs and containers rather than compute: three workers on a
    // 2-core machine keep the cores busy (two left them idle half the time) and still responsive.
    maxWorkers: 3,
    reporters: ['default'],
    projects: [
      {
        test: {
          ...limits,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: runAlone,
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...limits, name: 'alone', include: runAlone, sequence: { groupOrder: 1 } } },
    ],
  },
});
