/**
 * Sync end to end through the UI against the real local stack (Postgres, PostgREST, auth gateway): set up a server, sign
 * up, practise, "Sync now", and find the rows on the server exactly once; new published content arrives with a polite
 * notice; losing the network keeps work pending and regaining it uploads it; a rejected change is listed accessibly.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../electron/core/app';
import { runPublish } from '../electron/core/content/publish';
import type { Stack } from '../scripts/stack/stack';
import { repoRoot } from './build-state';
import { expectNoViolations } from './axe';
import { expect, saveServer, test, waitForAppReady } from './fixtures';

// The first test of a worker also waits for the stack to start.
test.describe.configure({ timeout: 240_000 });

const password = 'correct horse battery';
/** The embedded sample pack the app starts with; the specs practise and extend its "Linear equations" skill. */
const samplePack = JSON.parse(readFileSync(join(repoRoot, 'resources/sample-pack.json'), 'utf8')) as {
  pack: Record<string, unknown>;
  domains: Array<{ id: string }>;
  skills: Array<{ id: string; slug: string; domain_id: string }>;
  questions: Array<{ skill_id: string }>;
};
const linearEquations = samplePack.skills.find((s) => s.slug === 'linear_equations')!;
const linearEquationsQuestions = samplePack.questions.filter((q) => q.skill_id === linearEquations.id).length;

function newEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

function statusBar(page: Page): Locator {
  return page.getByRole('region', { name: 'Sync status' });
}

async function openScreen(page: Page, name: 'Library' | 'Progress' | 'Settings' | 'Sync'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Settings → Email and Password → Create account; signing up signs in and syncs. */
async function signUp(page: Page, email: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('region', { name: 'Sync' }).getByText(`Signed in as ${email}.`)).toBeVisible({ timeout: 30_000 });
  await expect(statusBar(page)).toContainText('Up to date', { timeout: 30_000 });
}

/** The number in "N changes waiting to upload" in the status bar; 0 when that detail is absent. */
async function pendingInStatusBar(page: Page): Promise<number> {
  const text = await statusBar(page).innerText();
  const match = /(\d+) changes? waiting to upload/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Library → domain → skill → Start practice, with clicks. */
async function startPractice(page: Page, domain: string, skill: string): Promise<void> {
  await openScreen(page, 'Library');
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  const skillItem = tree.getByRole('treeitem', { name: new RegExp(`^${skill}`) });
  if (!(await skillItem.isVisible())) await tree.getByRole('treeitem', { name: new RegExp(`^${domain}`) }).click();
  await skillItem.click();
  await expect(page.getByRole('heading', { level: 1, name: skill })).toBeVisible();
  await page.getByRole('button', { name: 'Start practice' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Question 1 of \d+$/ })).toBeVisible();
}

/** Answers the question on screen (an MCQ's first choice, or a reorder as it stands) and moves on to the next one. */
async function answerOne(page: Page): Promise<void> {
  // A new question takes focus; until then the previous one, with its option already checked, is still on screen.
  await expect(page.getByRole('heading', { level: 2, name: /^Question \d+ of \d+$/ })).toBeFocused();
  const radios = page.getByRole('radio');
  if ((await radios.count()) > 0) await radios.first().check();
  await page.getByRole('button', { name: 'Check answer' }).click();
  await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
  await page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ }).click();
}

async function endSession(page: Page): Promise<void> {
  const summary = page.getByRole('region', { name: 'Session complete' });
  const endNow = page.getByRole('button', { name: 'End session now' });
  await endNow.or(summary).first().waitFor();
  if (await endNow.isVisible()) {
    await endNow.click();
    // Ending early asks first.
    await page.getByRole('button', { name: 'End and see the summary' }).click();
  }
  await expect(summary).toBeVisible();
}

