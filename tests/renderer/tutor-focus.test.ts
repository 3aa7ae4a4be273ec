/**
 * The tutor's screens in a real Chromium (bundled by Vite from renderer/src), for what only a browser shows: where the
 * keyboard focus is while a chat is being created and after a delete question closes.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement as focused, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { TutorScreen } from ${JSON.stringify(join(rendererSrc, 'tutor/TutorScreen.tsx'))};
  import { AskTutorButton } from ${JSON.stringify(join(rendererSrc, 'tutor/AskTutorButton.tsx'))};
  import { useConversations } from ${JSON.stringify(join(rendererSrc, 'tutor/conversationsStore.ts'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.tutorTest = { createElement, createRoot, TutorScreen, AskTutorButton, useConversations, useShell };
`;

const pageWith = componentPagesForFile(entry);

const summary = `{ id: 'chat-1', title: 'Binary digits', skillId: null, questionId: null, createdUtcMs: 0, updatedUtcMs: 0,
  lastMessage: { sender: 'user', text: 'What is a bit?', status: null, createdUtcMs: 0 } }`;
const refusal = `{ ok: false, error: { code: 'busy', message: 'The database is busy.' } }`;

/** The focused element's tag and name: the body's text alone could read as the one button on the page. */
const focusedButton = async (page: Page) => `${await page.evaluate<string>('document.activeElement.tagName')} ${await focused(page)}`;

/** `component` on a page whose host lists one conversation and refuses to create one, once the test answers. */
async function openWith(component: string): Promise<Page> {
  const page = await pageWith(
    `{ tutorList: () => Promise.resolve({ ok: true, value: [${summary}] }), tutorCreate: ${heldAnswer(refusal)} }`,
    '<main id="main" tabindex="-1"><div id="root"></div></main>',
  );
  await page.evaluate(`(() => {
    const t = window.tutorTest;
    t.createRoot(document.getElementById('root')).render(${component});
  })()`);
  return page;
}

describe('the tutor’s buttons keep the focus while a chat is being created', () => {
  it.each([
    ['New chat', 't.createElement(t.TutorScreen)'],
    ['Ask the tutor', "t.createElement(t.AskTutorButton, { sessionId: 's1', questionId: 'q1' })"],
  ])('"%s" keeps the focus while core answers and after it refused; a second press meanwhile does nothing', async (name, component) => {
    const page = await openWith(component);
    const button = page.getByRole('button', { name });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.tutorTest.useConversations.getState().busy')).toBe(true);
    expect(await focusedButton(page)).toBe(`BUTTON ${name}`);
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    await answerHost(page);
    // One refusal shown: the press while busy started no second request.
    await expect.poll(() => page.evaluate('window.tutorTest.useShell.getState().errors.length')).toBe(1);
    expect(await page.evaluate('window.tutorTest.useConversations.getState().busy')).toBe(false);
    expect(await focusedButton(page)).toBe(`BUTTON ${name}`);
    expect(await button.getAttribute('aria-disabled')).toBeNull();
    await page.close();
  });
});

describe('the delete question on a conversation', () => {
  it('closes on Escape, deleting nothing, and gives the focus back to Delete', async () => {
    const page = await openWith('t.createElement(t.TutorScreen)');
    await page.getByRole('button', { name: 'Delete “Binary digits”' }).click();
    expect(await focusedButton(page)).toBe('BUTTON Yes, delete');
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: /^Delete “Binary digits”\?/ }).waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(() => focusedButton(page)).toBe('BUTTON Delete');
    expect(await page.evaluate('window.tutorTest.useConversations.getState().conversations.length')).toBe(1);
    await page.close();
  });
});
