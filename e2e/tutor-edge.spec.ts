/**
 * The tutor through the edge function in Chromium, set up as the README tells a learner: the local stack (its gateway
 * runs supabase/functions/tutor under Deno, with the fake OpenAI-compatible server as the model), Settings → Sync
 * (server, new account), Settings → Tutor → "The Supabase edge function", then a chat whose reply streams from the
 * function, and "What the tutor sees" showing exactly the system message the model received.
 */
import { startFakeOpenAi, type FakeOpenAi } from '../tests/tutor/fake-openai';
import { nav } from './keyboard';
import { expectNoViolations } from './axe';
import { expect, saveServer, test } from './fixtures';

let fake: FakeOpenAi;
test.beforeAll(async () => {
  fake = await startFakeOpenAi();
});
test.afterAll(async () => {
  await fake.close();
});

test('a signed-in learner chats with the tutor through the edge function, and sees what it was sent', async ({ page, stack }) => {
  await stack.setFunctionEnv({ TUTOR_LLM_BASE_URL: fake.baseUrl, TUTOR_LLM_MODEL: 'fake-model' });
  const email = `edge-${Date.now()}@example.test`;

  await test.step('Settings → Sync: the local stack and a new account', async () => {
    await saveServer(page, stack.url, stack.anonKey);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('secret-pass');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('region', { name: 'Sync' }).getByText(`Signed in as ${email}.`)).toBeVisible({ timeout: 30_000 });
  });

  await test.step('Settings → Tutor: the edge function, and Test connection reaches it', async () => {
    await page.getByRole('radio', { name: 'The Supabase edge function' }).check();
    await page.getByRole('button', { name: 'Save tutor settings' }).click();
    const tutorSettings = page.getByRole('region', { name: 'Tutor' });
    await expect(tutorSettings.locator('.status-text', { hasText: 'Tutor settings saved.' })).toBeVisible();
    await page.getByRole('button', { name: 'Test connection' }).click();
    // The function's first call also starts Deno.
    await expect(tutorSettings.locator('.status-text', { hasText: 'Connected. The server lists 1 model, including the chosen one.' })).toBeVisible({
      timeout: 30_000,
    });
  });

  await test.step('a chat: the reply streams from the function, not the offline tutor', async () => {
    await nav(page, 'Tutor').click();
    await page.getByRole('button', { name: 'New chat' }).click();
    const log = page.getByRole('log', { name: 'Conversation with the tutor' });
    fake.queue({ kind: 'stream', tokens: ['What ', 'have you ', '**tried** so far?'], delayMs: 30 });
    await page.getByRole('textbox', { name: 'Message to the tutor' }).fill('Where should I start?');
    await page.keyboard.press('Enter');
    await expect(log.getByText('What have you tried so far?')).toBeVisible({ timeout: 30_000 });
    await expect(log.locator('strong', { hasText: 'tried' })).toBeVisible();
    await expect(log).toHaveAttribute('aria-busy', 'false');
    await expect(log).not.toContainText('Offline tutor');
    expect(fake.requests.at(-1)?.messages.at(-1)).toEqual({ role: 'user', content: 'Where should I start?' });
    await expectNoViolations(page, 'the tutor answered through the edge function');
  });

  await test.step('"What the tutor sees" is the system message the model received from the function', async () => {
    await page.getByRole('button', { name: 'What the tutor sees' }).click();
    const shown = page.getByRole('dialog', { name: 'What the tutor sees' }).getByLabel('The message sent to the tutor');
    const received = fake.requests.at(-1)?.messages[0];
    expect(received?.role).toBe('system');
    await expect(shown).toHaveText(received?.content ?? '(nothing received)', { useInnerText: true });
  });
});