/** "Sync now" in the status bar, then the status says up to date: nothing pending and a last sync time. */
async function syncNowAndExpectUpToDate(page: Page): Promise<void> {
  await statusBar(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(statusBar(page)).toContainText(/^Up to date\. Last synced [^.]+\./, { timeout: 30_000 });
  await expect(statusBar(page)).not.toContainText('waiting to upload');
}

async function serverUserId(stack: Stack, email: string): Promise<string> {
  const rows = await stack.query<{ id: string }>('select id from auth.users where email = lower($1)', [email]);
  expect(rows, `one server account for ${email}`).toHaveLength(1);
  return rows[0]!.id;
}

/** Ids from the app's own database, lower-case and sorted (read-only: WAL lets it read beside the running host). */
function localIds(dataDir: string, sql: string): string[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).pluck().all() as string[]).map((id) => id.toLowerCase()).sort();
  } finally {
    db.close();
  }
}

async function serverIds(stack: Stack, table: 'attempts' | 'sessions', userId: string): Promise<string[]> {
  const rows = await stack.query<{ id: string }>(`select id::text as id from public.${table} where user_id = $1`, [userId]);
  return rows.map((r) => r.id).sort();
}

/**
 * Publishes the embedded sample pack on the server with the publish command (an upsert, so any test may call it):
 * the server takes answers only on content it ever published, and keeps the rest on the device.
 */
async function publishSampleOnServer(stack: Stack): Promise<void> {
  const output: string[] = [];
  const io = { stdout: (t: string) => output.push(t), stderr: (t: string) => output.push(t) };
  const sampleFile = join(repoRoot, 'resources/sample-pack.json');
  expect(await runPublish([sampleFile, '--url', stack.url, '--service-key', stack.serviceKey], io), output.join('')).toBe(0);
}

test('practice done offline-first reaches the server exactly once after "Sync now"', async ({ page, app, stack }) => {
  await publishSampleOnServer(stack);
  const email = newEmail('walk');
  await saveServer(page, stack.url, stack.anonKey);
  await expect(statusBar(page)).toContainText('Not signed in');
  await signUp(page, email);

  const answered = 3;
  await startPractice(page, 'Algebra', 'Linear equations');
  for (let n = 0; n < answered; n++) await answerOne(page);
  await endSession(page);
  await syncNowAndExpectUpToDate(page);

  const userId = await serverUserId(stack, email);
  const attempts = await serverIds(stack, 'attempts', userId);
  expect(attempts).toHaveLength(answered);
  expect(attempts).toEqual(localIds(app.dataDir, 'SELECT id FROM attempts'));
  expect(await serverIds(stack, 'sessions', userId)).toEqual(localIds(app.dataDir, 'SELECT id FROM sessions'));
  expect(await serverIds(stack, 'sessions', userId)).toHaveLength(1);
  const progress = await stack.query<{ skill_id: string; attempt_count: number }>(
    'select skill_id::text as skill_id, attempt_count from public.skill_progress where user_id = $1',
    [userId],
  );
  expect(progress).toEqual([{ skill_id: linearEquations.id, attempt_count: answered }]);

  // Once more: nothing is sent twice, and the server still holds each row once.
  await syncNowAndExpectUpToDate(page);
  expect(await serverIds(stack, 'attempts', userId)).toEqual(attempts);
  // Each local change the device marked delivered has exactly one receipt on the server, and there are no others.
  const receipts = await stack.query<{ outbox_id: string }>(
    'select outbox_id::text as outbox_id from public.sync_receipts where user_id = $1',
    [userId],
  );
  const delivered = localIds(app.dataDir, 'SELECT id FROM outbox WHERE processed = 1');
  expect(delivered.length).toBeGreaterThanOrEqual(answered + 2);
  expect(receipts.map((r) => r.outbox_id).sort()).toEqual(delivered);
});

