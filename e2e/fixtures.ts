/**
 * The Playwright fixtures every spec uses: `app` (a fresh data folder per test, the host started on it) and `page`
 * already on the app and ready. The same spec runs against the web host (project "web") or Electron (project "electron").
 *
 *   import { test, expect } from './fixtures';
 *   test('…', async ({ page, app }) => { …; const after = await app.restart(); … });
 *
 * Sync specs also take `stack` (the local Supabase stand-in, one per worker, started only when a spec asks for it)
 * and `serverLink` (the stack's gateway behind a link the test can cut and restore, as a network going away).
 *
 * Ready means the renderer set `document.documentElement.dataset.ready = 'true'` after its first successful appInfo call.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test as base, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { startWebHost, type WebHost } from '../electron/web/server';
import { startCuttableLink, type CuttableLink } from '../scripts/stack/link';
import { startStack, type Stack } from '../scripts/stack/stack';
import { electronBinaryMissingReason, electronMainEntry, rendererDir, repoRoot } from './build-state';

export type StudyHostKind = 'web' | 'electron';

export interface StudyHostOptions {
  /** Which host the project drives; set per project in playwright.config.ts. */
  studyHost: StudyHostKind;
  /** Prepares the fresh data folder before the host first starts (e.g. a big database for performance specs). */
  seedDataDir: ((dataDir: string) => Promise<void> | void) | null;
  /**
   * Each (re)start goes on from the first screen (Today) to the library, where the specs written before Today begin;
   * specs of Today itself set it to false.
   */
  startOnLibrary: boolean;
}

export interface StudyApp {
  host: StudyHostKind;
  /** The page's URL: http://127.0.0.1:PORT/ for the web host, app://study/index.html in Electron. */
  url: string;
  /** This test's own data folder (database, settings, secrets). */
  dataDir: string;
  /**
   * Stops the host and starts it again on the same data folder; resolves to the ready page to use from then on (in the
   * web host, the same page). `beforeStart` runs while the host is stopped, e.g. to edit the database file.
   */
  restart(options?: { beforeStart?: (dataDir: string) => Promise<void> | void }): Promise<Page>;
}

/** The stack's gateway behind a TCP link on 127.0.0.1 that the test can cut (the network went away) and restore. */
export type ServerLink = CuttableLink;

const readyTimeoutMs = 30_000;

export async function waitForAppReady(page: Page): Promise<void> {
  // A function, not a string: Playwright evaluates a string predicate with eval, which the app's CSP forbids.
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: readyTimeoutMs });
}

/** Settings → server URL and anon key → Save server; the first sync runs as part of saving. */
export async function saveServer(page: Page, url: string, anonKey: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Server URL' }).fill(url);
  await page.getByRole('textbox', { name: 'Anon key' }).fill(anonKey);
  await page.getByRole('button', { name: 'Save server' }).click();
  await expect(page.getByText('Server saved.', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
}

interface RunningHost {
  url: string;
  page: Page;
  stop(): Promise<void>;
}

async function startWeb(page: Page, dataDir: string): Promise<RunningHost> {
  const host: WebHost = await startWebHost({ port: 0, dataDir, rendererDir, appVersion: '0.0.0-e2e' });
  try {
    // As the learner does: the one-time link the host prints, which gives this browser context its session cookie.
    await page.goto(host.newLaunchUrl());
    await waitForAppReady(page);
  } catch (err) {
    await host.close();
    throw err;
  }
  return { url: host.url, page, stop: () => host.close() };
}

async function startElectron(dataDir: string): Promise<RunningHost> {
  if (!existsSync(electronMainEntry)) throw new Error(`${electronMainEntry} is missing: the global setup should have built it.`);
  const electronApp: ElectronApplication = await _electron.launch({
    // The repo root, not the bundle: Electron then reads package.json `main` and app.getAppPath() is the repo.
    args: [repoRoot],
    cwd: repoRoot,
    // The host honours this only when not packaged: each test gets its own userData folder.
    env: { ...process.env, STUDY_DESK_USER_DATA_DIR: dataDir },
    timeout: readyTimeoutMs,
  });
  try {
    const page = await electronApp.firstWindow();
    await waitForAppReady(page);
    return { url: page.url(), page, stop: () => electronApp.close() };
  } catch (err) {
    await electronApp.close();
    throw err;
  }
}

const stackStartTimeoutMs = 180_000;

interface StudySession {
  app: StudyApp;
  readonly page: Page;
}

export const test = base.extend<
  { app: StudyApp; studySession: StudySession; serverLink: ServerLink },
  StudyHostOptions & { studyBrowser: Browser | null; stack: Stack }
>({
  studyHost: ['web', { option: true, scope: 'worker' }],
  seedDataDir: [null, { option: true, scope: 'worker' }],
  startOnLibrary: [true, { option: true, scope: 'worker' }],

  // Postgres, PostgREST and the gateway: slow to start, so one per worker, shared by its tests (each uses its own users).
  stack: [
    // Playwright reads a fixture's dependencies from its destructured first parameter; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      // Every test's user signs in from 127.0.0.1: Supabase's per-IP sign-in limit would trip across a run.
      const stack = await startStack({ port: 0, quiet: true, authRateLimits: null });
      try {
        await use(stack);
      } finally {
        await stack.stop();
      }
    },
    { scope: 'worker', timeout: stackStartTimeoutMs },
  ],

  serverLink: async ({ stack }, use) => {
    const link = await startCuttableLink(new URL(stack.url));
    try {
      await use(link);
    } finally {
      await link.close();
    }
  },

  // Our own Chromium for the web host, so the Electron project never launches a browser it does not use.
  studyBrowser: [
    async ({ playwright, studyHost, launchOptions, headless }, use) => {
      if (studyHost !== 'web') return use(null);
      const browser = await playwright.chromium.launch({ ...launchOptions, headless });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  studySession: async ({ studyHost, studyBrowser, seedDataDir, startOnLibrary }, use, testInfo) => {
    const reason = studyHost === 'electron' ? electronBinaryMissingReason() : null;
    testInfo.skip(reason !== null, reason ?? '');
    const dataDir = mkdtempSync(join(tmpdir(), `study-e2e-${testInfo.workerIndex}-`));
    const context = studyBrowser ? await studyBrowser.newContext({ viewport: { width: 1280, height: 800 } }) : null;
    try {
      await seedDataDir?.(dataDir);
      const webPage = context ? await context.newPage() : null;
      const start = async () => {
        const host = await (webPage ? startWeb(webPage, dataDir) : startElectron(dataDir));
        if (startOnLibrary) {
          // Reloaded on the library's address, so the page starts as if first opened there (focus on the document).
          await host.page.evaluate(() => {
            window.location.hash = '#/library';
          });
          await host.page.reload();
          await waitForAppReady(host.page);
          await host.page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
        }
        return host;
      };
      let running = await start();
      const app: StudyApp = {
        host: studyHost,
        dataDir,
        get url() {
          return running.url;
        },
        async restart(options) {
          await running.stop();
          await options?.beforeStart?.(dataDir);
          running = await start();
          return running.page;
        },
      };
      try {
        await use({
          app,
          get page() {
            return running.page;
          },
        });
      } finally {
        await running.stop();
      }
    } finally {
      await context?.close();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  },

  app: async ({ studySession }, use) => use(studySession.app),
  // The page is already on the app and ready: Playwright's page in the web host, the window in Electron.
  page: async ({ studySession }, use) => use(studySession.page),
});

export { expect };
