/**
 * The practice runner as a keyboard and screen reader user meets it, with the real components in a real Chromium
 * (bundled from renderer/src) and a stand-in host: Check answer and the session's end keep the focus while they run
 * and when they fail.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement as focused, heldAnswer, rendererSrc } from '../helpers/component-page';

const from = (path: string) => JSON.stringify(join(rendererSrc, path));
const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { usePractice } from ${from('practice/practiceStore.ts')};
  import { PracticeScreen } from ${from('practice/PracticeScreen.tsx')};
  import { useShell } from ${from('shell/shellStore.ts')};
  window.runnerTest = { createElement, createRoot, usePractice, PracticeScreen, useShell };
`;

const pageWith = componentPagesForFile(entry);

const session = `{ id: 's', skillId: 'k', skillTitle: 'Fractions', mode: 'practice', questionCount: 8, answeredCount: 2, correctCount: 1, startedUtcMs: 1, endedUtcMs: null }`;
const mcq = `{ id: 'q', type: 'mcq_single', prompt: 'What is 1/2 + 1/4?', choices: ['3/4', '2/6'] }`;
const reorder = `{ id: 'r', type: 'reorder_steps', prompt: 'Order the steps.', steps: ['Add', 'Simplify'], initialOrder: [1, 0] }`;
const refusal = `{ ok: false, error: { code: 'busy', message: 'The database is busy.' } }`;

/** The practice screen answering `question`, with `studyApi` (a script) as the host. */
async function openRunner(studyApi: string, question: string): Promise<Page> {
  const page = await pageWith(studyApi, '<main id="main" tabindex="-1"><div id="root"></div></main>');
  await page.evaluate(`(() => {
    const t = window.runnerTest;
    const question = ${question};
    const order = question.type === 'reorder_steps' ? [...question.initialOrder] : [];
    t.usePractice.setState({ phase: 'answering', session: ${session}, question, choice: null, order, result: null, summary: null, busy: false });
    t.createRoot(document.getElementById('root')).render(t.createElement(t.PracticeScreen, { sessionId: 's' }));
  })()`);
  return page;
}

const busy = (page: Page) => page.evaluate<boolean>('window.runnerTest.usePractice.getState().busy');
const errorCount = (page: Page) => page.evaluate<number>('window.runnerTest.useShell.getState().errors.length');

describe('Check answer', () => {
  it('keeps the focus on a multiple-choice question while the answer is checked and when the check fails', async () => {
    const page = await openRunner(`{ practiceAnswer: ${heldAnswer(refusal)} }`, mcq);
    await page.getByRole('radio', { name: '3/4' }).check();
    const check = page.getByRole('button', { name: 'Check answer' });
    await check.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => busy(page)).toBe(true);
    expect(await focused(page)).toBe('Check answer');
    expect(await check.getAttribute('aria-disabled')).toBe('true');
    // A second press while the first runs sends nothing more.
    await page.keyboard.press('Enter');
    await answerHost(page);
    await expect.poll(() => errorCount(page)).toBe(1);
    expect(await focused(page)).toBe('Check answer');
    expect(await check.getAttribute('aria-disabled')).toBeNull();
    await page.close();
  });

  it('keeps the focus on a reorder question while the order is checked and when the check fails', async () => {
    const page = await openRunner(`{ practiceAnswer: ${heldAnswer(refusal)} }`, reorder);
    const check = page.getByRole('button', { name: 'Check answer' });
    await check.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => busy(page)).toBe(true);
    expect(await focused(page)).toBe('Check answer');
    expect(await check.getAttribute('aria-disabled')).toBe('true');
    await answerHost(page);
    await expect.poll(() => errorCount(page)).toBe(1);
    expect(await focused(page)).toBe('Check answer');
    await page.close();
  });
});

describe('ending a session early', () => {
  it('End session now keeps the focus while an answer is checked, and opens nothing meanwhile', async () => {
    const page = await openRunner(`{ practiceAnswer: ${heldAnswer(refusal)} }`, mcq);
    await page.getByRole('radio', { name: '3/4' }).check();
    await page.getByRole('button', { name: 'Check answer' }).click();
    await expect.poll(() => busy(page)).toBe(true);
    const endNow = page.getByRole('button', { name: 'End session now' });
    await endNow.focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('End session now');
    expect(await endNow.getAttribute('aria-disabled')).toBe('true');
    expect(await page.getByRole('heading', { name: 'End the session now?' }).count()).toBe(0);
    await answerHost(page);
    await expect.poll(() => errorCount(page)).toBe(1);
    expect(await focused(page)).toBe('End session now');
    await page.close();
  });

  it('End and see the summary keeps the focus while the session ends and when ending fails', async () => {
    const page = await openRunner(`{ practiceEnd: () => { window.endCalls = (window.endCalls ?? 0) + 1; return (${heldAnswer(refusal)})(); } }`, mcq);
    await page.getByRole('button', { name: 'End session now' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('end-heading');
    const endIt = page.getByRole('button', { name: 'End and see the summary' });
    await endIt.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => busy(page)).toBe(true);
    expect(await focused(page)).toBe('End and see the summary');
    expect(await endIt.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    await answerHost(page);
    await expect.poll(() => errorCount(page)).toBe(1);
    expect(await page.evaluate<number>('window.endCalls')).toBe(1);
    expect(await focused(page)).toBe('End and see the summary');
    await page.close();
  });
});
