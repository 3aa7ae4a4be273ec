/**
 * The renderer's real components in a real Chromium, for what only a browser shows (focus, layout): Vite bundles an
 * entry module written by the test (it imports the components and puts them on `window`), and each page loads it with
 * a stand-in `window.studyApi`, so the real host is never reached.
 */
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';

export const rendererSrc = join(import.meta.dirname, '../../renderer/src');
const entryId = 'component-test-entry.js';

/** Bundles `entry` (a module's source; import renderer files by absolute path) into one script for a page. */
export async function bundleForPage(entry: string): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    esbuild: { jsx: 'automatic', jsxDev: false },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [
      {
        name: 'component-test-entry',
        // Vite makes the entry a path under its root; it stands for the module above.
        resolveId: (id) => (id.endsWith(entryId) ? `\0${entryId}` : null),
        load: (id) => (id === `\0${entryId}` ? entry : null),
      },
    ],
    build: { write: false, minify: false, lib: { entry: entryId, formats: ['iife'], name: 'componentTestBundle' } },
  })) as Rollup.RollupOutput[];
  return output[0]!.output[0].code;
}

/**
 * A host call under way until the test says it is answered (`answerHost`), however slow the machine: `heldAnswer(x)` is
 * a stand-in method (a script's expression) whose promise resolves to `x` then. A timer instead could answer before the
 * test has seen the busy state on a loaded machine.
 */
export const heldAnswer = (result: string): string => `() => window.hostAnswered.then(() => (${result}))`;

export async function answerHost(page: Page): Promise<void> {
  await page.evaluate('window.answerHost()');
}

/** A page holding `bodyHtml`, `studyApi` (a script's expression) as the host, then the bundle. */
export async function openComponentPage(browser: Browser, bundle: string, studyApi: string, bodyHtml: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent(bodyHtml);
  await page.addScriptTag({ content: 'window.hostAnswered = new Promise((resolve) => (window.answerHost = resolve));' });
  await page.addScriptTag({ content: `window.studyApi = ${studyApi};` });
  await page.addScriptTag({ content: bundle });
  return page;
}

/** The focused element's id, else its text: what a test names it by. */
export const focusedElement = (page: Page): Promise<string> =>
  page.evaluate<string>('document.activeElement.id || document.activeElement.textContent.trim()');

/** This test file's Chromium: launched before its tests, closed after them. */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not launched yet: use the browser inside a test.');
    return browser;
  };
}

/** This test file's Chromium and `entry` bundled once: opens a page holding `bodyHtml`, the host stand-in and the bundle. */
export function componentPagesForFile(entry: string): (studyApi: string, bodyHtml: string) => Promise<Page> {
  const browser = browserForFile();
  let bundle = '';
  beforeAll(async () => {
    bundle = await bundleForPage(entry);
  }, 120_000);
  return (studyApi, bodyHtml) => openComponentPage(browser(), bundle, studyApi, bodyHtml);
}

/**
 * A page script that shows practice's feedback on a review question answered right (where Hard and Easy are offered),
 * with `components` the page's object holding createElement, createRoot, usePractice and Feedback.
 */
export const showRightReviewAnswer = (components: string): string => `(() => {
  const t = ${components};
  const session = { id: 's', skillId: null, skillTitle: 'Review', mode: 'review', questionCount: 2, answeredCount: 1, correctCount: 1, startedUtcMs: 1, endedUtcMs: null };
  const question = { id: 'q', type: 'mcq_single', prompt: 'Solve 2x = 10.', choices: ['4', '5'] };
  const result = { attemptId: 'a', isCorrect: true, solution: { choice: 1 }, explanation: null, session };
  t.usePractice.setState({ phase: 'feedback', session, question, result, rated: null, busy: false });
  t.createRoot(document.getElementById('root')).render(t.createElement(t.Feedback, { question, result, showSolution: true }));
})()`;
