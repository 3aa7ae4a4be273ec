/** library_first_paint: ms from navigation to an interactive library tree in the web host, at 100k questions. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from '@playwright/test';
import { DATABASE_FILE } from '../electron/core/app';
import { importPack } from '../electron/core/content/import';
import { openDatabase } from '../electron/core/db/open';
import { systemClock } from '../electron/core/ports';
import { startWebHost } from '../electron/web/server';
import { buildPack } from '../tests/content/pack-builder';
import { median, withBaseline, type BenchResult } from './result';

const RUNS = 5;
const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export async function benchFirstPaint(): Promise<BenchResult[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npm run build');
  const work = mkdtempSync(join(tmpdir(), 'study-desk-paint-'));
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  const browser = await chromium.launch({ headless: true, args: chromiumArgs, ...(executablePath ? { executablePath } : {}) });
  try {
    const bigDir = join(work, 'big');
    const { sqlite } = openDatabase(join(bigDir, DATABASE_FILE));
    importPack(sqlite, JSON.stringify(buildPack({ domains: 50, skillsPerDomain: 20, questionsPerSkill: 100, prefix: 'paint' })), {
      mode: 'append',
      clock: systemClock,
    });
    sqlite.close();
    // Baseline: the same measurement on a fresh data folder, which holds only the embedded sample pack.
    const baseline = await timeToInteractiveTree(browser, join(work, 'sample'));
    const value = await timeToInteractiveTree(browser, bigDir);
    return [withBaseline('library_first_paint', value, 'ms (median)', baseline, 'tree interactive at 100k questions')];
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function timeToInteractiveTree(browser: Browser, dataDir: string): Promise<number> {
  const host = await startWebHost({ port: 0, dataDir, rendererDir });
  try {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(host.url);
      await page.waitForFunction(
        () => document.documentElement.dataset.ready === 'true' && document.querySelector('[role="tree"] [role="treeitem"][tabindex="0"]') !== null,
        undefined,
        { timeout: 60_000 },
      );
      samples.push(performance.now() - start);
      await context.close();
    }
    return median(samples);
  } finally {
    await host.close();
  }
}
