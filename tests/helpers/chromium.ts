/** A headless Chromium for tests that need a real layout or real focus: Debian's where present, else Playwright's own. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

const systemChromium = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
    args: ['--no-sandbox', '--disable-gpu'],
  });
}
