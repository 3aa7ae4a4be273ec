/**
 * Response drills in Chromium, offline, on the embedded sample pack, keyboard only: a new learner opens Drills from
 * the main navigation, starts a question, types an answer (HTML in it stays text), submits, and reads a result whose
 * every verdict is a word (PASS/FLAG) and quotes their own words; the drill then shows on Progress. axe on each screen.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebHost } from '../electron/web/server';
import { createUser } from '../scripts/stack/stack';
import { rendererDir } from './build-state';
import { launchChromium } from '../tests/helpers/chromium';
import { startFakeOpenAi } from '../tests/tutor/fake-openai';
import { expectNoViolations } from './axe';
import { nav, tabTo } from './keyboard';
import { expect, saveServer, test } from './fixtures';

const PROMPT = 'Tell me about a time you solved a difficult problem.';
const ANSWER =
  'In my last role our support queue had grown to 300 open tickets, um, and customers waited five days. ' +
  'My task was to bring the wait under two days. First I sorted the tickets by type and I wrote a self-service guide with a <b>bold</b> title, ' +
  'and then I paired each new colleague with an experienced one. As a result the queue fell to 80 tickets and the wait dropped to one day.';

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

test('a new learner runs a drill offline by keyboard and sees every verdict quote their words', async ({ page }) => {
  // Four axe runs and a typed answer: slow on a shared, loaded machine.
  test.setTimeout(180_000);
  await test.step('Drills from the main navigation: categories and questions, none tried yet', async () => {
    await tabTo(page, nav(page, 'Drills'));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Drills' })).toBeFocused();
    await expect(page.getByRole('heading', { level: 3, name: /^Problem solving/ })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: PROMPT })).toContainText('Not tried yet.');
    await expectNoViolations(page, 'Drills');
  });

  await test.step('the runner: prompt, expected duration, Start, a timer that is not announced, a typed answer', async () => {
    await tabTo(page, page.getByRole('link', { name: PROMPT }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Drill: Problem solving' })).toBeFocused();
    await expect(page.getByText(PROMPT, { exact: true })).toBeVisible();
    await expect(page.getByText(/Aim for about 2 min\. There is no time limit\./)).toBeVisible();
    await tabTo(page, page.getByRole('button', { name: 'Start' }));
    await page.keyboard.press('Enter');
    const answer = page.getByRole('textbox', { name: 'Your answer' });
    await expect(answer).toBeFocused();
    const timer = page.getByRole('timer');
    await expect(timer).toHaveAttribute('aria-live', 'off');
    await expect(timer).toHaveText(/^\d+:\d\d$/);
    await expectNoViolations(page, 'the drill runner');
    // Submitting nothing says what is missing and keeps focus on the answer.
    await tabTo(page, page.getByRole('button', { name: 'Submit' }));
    await page.keyboard.press('Enter');
    await expect(page.getByText('Type your answer before submitting: a transcript is required.')).toBeVisible();
    await expect(answer).toBeFocused();
    await page.keyboard.type(ANSWER);
    await tabTo(page, page.getByRole('button', { name: 'Submit' }));
    await page.keyboard.press('Enter');
  });

  await test.step('the result: score, WPM, an estimated duration, 7 categories each PASS or FLAG quoting the answer', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Drill result' })).toBeFocused();
    await expect(page.getByText(/^\d+ of 100$/).first()).toBeVisible();
    await expect(page.getByText(/words a minute \(estimated\)/)).toBeVisible();
    await expect(page.getByText(/\(estimated from your words, not measured\)/)).toBeVisible();
    const rows = page.getByRole('table').getByRole('row');
    // The header row and the seven categories.
    await expect(rows).toHaveCount(8);
    for (let i = 1; i < 8; i++) {
      const row = rows.nth(i);
      await expect(row.getByRole('cell').first()).toHaveText(/^(PASS|FLAG)$/);
      const quotes = await row.locator('q').allTextContents();
      expect(quotes.length, `row ${i} quotes the answer`).toBeGreaterThan(0);
      for (const quote of quotes) expect(normalise(ANSWER), `row ${i}: “${quote}” is the learner's own words`).toContain(normalise(quote));
    }
    await expect(page.getByRole('heading', { level: 2, name: 'What to change' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Practice rule' })).toBeVisible();
    await expect(page.getByText('This is your first completed attempt at this question.')).toBeVisible();
    // The answer's HTML is shown as the characters typed, never as markup.
    await expect(page.locator('.drill-transcript')).toContainText('<b>bold</b>');
    await expect(page.locator('main b')).toHaveCount(0);
    await expectNoViolations(page, 'the drill result');
  });

  await test.step('the drill is on Progress: this week, a trend with a text alternative, and the history', async () => {
    await nav(page, 'Progress').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Progress' })).toBeFocused();
    const drills = page.getByRole('region', { name: 'Drills' });
    await expect(drills.getByText('Drill sessions this week')).toBeVisible();
    await expect(drills.getByRole('heading', { name: 'Score trend: Problem solving' })).toBeVisible();
    await expect(drills.getByRole('table')).toContainText(/of 100/);
    await expect(page.getByRole('region', { name: 'History' }).getByRole('link', { name: PROMPT })).toBeVisible();
    await expectNoViolations(page, 'Progress with a drill');
  });

  await test.step('back on Drills, the question shows its last score', async () => {
    await nav(page, 'Drills').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('listitem').filter({ hasText: PROMPT })).toContainText(/Last score \d+ of 100\./);
  });
});

test('stopping an AI evaluation fails the session and says why; Try again re-submits the same answer', async ({ page }) => {
  const fake = await startFakeOpenAi();
  try {
    // Settings → Tutor: the learner's own OpenAI-compatible server, which drills use too.
    await nav(page, 'Settings').click();
    await page.getByRole('radio', { name: 'An OpenAI-compatible server' }).check();
    await page.getByRole('textbox', { name: 'Base URL' }).fill(fake.baseUrl);
    await page.getByRole('textbox', { name: 'Model' }).fill('fake-model');
    await page.getByRole('button', { name: 'Save tutor settings' }).click();
    await expect(page.getByRole('region', { name: 'Tutor' }).locator('.status-text', { hasText: 'Tutor settings saved.' })).toBeVisible();

    await nav(page, 'Drills').click();
    await expect(page.getByText(/AI evaluator \(fake-model\)/)).toBeVisible();
    await page.getByRole('link', { name: PROMPT }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('textbox', { name: 'Your answer' }).fill(ANSWER);
    // The provider accepts the request and never answers: the session stays PROCESSING, visibly.
    fake.queue({ kind: 'silent' });
    await page.getByRole('button', { name: 'Submit' }).click();
    // Shown on screen, and said once through the app's polite live region.
    await expect(page.locator('.drill-status')).toHaveText('Evaluating your answer…');
    await expect(page.getByRole('status').filter({ hasText: 'Evaluating your answer…' })).toHaveCount(1);
    await tabTo(page, page.getByRole('button', { name: 'Stop evaluating' }));
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { level: 1, name: 'Drill result' })).toBeFocused();
    await expect(page.getByRole('heading', { level: 2, name: 'The evaluation failed' })).toBeVisible();
    await expect(page.getByText(/stopped before it finished/)).toBeVisible();
    await expectNoViolations(page, 'a failed drill');

    // Try again: a new session with the same answer; the fake's reply is not an evaluation, so the local rules decide.
    await tabTo(page, page.getByRole('button', { name: 'Try again' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('table').getByRole('row')).toHaveCount(8);
    await expect(page.getByText(/the local rules evaluated this answer/)).toBeVisible();
    await expect(page.locator('.drill-transcript')).toContainText('As a result the queue fell to 80 tickets');
  } finally {
    await fake.close();
  }
});

test('a spoken answer: recorded with Chromium’s fake microphone, kept, typed transcript, measured duration not estimated', async () => {
  test.setTimeout(180_000);
  // Its own Chromium with a fake microphone that grants itself, and its own web host on a fresh data folder.
  const dataDir = mkdtempSync(join(tmpdir(), 'study-desk-spoken-'));
  const browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  const host = await startWebHost({ port: 0, dataDir, rendererDir, appVersion: '0.0.0-e2e' });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${host.newLaunchUrl()}#/drills`);
    await page.getByRole('link', { name: PROMPT }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('radio', { name: 'Say it aloud (record)' }).check();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect(page.getByRole('button', { name: 'Stop recording' })).toBeFocused();
    await page.waitForTimeout(2500);
    await page.keyboard.press('Enter');
    // No transcription provider is set up here: the learner is asked to type what they said, in the note under the
    // recorder (the polite live region says the same words, hidden).
    await expect(page.locator('p.hint').filter({ hasText: /No transcription service is set up\. Type what you said below/ })).toBeVisible({
      timeout: 30_000,
    });
    await page.getByRole('textbox', { name: 'Transcript of your answer' }).fill(ANSWER);
    await page.getByRole('button', { name: 'Submit' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Drill result' })).toBeVisible();
    await expect(page.getByText(/^Spoken for \d+ s\./)).toBeVisible();
    await expect(page.getByText(/\(estimated/)).toHaveCount(0);
    await expect(page.getByRole('table').getByRole('row')).toHaveCount(8);
    await expectNoViolations(page, 'the result of a spoken drill');
    // The recording stays on this device, in the data folder.
    expect(readdirSync(join(dataDir, 'recordings')).filter((name) => name.endsWith('.webm'))).toHaveLength(1);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.describe('with an account on the local stack', () => {
  // The first test of a worker also waits for the stack to start.
  test.describe.configure({ timeout: 240_000 });

  test('a new account is LOCKED: the Drills screen says why and what unlocks drills, and offers none', async ({ page, stack }) => {
    await saveServer(page, stack.url, stack.anonKey);
    const email = `locked-${Date.now().toString(36)}@example.com`;
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('region', { name: 'Sync' }).getByText(`Signed in as ${email}.`)).toBeVisible({ timeout: 30_000 });

    await nav(page, 'Drills').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Drills' })).toBeFocused();
    const locked = page.getByRole('region', { name: 'Drills are locked' });
    await expect(locked).toContainText('new accounts start LOCKED');
    await expect(locked).toContainText('granting your account the BASIC or PRO level');
    await expect(page.getByRole('link', { name: PROMPT })).toHaveCount(0);
    await expectNoViolations(page, 'Drills when LOCKED');
  });

  test("a PRO account: the plan that could not be checked is said, and offline the server's evaluator is named as waiting for the connection", async ({
    page,
    stack,
    serverLink,
  }) => {
    const email = `pro-${Date.now().toString(36)}@example.com`;
    const password = 'correct horse battery';
    await createUser(stack, { email, password, entitlement: 'PRO' });
    await saveServer(page, serverLink.url, stack.anonKey);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Sync' }).getByText(`Signed in as ${email}.`)).toBeVisible({ timeout: 30_000 });
    const main = page.getByRole('main');
    const serverEvaluator = /The server's AI evaluator \(PRO\), with the local rules if it fails\./;
    const serverEvaluatorOffline = /The server's AI evaluator \(PRO\) will be used when you are online; offline, drills are scored with the local rules on this device\./;

    const syncStatus = page.getByRole('region', { name: 'Sync status' });
    const planNote = main.getByText(/^Could not check your plan with the server \(.+\); using BASIC until it can be checked\.$/);

    // The network goes away before this account's level was ever read: BASIC meanwhile, and the screen says why.
    await serverLink.cut();
    await nav(page, 'Drills').click();
    await expect(page.getByRole('link', { name: PROMPT })).toBeVisible();
    await expect(planNote).toBeVisible();
    await expect(main).toContainText('Local rules on this device');
    await syncStatus.getByRole('button', { name: 'Sync now' }).click();
    await expect(syncStatus).toContainText(/^Offline/, { timeout: 30_000 });
    await expect(planNote).toBeVisible();
    await expectNoViolations(page, 'Drills with a plan that could not be checked');

    // Back online while the screen stays open: the plan is checked again, the server's answer (PRO) is in force, so its
    // evaluator is named and the note is gone.
    await serverLink.restore();
    await syncStatus.getByRole('button', { name: 'Sync now' }).click();
    await expect(syncStatus).not.toContainText(/^Offline/, { timeout: 30_000 });
    await expect(main.locator('p', { hasText: serverEvaluator })).toBeVisible();
    await expect(main.getByText(/Could not check your plan/)).toHaveCount(0);

    // Offline again while on Drills: the status bar's run finds no server, and the named evaluator follows at once.
    await serverLink.cut();
    await syncStatus.getByRole('button', { name: 'Sync now' }).click();
    await expect(syncStatus).toContainText(/^Offline/, { timeout: 30_000 });
    await expect(main.locator('p', { hasText: serverEvaluatorOffline })).toBeVisible();
    await expect(main.locator('p', { hasText: serverEvaluator })).toHaveCount(0);
    await expectNoViolations(page, 'Drills offline with the server evaluator');
  });
});
