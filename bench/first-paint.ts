/**
 * library_first_paint: ms from navigation to an interactive library tree in the web host, at 100k questions.
 * renderer_js_first_screen: KB of JavaScript (uncompressed) the browser fetched to show the first screen.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from '@playwright/test';
import { DATABASE_FILE } from '../electron/core/app';
import { importPack } from '../electron/core/content/import';
import { openDatabase } from '../electron/core/db/open';
import { systemClock } from '../electron/core/ports';
import { startWebHost } from '../electron/web/server';
import { buildPack } from '../tests/content/pack-builder';
import { launchChromium } from '../tests/helpers/chromium';
import { median, withBaseline, type BenchResult } from './result';

const RUNS = 5;
const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');

export async function benchFirstPaint(): Promise<BenchResult[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npm run build');
  const work = mkdtempSync(join(tmpdir(), 'study-desk-paint-'));
  const browser = await launchChromium();
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
    const firstScreenJs = await firstScreenJsKb(browser, join(work, 'sample'));
    return [
      withBaseline('library_first_paint', value, 'ms (median)', baseline, 'tree interactive at 100k questions'),
      // Baseline: every script of the built renderer, i.e. what one unsplit bundle would load.
      withBaseline('renderer_js_first_screen', firstScreenJs, 'KB', totalRendererJsKb(), '≤ 300 KB uncompressed'),
    ];
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Sums the bodies of the scripts the page really fetched until the first screen was ready (entry, preloads, lazy chunks). */
async function firstScreenJsKb(browser: Browser, dataDir: string): Promise<number> {
  const host = await startWebHost({ port: 0, dataDir, rendererDir });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies: Array<Promise<number>> = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) bodies.push(response.body().then((body) => body.byteLength));
    });
    await page.goto(host.newLaunchUrl());
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 60_000 });
    const bytes = (await Promise.all(bodies)).reduce((sum, size) => sum + size, 0);
    return bytes / 1000;
  } finally {
    await context.close();
    await host.close();
  }
}

function totalRendererJsKb(): number {
  const assets = join(rendererDir, 'assets');
  const bytes = readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .reduce((sum, name) => sum + statSync(join(assets, name)).size, 0);
  return bytes / 1000;
}

async function timeToInteractiveTree(browser: Browser, dataDir: string): Promise<number> {
  const host = await startWebHost({ port: 0, dataDir, rendererDir });
  try {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      // Today is the first screen; this figure is the library's (the fragment survives the launch link's redirect).
      await page.goto(`${host.newLaunchUrl()}#/library`);
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
