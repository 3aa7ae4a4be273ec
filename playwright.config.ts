/** Playwright: the same specs against the web host in Chromium and, where its binary exists, against Electron. */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/helpers/chromium';
import type { StudyHostOptions } from './e2e/fixtures';

export default defineConfig<StudyHostOptions>({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'web',
      use: {
        studyHost: 'web',
        browserName: 'chromium',
        headless: true,
        launchOptions: chromiumLaunchOptions(),
      },
    },
    {
      name: 'electron',
      use: { studyHost: 'electron' },
    },
  ],
});
