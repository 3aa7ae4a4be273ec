/**
 * The tutor chat in Chromium against the fake OpenAI-compatible server (tests/tutor/fake-openai.ts, the real SSE
 * protocol on loopback), set up through Settings → Tutor like a learner would: ask, watch the stream, stop, retry,
 * "Ask the tutor" from a question, a reply with HTML in it, keyboard only, and axe on each state.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { startFakeOpenAi, type FakeOpenAi } from '../tests/tutor/fake-openai';
import { expectNoViolations } from './axe';
import { nav, tabTo } from './keyboard';
import { expect, test } from './fixtures';

/** Settings → Tutor: an OpenAI-compatible server at the fake's loopback address, then Test connection. */
async function useFakeProvider(page: Page, fake: FakeOpenAi): Promise<void> {
  await nav(page, 'Settings').click();
  await page.getByRole('radio', { name: 'An OpenAI-compatible server' }).check();
  await page.getByRole('textbox', { name: 'Base URL' }).fill(fake.baseUrl);
  await page.getByRole('textbox', { name: 'Model' }).fill('fake-model');
  await page.getByRole('button', { name: 'Save tutor settings' }).click();
  const tutorSettings = page.getByRole('region', { name: 'Tutor' });
  await expect(tutorSettings.locator('.status-text', { hasText: 'Tutor settings saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(tutorSettings.locator('.status-text', { hasText: 'Connected. The server lists 1 model, including the chosen one.' })).toBeVisible();
}

/** Records every text the app's polite status region shows from now on (the shell's one announcement region). */
async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const region = document.querySelector('main > [role="status"].visually-hidden');
    const seen: string[] = [];
    (window as unknown as { announcements: string[] }).announcements = seen;
    if (!region) throw new Error('The app has no polite status region.');
    new MutationObserver(() => {
      const text = region.textContent?.trim() ?? '';
      if (text !== '') seen.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { announcements: string[] }).announcements]);
}

let fake: FakeOpenAi;
test.beforeAll(async () => {
  fake = await startFakeOpenAi();
});
test.afterAll(async () => {
  await fake.close();
});

test('keyboard only: ask, watch the reply stream, stop it with Escape, retry, with one announcement per reply', async ({ page }) => {
  await useFakeProvider(page, fake);
  const log = page.getByRole('log', { name: 'Conversation with the tutor' });
  const input = page.getByRole('textbox', { name: 'Message to the tutor' });

  await test.step('to the Tutor screen and a new chat by keyboard', async () => {
    // From the Test connection button, back up the page to the navigation.
    await tabTo(page, nav(page, 'Tutor'), { key: 'Shift+Tab' });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Tutor' })).toBeFocused();
    await expect(page.getByText('No conversations yet.', { exact: false })).toBeVisible();
    await expectNoViolations(page, 'tutor screen, empty');
    await tabTo(page, page.getByRole('button', { name: 'New chat' }));
    await page.keyboard.press('Enter');
    await expect(log).toBeVisible();
    await tabTo(page, input);
  });

  // Long enough (30 s) that the checks and axe finish while it still streams, even on a loaded machine.
  const slowTokens = Array.from({ length: 300 }, (_, i) => `word${i} `);
  await test.step('Enter sends, Shift+Enter is a new line; the reply streams into a busy log', async () => {
    fake.queue({ kind: 'stream', tokens: slowTokens, delayMs: 100 });
    const announcements = await recordAnnouncements(page);
    await page.keyboard.type('What is a binary digit?');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Give me a hint.');
    await expect(input).toHaveValue('What is a binary digit?\nGive me a hint.');
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue('');
    await expect(log.getByText('What is a binary digit? Give me a hint.', { exact: false })).toBeVisible();
    await expect(log).toHaveAttribute('aria-busy', 'true');
    await expect(log).toContainText('word3');
    await expect(input).toBeFocused();
    await expectNoViolations(page, 'a reply streaming');

    await page.keyboard.press('Escape');
    await expect(log).toHaveAttribute('aria-busy', 'false');
    await expect(log.getByText('Stopped. The part that arrived is kept.')).toBeVisible();
    await expect(log).toContainText('word3');
    await expect(log).not.toContainText('word299');
    await expect(input).toBeFocused();
    await expect.poll(announcements).toEqual(['Reply stopped. The part that arrived is kept.']);
    expect(fake.requests.at(-1)?.messages.at(-1)).toEqual({ role: 'user', content: 'What is a binary digit?\nGive me a hint.' });
  });

  await test.step('Retry adds a new reply and keeps the stopped one', async () => {
    fake.queue({ kind: 'stream', tokens: ['Think about ', 'the two values ', 'a **bit** can take.'], delayMs: 20 });
    const announcements = await recordAnnouncements(page);
    await tabTo(page, log.getByRole('button', { name: 'Retry' }));
    await page.keyboard.press('Enter');
    await expect(input).toBeFocused();
    await expect(log.getByText('a bit can take.', { exact: false })).toBeVisible();
    await expect(log.locator('strong', { hasText: 'bit' })).toBeVisible();
    await expect(log).toHaveAttribute('aria-busy', 'false');
    await expect(log.getByText('Stopped. The part that arrived is kept.')).toBeVisible();
    await expect(log.locator('.message-tutor')).toHaveCount(2);
    await expect.poll(announcements).toEqual(['The tutor replied.']);
    await expectNoViolations(page, 'a conversation with a stopped and a complete reply');
  });

  await test.step('the Tutor screen lists the conversation with its last message', async () => {
    await nav(page, 'Tutor').click();
    await expect(page.getByRole('article').first()).toContainText('Tutor: Think about the two values a bit can take.');
    await expectNoViolations(page, 'tutor screen with a conversation');
  });
});

test('the Stop button keeps the partial reply, and HTML in a reply stays text', async ({ page }) => {
  await useFakeProvider(page, fake);
  await nav(page, 'Tutor').click();
  await page.getByRole('button', { name: 'New chat' }).click();
  const log = page.getByRole('log', { name: 'Conversation with the tutor' });
  const input = page.getByRole('textbox', { name: 'Message to the tutor' });

  fake.queue({
    kind: 'stream',
    tokens: ['Careful: <script>window.tutorPwned = 1</script> and ', '<img src=x onerror="window.tutorPwned = 2"> are text.', '\n\n```js\nconst bits = 2;\n```'],
  });
  await input.fill('Show me something odd');
  await input.press('Enter');
  await expect(log.getByText('<script>window.tutorPwned = 1</script>', { exact: false })).toBeVisible();
  await expect(log.getByText('<img src=x onerror="window.tutorPwned = 2">', { exact: false })).toBeVisible();
  await expect(log.locator('pre code')).toHaveText('const bits = 2;\n');
  await expect(log.locator('script, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { tutorPwned?: number }).tutorPwned)).toBeUndefined();

  fake.queue({ kind: 'stream', tokens: Array.from({ length: 60 }, (_, i) => `part${i} `), delayMs: 100 });
  await input.fill('Again, slowly');
  await input.press('Enter');
  await expect(log).toContainText('part2');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(log.getByText('Stopped. The part that arrived is kept.')).toBeVisible();
  await expect(input).toBeFocused();

  await test.step('after a reload the stopped reply is still there, as stored', async () => {
    await page.reload();
    await expect(page.getByRole('log', { name: 'Conversation with the tutor' }).getByText('Stopped. The part that arrived is kept.')).toBeVisible();
    await expect(page.getByRole('log', { name: 'Conversation with the tutor' })).toContainText('part2');
  });
});

test('a reply cut at the length limit keeps what arrived and says it reached the limit', async ({ page }) => {
  await useFakeProvider(page, fake);
  await nav(page, 'Tutor').click();
  await page.getByRole('button', { name: 'New chat' }).click();
  const log = page.getByRole('log', { name: 'Conversation with the tutor' });
  const input = page.getByRole('textbox', { name: 'Message to the tutor' });

  fake.queue({ kind: 'stream', tokens: ['Start with what ', 'each place stands for, then'], finish: 'length' });
  await input.fill('Explain binary at length');
  await input.press('Enter');
  const cut = log.locator('.message-tutor[data-status="interrupted"]');
  await expect(cut).toContainText('Start with what each place stands for, then');
  await expect(cut.locator('.reply-status')).toHaveText('Interrupted before the end; what arrived is kept. The reply reached its length limit.');
  await expectNoViolations(page, 'Tutor with a reply cut at the length limit');
});

test('Ask the tutor from a practice question opens a chat that sees the question', async ({ page }) => {
  await useFakeProvider(page, fake);
  await nav(page, 'Library').click();
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Computing Fundamentals/ }).click();
  await tree.getByRole('treeitem', { name: /^Binary numbers/ }).click();
  await page.getByRole('button', { name: 'Start practice' }).click();
  const prompt = (await page.locator('.prompt').first().textContent())?.trim() ?? '';
  expect(prompt).not.toBe('');

  await page.getByRole('button', { name: 'Ask the tutor' }).click();
  const log = page.getByRole('log', { name: 'Conversation with the tutor' });
  await expect(log).toBeVisible();

  await page.getByRole('button', { name: 'What the tutor sees' }).click();
  const dialog = page.getByRole('dialog', { name: 'What the tutor sees' });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('pre')).toContainText(prompt);
  await expectNoViolations(page, 'what the tutor sees');
  const shown = (await dialog.locator('pre').textContent()) ?? '';
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'What the tutor sees' })).toBeFocused();

  fake.queue({ kind: 'stream', tokens: ['What does each place in a binary number stand for?'] });
  const input = page.getByRole('textbox', { name: 'Message to the tutor' });
  await input.fill('I am stuck on this one.');
  await input.press('Enter');
  await expect(log).toContainText('What does each place in a binary number stand for?');
  // "What the tutor sees" is exactly what was sent: the system message of the request.
  const sent = fake.requests.at(-1)?.messages.find((m) => m.role === 'system')?.content;
  expect(sent).toBe(shown);
});

