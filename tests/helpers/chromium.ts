/**
 * The one place that says how tests, e2e specs and benchmarks launch Chromium: Debian's where present (this project's
 * machines), else Playwright's own (`npx playwright install chromium` on macOS or Windows); headless, with a fresh
 * profile (Playwright's default) and no background traffic.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from '@playwright/test';

const systemChromium = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Launch options for Playwright: `extraArgs` come after the usual ones. */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): LaunchOptions {
  return {
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
  };
}

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(extraArgs));
}