test('a question published on the server arrives with "Sync now", and the update is announced politely', async ({ page, stack }, testInfo) => {
  await saveServer(page, stack.url, stack.anonKey);
  await openScreen(page, 'Library');
  const summaryLine = page.getByRole('main').getByText(/^\d+ domains, \d+ skills, \d+ questions\.$/);
  const before = Number(/(\d+) questions/.exec(await summaryLine.innerText())![1]);
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Algebra/ }).click();
  const skillItem = tree.getByRole('treeitem', { name: /^Linear equations/ });
  await expect(skillItem).toContainText(`${linearEquationsQuestions} questions`);

  // A pack with the sample's Algebra domain and Linear equations skill (same ids) and one new question.
  const nowMs = Date.now();
  const pack = {
    pack: { ...samplePack.pack, name: 'e2e-new-question', version: '1.0.1' },
    domains: samplePack.domains.filter((d) => d.id === linearEquations.domain_id),
    skills: [linearEquations],
    questions: [
      {
        id: randomUUID(),
        skill_id: linearEquations.id,
        slug: `solve_3x_eq_12_${randomUUID().slice(0, 8)}`,
        type: 'mcq_single',
        payload: { prompt: 'Solve 3x = 12.', choices: ['2', '3', '4', '6'], solution_index: 2 },
        explanation: { body: 'Divide both sides by 3: x = 12 ÷ 3 = 4.' },
        sort_order: 99,
        is_published: true,
        created_utc_ms: nowMs,
        updated_utc_ms: nowMs,
      },
    ],
  };
  const packFile = testInfo.outputPath('new-question-pack.json');
  writeFileSync(packFile, JSON.stringify(pack));
  const output: string[] = [];
  const io = { stdout: (t: string) => output.push(t), stderr: (t: string) => output.push(t) };
  expect(await runPublish([packFile, '--url', stack.url, '--service-key', stack.serviceKey], io), output.join('')).toBe(0);

  await expect(page.getByRole('status').filter({ hasText: 'Content was updated' })).toHaveCount(0);
  // Marks the live regions on the page now, to show below that the banner's region was there before its text.
  await page.evaluate(`document.querySelectorAll('[role="status"]').forEach((region) => { region.dataset.e2eBefore = 'yes'; })`);
  // Every headline the status bar shows while the content downloads, so a passing "Downloading…" is seen too.
  await page.evaluate(`(() => {
    const bar = document.querySelector('section.sync-bar strong');
    window.__syncHeadlines = [];
    new MutationObserver(() => window.__syncHeadlines.push(bar.textContent)).observe(bar, { childList: true, characterData: true, subtree: true });
  })()`);
  await statusBar(page).getByRole('button', { name: 'Sync now' }).click();

  const banner = page.getByRole('status').filter({ hasText: 'Content was updated' });
  await expect(banner).toContainText(`Content was updated: the library now has ${before + 1} questions.`, { timeout: 30_000 });
  // A polite live region (role=status, no aria-live override) that was on the page, empty, before the text arrived:
  // screen readers speak such a change without interrupting.
  await expect(banner).toHaveCount(1);
  await expect(banner).toHaveAttribute('data-e2e-before', 'yes');
  expect(await banner.getAttribute('aria-live')).toBeNull();
  const headlines = (await page.evaluate('window.__syncHeadlines')) as string[];
  expect(headlines.filter((h) => h.startsWith('Downloading'))).not.toHaveLength(0);
  for (const headline of headlines.filter((h) => h.startsWith('Downloading'))) {
    expect(headline).toMatch(/^Downloading content… \d+ items? so far\.?$/);
  }

  await banner.getByRole('button', { name: 'Show the new content' }).click();
  await expect(summaryLine).toHaveText(new RegExp(`, ${before + 1} questions\\.$`));
  await expect(skillItem).toContainText(`${linearEquationsQuestions + 1} questions`);
  await expect(page.getByRole('status').filter({ hasText: 'Content was updated:' })).toHaveCount(0);
});

