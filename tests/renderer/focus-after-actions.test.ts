/**
 * Where the keyboard focus goes after an action, with the real components in a real Chromium (bundled by Vite from
 * renderer/src): a control that disappears or is disabled under the focus drops it to the page's body, and a keyboard
 * or screen reader user is sent back to the top of the page.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement as focused, heldAnswer, rendererSrc, showRightReviewAnswer } from '../helpers/component-page';

// What the page can reach: React to mount, the components under test and the stores that drive them.
const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { ErrorRegion } from ${JSON.stringify(join(rendererSrc, 'shell/ErrorRegion.tsx'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  import { Feedback } from ${JSON.stringify(join(rendererSrc, 'practice/Feedback.tsx'))};
  import { usePractice } from ${JSON.stringify(join(rendererSrc, 'practice/practiceStore.ts'))};
  import { SessionSummary } from ${JSON.stringify(join(rendererSrc, 'practice/SessionSummary.tsx'))};
  import { DrillRunner } from ${JSON.stringify(join(rendererSrc, 'drills/DrillRunner.tsx'))};
  import { useDrills } from ${JSON.stringify(join(rendererSrc, 'drills/drillsStore.ts'))};
  window.focusTest = { createElement, createRoot, ErrorRegion, useShell, Feedback, usePractice, SessionSummary, DrillRunner, useDrills };
`;

const pageWith = componentPagesForFile(entry);

/** A page with the bundle loaded; `studyApi` (a script) stands in for the host, so the real one is never reached. */
const openPage = (studyApi: string): Promise<Page> =>
  pageWith(studyApi, '<main id="main" tabindex="-1"><h1 id="screen-heading" tabindex="-1">Practice</h1><div id="root"></div></main>');

