/** Playwright: the same specs against the web host in Chromium and, where its binary exists, against Electron. */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { systemChromium } from './e2e/build-state';
import type { StudyHostOptions } from './e2e/fixtures';

// Debian's Chromium where present; elsewhere (macOS, Windows) Playwright's own browser (`npx playwright install chromium`).
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

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
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        },
      },
    },
    {
      name: 'electron',
      use: { studyHost: 'electron' },
    },
  ],
});