test('offline: work stays pending and says so; back online it uploads, without a blocking sync:now', async ({ page, app, stack, serverLink }) => {
  await publishSampleOnServer(stack);
  // Watch the requests the page sends to its host from a fresh load, to count "Sync now"s and triggers (web host).
  const syncNowRequests: string[] = [];
  const onlineTriggers: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      if (payload.includes('"channel":"sync:now"')) syncNowRequests.push(payload);
      if (payload.includes('"channel":"sync:trigger"') && payload.includes('"online"')) onlineTriggers.push(payload);
    }),
  );
  await page.reload();
  await waitForAppReady(page);

  const email = newEmail('offline');
  await saveServer(page, serverLink.url, stack.anonKey);
  await signUp(page, email);

  await serverLink.cut();
  await statusBar(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(statusBar(page)).toContainText(/^Offline: your work is kept on this computer\. .*Last error: Cannot reach the server/, {
    timeout: 30_000,
  });

  await startPractice(page, 'Computing Fundamentals', 'Binary numbers');
  await answerOne(page);
  await expect.poll(() => pendingInStatusBar(page)).toBeGreaterThan(0);
  const afterOne = await pendingInStatusBar(page);
  await answerOne(page);
  await expect.poll(() => pendingInStatusBar(page)).toBeGreaterThan(afterOne);
  await endSession(page);
  await expect(statusBar(page)).toContainText(/^(Offline|Sync failed)/);
  await expect(statusBar(page)).toContainText(/\d+ changes waiting to upload/);

  // The network comes back: the browser's online event (fired twice, as a flapping link does) asks core with a
  // trigger that answers at once, never a blocking sync:now; core folds the asks into its runs.
  await serverLink.restore();
  const before = syncNowRequests.length;
  await page.evaluate("window.dispatchEvent(new Event('online')); window.dispatchEvent(new Event('online'))");
  await expect(statusBar(page)).toContainText(/^Up to date\. Last synced /, { timeout: 30_000 });
  // Only the web host's IPC travels where the test can see it (a WebSocket); Electron's stays inside the app.
  if (app.host === 'web') {
    expect(syncNowRequests.length - before).toBe(0);
    expect(onlineTriggers).toHaveLength(2);
  }

  await syncNowAndExpectUpToDate(page);
  const userId = await serverUserId(stack, email);
  expect(await serverIds(stack, 'attempts', userId)).toEqual(localIds(app.dataDir, 'SELECT id FROM attempts'));
  expect(await serverIds(stack, 'attempts', userId)).toHaveLength(2);
});

test('a change the server refuses is listed on the Sync screen with its reason, with no axe violations', async ({ page, app, stack }) => {
  const email = newEmail('dead');
  await saveServer(page, stack.url, stack.anonKey);
  await signUp(page, email);
  const userId = await serverUserId(stack, email);

  // An attempt without a question: the server refuses it, and it must go to the dead letters without blocking others.
  const poisonRowId = randomUUID();
  const page2 = await app.restart({
    beforeStart: (dataDir) => {
      const db = new Database(join(dataDir, DATABASE_FILE));
      try {
        const nowMs = Date.now();
        db.prepare(
          `INSERT INTO outbox (id, table_name, row_id, payload, ts_utc_ms, processed, attempt_count, next_attempt_utc_ms)
           VALUES (?, 'attempts', ?, ?, ?, 0, 0, 0)`,
        ).run(randomUUID(), poisonRowId, JSON.stringify({ id: poisonRowId, user_id: userId, answer: '{"choice":0}', ts_utc_ms: nowMs }), nowMs);
      } finally {
        db.close();
      }
    },
  });

  await expect(statusBar(page2)).toContainText('1 change could not be uploaded', { timeout: 30_000 });
  await openScreen(page2, 'Sync');
  const deadList = page2.getByRole('table', { name: 'Changes that could not be uploaded' });
  const row = deadList.getByRole('row', { name: new RegExp(`attempts ${poisonRowId.slice(0, 8)}`) });
  await expect(row).toContainText(/question_id/);
  await expect(row.getByRole('button', { name: `Retry attempts ${poisonRowId.slice(0, 8)}` })).toBeVisible();
  await expect(page2.getByRole('main')).toContainText(`Signed in as ${email}.`);
  await expectNoViolations(page2, 'sync screen with a dead letter');
  expect(await serverIds(stack, 'attempts', userId)).toEqual([]);
});