describe('focus after an action', () => {
  it('Dismiss on an error moves to the next error, then to the screen heading, never to the body', async () => {
    const page = await openPage('{}');
    await page.evaluate(`(() => {
      const t = window.focusTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ErrorRegion));
      t.useShell.getState().showError({ code: 'busy', message: 'First failure.' });
      t.useShell.getState().showError({ code: 'busy', message: 'Second failure.' });
    })()`);
    await page.getByRole('button', { name: 'Dismiss: First failure.' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button').count()).toBe(1);
    expect(await focused(page)).toBe('Dismiss');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button').count()).toBe(0);
    expect(await focused(page)).toBe('screen-heading');
    await page.close();
  });

  it('rating a review answer Hard keeps the focus on Hard while the rating saves', async () => {
    // practiceRate answers when the test says so: the buttons are on screen, busy, meanwhile.
    const page = await openPage(`{ practiceRate: ${heldAnswer('{ ok: true, value: { nextDueUtcMs: 1 } }')} }`);
    await page.evaluate(showRightReviewAnswer('window.focusTest'));
    await page.getByRole('button', { name: 'Hard' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.usePractice.getState().busy')).toBe(true);
    expect(await focused(page)).toBe('Hard');
    await answerHost(page);
    await page.getByRole('button', { name: 'Hard', pressed: true }).waitFor({ timeout: 5000 });
    expect(await focused(page)).toBe('Hard');
    await page.close();
  });

  it('Next question keeps the focus when the next question cannot be loaded', async () => {
    const refusal = `{ ok: false, error: { code: 'busy', message: 'The database is busy.' } }`;
    const page = await openPage(`{ practiceNext: ${heldAnswer(refusal)} }`);
    await page.evaluate(`(() => {
      const t = window.focusTest;
      const session = { id: 's', skillId: 'k', skillTitle: 'Fractions', mode: 'practice', questionCount: 2, answeredCount: 1, correctCount: 0, startedUtcMs: 1, endedUtcMs: null };
      const question = { id: 'q', type: 'mcq_single', prompt: 'What is 1/2 + 1/3?', choices: ['2/5', '5/6'] };
      const result = { attemptId: 'a', isCorrect: false, solution: { choice: 1 }, explanation: null, session };
      t.usePractice.setState({ phase: 'feedback', session, question, result, rated: null, busy: false });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.Feedback, { question, result, showSolution: true }));
    })()`);
    await page.getByRole('button', { name: 'Next question' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.usePractice.getState().busy')).toBe(true);
    expect(await focused(page)).toBe('Next question');
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().errors.length')).toBe(1);
    expect(await focused(page)).toBe('Next question');
    await page.close();
  });

  it('Review more on a summary keeps the focus when no review session can start', async () => {
    // Reviews were left when the summary asked, but the host refuses after a moment (today's limit was reached since,
    // e.g. on another window): the learner stays on the button, the error says why.
    const refusal = `{ ok: false, error: { code: 'conflict', message: 'You have done today’s 1 review.' } }`;
    const today = `{ unfinishedSession: null, reviews: { dueToday: 1, availableNow: 1, reviewedToday: 1, dailyLimit: 2 }, suggestedSkills: [], streak: 1, xpToday: 10, xp: 40, level: 0 }`;
    const page = await openPage(`{
      todayGet: () => Promise.resolve({ ok: true, value: ${today} }),
      practiceReview: ${heldAnswer(refusal)},
    }`);
    await page.evaluate(`(() => {
      const t = window.focusTest;
      const session = { id: 's', skillId: null, skillTitle: 'Review', mode: 'review', questionCount: 1, answeredCount: 1, correctCount: 1, startedUtcMs: 1, endedUtcMs: 2 };
      const summary = { session, score: 1, unansweredCount: 0, answers: [], xpGained: 10, profile: { xp: 40, level: 0, streak: 1, lastActiveUtcMs: 2 } };
      t.createRoot(document.getElementById('root')).render(t.createElement(t.SessionSummary, { summary }));
    })()`);
    await page.getByRole('button', { name: 'Review more' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.usePractice.getState().busy')).toBe(true);
    expect(await focused(page)).toBe('Review more');
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().errors.length')).toBe(1);
    expect(await focused(page)).toBe('Review more');
    await page.close();
  });

  it('Submit on a drill keeps the focus while the answer is evaluated and when core refuses it', async () => {
    const question = `{ id: 'q1', category: 'Problem solving', prompt: 'Tell me about a hard bug.', expectedDurationS: 120, lastScore: null, lastCompletedUtcMs: null, evaluationCriteria: [] }`;
    const session = `{ id: '0190a0b0-0000-7000-8000-000000000001', questionId: 'q1', contentPackVersion: '1.0.0', status: 'STARTED', startedUtcMs: 1, submittedUtcMs: null, completedUtcMs: null, processingTimeMs: null }`;
    const refusal = `{ ok: false, error: { code: 'invalid_input', message: 'The transcript has no words to evaluate.' } }`;
    const page = await openPage(`{
      drillsQuestion: () => Promise.resolve({ ok: true, value: ${question} }),
      drillsStart: () => Promise.resolve({ ok: true, value: ${session} }),
      drillsUnfinished: () => Promise.resolve({ ok: true, value: null }),
      drillsSaveDraft: () => Promise.resolve({ ok: true, value: { saved: true } }),
      drillsSubmit: () => ({ done: (${heldAnswer(refusal)})(), cancel: () => {} }),
    }`);
    await page.evaluate(`(() => {
      const t = window.focusTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.DrillRunner, { questionId: 'q1' }));
    })()`);
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => focused(page)).toBe('drill-answer-text');
    await page.keyboard.type('...');
    await page.getByRole('button', { name: 'Submit' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.focusTest.useDrills.getState().submitting')).toBe('STARTED');
    expect(await focused(page)).toBe('Submit');
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.focusTest.useShell.getState().errors.length')).toBe(1);
    expect(await focused(page)).toBe('Submit');
    // The answer is still there to correct.
    expect(await page.getByRole('textbox', { name: 'Your answer' }).inputValue()).toBe('...');
    await page.close();
  });
});
