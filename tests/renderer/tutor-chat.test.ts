/**
 * A conversation with the tutor in a real Chromium (bundled by Vite from renderer/src), with a stand-in host whose reply
 * stream the test drives chunk by chunk: what the reply says on screen and announces as it ends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { ChatScreen, SILENCE_NOTICE_MS } from ${JSON.stringify(join(rendererSrc, 'tutor/ChatScreen.tsx'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.chatTest = { createElement, createRoot, ChatScreen, SILENCE_NOTICE_MS, useShell };
`;

const pageWith = componentPagesForFile(entry);

const conversation = `{ id: 'chat-1', title: 'New conversation', skillId: null, questionId: null, createdUtcMs: 0, updatedUtcMs: 0 }`;
/**
 * A host with one empty conversation and a provider chosen; a send's stream stays open for the test: `window.chatHost`
 * holds its `onChunk` and `finish` (the done value), and every announcement is kept in `window.announced`.
 */
const hostWith = (messages: string) => `{
  tutorMessages: () => Promise.resolve({ ok: true, value: { conversation: ${conversation}, messages: ${messages} } }),
  tutorProviderGet: () => Promise.resolve({ ok: true, value: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', hasApiKey: false } }),
  tutorSend: (input, { onChunk }) => {
    let finish = () => {};
    const done = new Promise((resolve) => (finish = resolve));
    window.chatHost = { input, onChunk, finish };
    return { done, cancel: () => finish({ ok: false, error: { code: 'cancelled', message: 'Stopped.' } }) };
  },
}`;
const host = hostWith('[]');

const userMessage = (text: string) =>
  `{ id: 'u1', chatId: 'chat-1', sender: 'user', text: ${JSON.stringify(text)}, status: null, source: null, error: null, sequence: 0, createdUtcMs: 0 }`;

async function openChat(studyApi = host): Promise<Page> {
  const page = await pageWith(studyApi, '<main id="main" tabindex="-1"><div id="root"></div></main>');
  await page.evaluate(`(() => {
    const t = window.chatTest;
    window.announced = [];
    t.useShell.subscribe((s, before) => { if (s.politeMessage && s.politeMessage !== before.politeMessage) window.announced.push(s.politeMessage); });
    t.createRoot(document.getElementById('root')).render(t.createElement(t.ChatScreen, { chatId: 'chat-1' }));
  })()`);
  await page.getByLabel('Message to the tutor').waitFor({ timeout: 5000 });
  return page;
}

/** Sends `text` and waits until the stand-in host has the stream. */
async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message to the tutor').fill(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction('window.chatHost !== undefined');
}

describe('a reply from the offline tutor in place of the chosen provider', () => {
  it('says once, with the reply, that the provider was not used, why, and where to look; and announces it once', async () => {
    const page = await openChat();
    await send(page, 'What is a bit?');
    const reason = 'Nothing answers at http://127.0.0.1:9/v1. Is the server running? Check the address and port. (connect ECONNREFUSED)';
    await page.evaluate(`(() => {
      const h = window.chatHost;
      h.onChunk({ type: 'started', userMessage: ${userMessage('What is a bit?')}, replyId: 't1', source: 'provider', title: 'What is a bit?' });
      h.onChunk({ type: 'started', userMessage: ${userMessage('What is a bit?')}, replyId: 't1', source: 'offline', title: 'What is a bit?' });
      h.onChunk({ type: 'delta', text: 'A bit is ' });
      h.onChunk({ type: 'delta', text: 'a binary digit.' });
      h.finish({ ok: true, value: { reply: { id: 't1', chatId: 'chat-1', sender: 'tutor', text: 'A bit is a binary digit.', status: 'complete',
        source: 'offline', error: { code: 'network', message: ${JSON.stringify(reason)} }, sequence: 1, createdUtcMs: 0 } } });
    })()`);
    const said = `Your tutor provider was not used, so the offline tutor answered: ${reason} Check Settings → Tutor, then Retry.`;
    const reply = page.locator('.message-tutor');
    await expect.poll(() => reply.locator('.reply-status').allTextContents()).toEqual([said]);
    expect(await reply.count()).toBe(1);
    await expect.poll(() => page.evaluate('window.announced')).toEqual([`The tutor replied. ${said}`]);
    await page.close();
  });
});