test('with no provider the offline tutor answers, labelled; a conversation is renamed, exported as Markdown and deleted', async ({ page }) => {
  await nav(page, 'Tutor').click();
  await page.getByRole('button', { name: 'New chat' }).click();
  const log = page.getByRole('log', { name: 'Conversation with the tutor' });
  await expect(page.getByText('Offline tutor: answers only from the content on this device.', { exact: true })).toBeVisible();
  const input = page.getByRole('textbox', { name: 'Message to the tutor' });
  await input.fill('What is binary?');
  await input.press('Enter');
  await expect(log.locator('.message-tutor .source-label')).toHaveText(' (Offline tutor: answers only from the content on this device)');
  await expect(log).toHaveAttribute('aria-busy', 'false');
  await expectNoViolations(page, 'an offline tutor reply');

  await nav(page, 'Tutor').click();
  const item = page.getByRole('article').first();
  const oldTitle = (await item.getByRole('heading').textContent()) ?? '';
  await item.getByRole('button', { name: `Rename “${oldTitle}”` }).click();
  const nameBox = page.getByRole('textbox', { name: `New name for “${oldTitle}”` });
  await expect(nameBox).toBeFocused();
  await nameBox.fill('Binary questions');
  await nameBox.press('Enter');
  await expect(page.getByRole('article').first().getByRole('heading', { name: 'Binary questions' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Rename “Binary questions”' })).toBeFocused();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export “Binary questions” as Markdown' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.md$/);
  const saved = await file.path();
  const markdown = await readFile(saved, 'utf8');
  expect(markdown).toContain('Binary questions');
  expect(markdown).toContain('What is binary?');

  await nav(page, 'Progress').click();
  const recent = page.getByRole('region', { name: 'Recent conversations' });
  await expect(recent.getByRole('link', { name: 'Binary questions' })).toBeVisible();
  await expect(recent).toContainText('Tutor: ');
  await nav(page, 'Tutor').click();

  await page.getByRole('button', { name: 'Delete “Binary questions”' }).click();
  await expect(page.getByRole('button', { name: 'Yes, delete' })).toBeFocused();
  await expectNoViolations(page, 'delete confirmation');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Delete “Binary questions”' })).toBeFocused();
  await page.getByRole('button', { name: 'Delete “Binary questions”' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('article')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New chat' })).toBeFocused();

  await nav(page, 'Progress').click();
  await expect(page.getByRole('region', { name: 'Recent conversations' })).toContainText('No conversations with the tutor yet.');
});
