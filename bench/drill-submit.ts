/**
 * drill_submit_to_result: median ms from pressing Submit on a typed drill answer to the result (its 7-category table)
 * painted, with the local evaluator, in the web host driven by Chromium. The clock runs in the page: the click and the
 * first animation frame after the result appears, so Playwright's own round trips are not counted.
 * Baseline, same run and same page: a practice answer's round trip on screen (Check answer → its feedback painted).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { defaultSamplePackPath } from '../electron/core/app';
import { startWebHost } from '../electron/web/server';
import { launchChromium } from '../tests/helpers/chromium';
import { median, withBaseline, type BenchResult } from './result';

const WARM_UP = 2;
const RUNS = 9;
const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');

const ANSWER =
  'In my last role our support queue had grown to 300 open tickets and customers waited five days. My task was to bring the wait ' +
  'under two days. First I sorted the tickets by type and I wrote a self-service guide, then I paired each new colleague with an ' +
  'experienced one. As a result the queue fell to 80 tickets and the wait dropped to one day.';

interface SamplePack {
  skills: Array<{ id: string }>;
  drill_pack: { questions: Array<{ id: string }> };
}

export async function benchDrillSubmitToResult(): Promise<BenchResult[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npm run build');
  const sample = JSON.parse(readFileSync(defaultSamplePackPath, 'utf8')) as SamplePack;
  const questionId = sample.drill_pack.questions[0]!.id;
  const skillId = sample.skills[0]!.id;
  const dataDir = mkdtempSync(join(tmpdir(), 'study-desk-drill-bench-'));
  const browser = await launchChromium();
  const host = await startWebHost({ port: 0, dataDir, rendererDir });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.newLaunchUrl());
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 60_000 });

    const drillSamples: number[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      const ms = await submitDrill(page, questionId);
      if (i >= WARM_UP) drillSamples.push(ms);
    }

    const answerSamples: number[] = [];
    let number = 0;
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      if (number === 0) {
        // A new practice session on the skill (again after the previous one finished).
        await page.evaluate((id) => (window.location.hash = `#/skill/${id}`), skillId);
        await page.getByRole('button', { name: 'Start practice' }).click();
      }
      const { ms, last } = await answerPracticeQuestion(page, (number += 1));
      if (last) number = 0;
      if (i >= WARM_UP) answerSamples.push(ms);
    }
    return [withBaseline('drill_submit_to_result', median(drillSamples), 'ms (median)', median(answerSamples), '≤ 300 ms (local evaluator, web host)')];
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Opens the drill, presses Start, types the answer, then times Submit → the result's table painted. */
async function submitDrill(page: Page, questionId: string): Promise<number> {
  await page.evaluate((id) => (window.location.hash = `#/drill/${encodeURIComponent(id)}`), questionId);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('textbox', { name: 'Your answer' }).fill(ANSWER);
  return timeClick(page, 'Submit', { selector: 'table.drill-categories' });
}

/** Times one practice answer (its first choice, or the order as shown) to its feedback painted, then moves on. */
async function answerPracticeQuestion(page: Page, number: number): Promise<{ ms: number; last: boolean }> {
  await page.getByRole('heading', { name: new RegExp(`^Question ${number} of `) }).waitFor();
  const firstChoice = page.getByRole('radio').first();
  if ((await firstChoice.count()) > 0) await firstChoice.check();
  const ms = await timeClick(page, 'Check answer', { buttonPattern: '^(Next question|Finish and see your score)$' });
  const next = page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ });
  const last = (await next.textContent())?.trim() === 'Finish and see your score';
  await next.click();
  return { ms, last };
}

/**
 * Clicks the button named `buttonText` and resolves with the ms until the `done` element is in the page and one
 * animation frame has passed (it was painted), measured with the page's own clock.
 */
function timeClick(page: Page, buttonText: string, done: { selector?: string; buttonPattern?: string }): Promise<number> {
  // No named functions inside: tsx's keepNames would wrap them in a helper the page does not have.
  return page.evaluate(
    ({ buttonText, done }) =>
      new Promise<number>((resolve, reject) => {
        const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === buttonText);
        if (!button) {
          reject(new Error(`no "${buttonText}" button on screen`));
          return;
        }
        const pattern = done.buttonPattern ? new RegExp(done.buttonPattern) : null;
        const started = performance.now();
        const observer = new MutationObserver(() => {
          const finished =
            (done.selector !== undefined && document.querySelector(done.selector) !== null) ||
            (pattern !== null && Array.from(document.querySelectorAll('button')).some((b) => pattern.test(b.textContent?.trim() ?? '')));
          if (!finished) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - started));
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        button.click();
      }),
    { buttonText, done },
  );
}