describe('a chat nobody named', () => {
  it('takes the title core gave it from the first message, as text, in its heading', async () => {
    const page = await openChat();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('New conversation');
    const text = 'Why does <b>ice</b> float?';
    await send(page, text);
    await page.evaluate(`window.chatHost.onChunk({ type: 'started', userMessage: ${userMessage(text)}, replyId: 't1', source: 'provider', title: ${JSON.stringify(text)} })`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(text);
    expect(await page.locator('h1 b').count()).toBe(0);
    await page.close();
  });
});

describe('a table in a reply', () => {
  it('scrolls in its own box in an 800×600 window, reachable by keyboard, without widening the page', async () => {
    const row = Array.from({ length: 12 }, (_, i) => `column-heading-${i}`);
    const table = `| ${row.join(' | ')} |\n|${' --- |'.repeat(12)}\n| ${row.map((_, i) => `value ${i}`).join(' | ')} |`;
    const reply = `{ id: 't1', chatId: 'chat-1', sender: 'tutor', text: ${JSON.stringify(table)}, status: 'complete', source: 'provider', error: null, sequence: 1, createdUtcMs: 0 }`;
    const page = await openChat(hostWith(`[${reply}]`));
    await page.setViewportSize({ width: 800, height: 600 });
    await page.addStyleTag({ content: ['styles.css', 'tutor/tutor.css'].map((file) => readFileSync(join(rendererSrc, file), 'utf8')).join('\n') });
    const box = page.locator('.transcript .table-scroll');
    expect(await box.locator('th').count()).toBe(12);
    const sizes = await page.evaluate<{ scroll: number; client: number; page: number }>(`(() => {
      const el = document.querySelector('.transcript .table-scroll');
      return { scroll: el.scrollWidth, client: el.clientWidth, page: document.documentElement.scrollWidth };
    })()`);
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(sizes.page).toBeLessThanOrEqual(800);
    expect(await box.getAttribute('tabindex')).toBe('0');
    await page.close();
  });
});

describe('a provider that sends nothing', () => {
  it('says after some seconds that the tutor is still waiting for it, once, with Stop at hand; a word of the reply ends that', async () => {
    const page = await openChat();
    await page.clock.install();
    await send(page, 'What is a bit?');
    await page.evaluate(`window.chatHost.onChunk({ type: 'started', userMessage: ${userMessage('What is a bit?')}, replyId: 't1', source: 'provider', title: 'What is a bit?' })`);
    const status = page.locator('.message-tutor .reply-status');
    await expect.poll(() => status.textContent()).toBe('Writing… (Escape or Stop ends the reply and keeps what arrived.)');
    const silence = await page.evaluate<number>('window.chatTest.SILENCE_NOTICE_MS');
    await page.clock.runFor(silence - 1000);
    expect(await status.textContent()).toMatch(/^Writing…/);
    await page.clock.runFor(2000);
    const notice = `Still waiting for the provider: nothing has arrived for ${silence / 1000} seconds. Stop (or Escape) ends the reply.`;
    await expect.poll(() => status.textContent()).toBe(notice);
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    await page.clock.runFor(100);
    await expect.poll(() => page.evaluate('window.announced')).toEqual([notice]);

    await page.evaluate(`window.chatHost.onChunk({ type: 'delta', text: 'A bit is' })`);
    await expect.poll(() => status.textContent()).toMatch(/^Writing…/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('.message-tutor .reply-status').textContent()).toBe('Stopped. The part that arrived is kept.');
    await page.close();
  });
});
