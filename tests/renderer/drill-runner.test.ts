/**
 * The drill runner with its real components in a real Chromium (bundled by Vite from renderer/src), the host a
 * stand-in: the Drills list marks a question whose answer is unfinished, in words; after a reload the answer core kept
 * is offered, to continue (its text back in the field, which takes the focus) or to discard by an explicit choice
 * (Start then takes the focus); a button that starts something keeps the focus while it runs; Try again can be stopped
 * as the first evaluation can.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement as focused, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  import { DrillRunner } from ${JSON.stringify(join(rendererSrc, 'drills/DrillRunner.tsx'))};
  import { DrillResultScreen } from ${JSON.stringify(join(rendererSrc, 'drills/DrillResultScreen.tsx'))};
  import { DrillsScreen } from ${JSON.stringify(join(rendererSrc, 'drills/DrillsScreen.tsx'))};
  import { useDrills } from ${JSON.stringify(join(rendererSrc, 'drills/drillsStore.ts'))};
  window.drillTest = { createElement, createRoot, useShell, DrillRunner, DrillResultScreen, DrillsScreen, useDrills };
`;

const pageWith = componentPagesForFile(entry);

const question = `{ id: 'q1', category: 'Problem solving', prompt: 'Tell me about a hard bug.', expectedDurationS: 120, lastScore: null, lastCompletedUtcMs: null, evaluationCriteria: [] }`;
const session = `{ id: '0190a0b0-0000-7000-8000-000000000001', questionId: 'q1', contentPackVersion: '1.0.0', status: 'STARTED', startedUtcMs: 1, submittedUtcMs: null, completedUtcMs: null, processingTimeMs: null }`;
const draft = `{ mode: 'written', transcript: 'First I listed the tasks', recording: null, elapsedMs: 125000, typingMs: 80000 }`;

/** The runner at q1, with `api` (a script's object literal entries) added to a host that knows q1 and Start. */
async function openRunner(api: string): Promise<Page> {
  const page = await pageWith(
    `{
      drillsQuestion: () => Promise.resolve({ ok: true, value: ${question} }),
      drillsStart: () => Promise.resolve({ ok: true, value: ${session} }),
      drillsSaveDraft: () => Promise.resolve({ ok: true, value: { saved: true } }),
      ${api}
    }`,
    '<main id="main" tabindex="-1"><h1 id="screen-heading" tabindex="-1">Drill</h1><div id="root"></div></main>',
  );
  await page.evaluate(`(() => {
    const t = window.drillTest;
    t.createRoot(document.getElementById('root')).render(t.createElement(t.DrillRunner, { questionId: 'q1' }));
  })()`);
  return page;
}

describe('the Drills list', () => {
  it('marks a question whose answer is unfinished with words, in its link, and only that question', async () => {
    const listed = (id: string, prompt: string, unfinishedAnswer: boolean) =>
      `{ id: '${id}', category: 'Problem solving', prompt: '${prompt}', expectedDurationS: 120, lastScore: null, lastCompletedUtcMs: null, unfinishedAnswer: ${unfinishedAnswer} }`;
    const catalog = `{
      access: { level: 'BASIC', source: 'no-account', checkedUtcMs: null, unreadable: null, lockedMessage: null, evaluator: { kind: 'local', label: 'Local rules', offlineLabel: null } },
      pack: { id: '0190a0b0-0000-7000-8000-0000000000aa', title: 'Interview answers', description: '', version: '2.0.0', categories: [
        { name: 'Problem solving', questions: [${listed('q1', 'Tell me about a hard bug.', true)}, ${listed('q2', 'Tell me about a deadline.', false)}] },
      ] },
    }`;
    const page = await pageWith(`{ drillsList: () => Promise.resolve({ ok: true, value: ${catalog} }) }`, '<main id="main" tabindex="-1"><div id="root"></div></main>');
    await page.evaluate(`(() => {
      const t = window.drillTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.DrillsScreen));
    })()`);
    const unfinished = page.getByRole('link', { name: 'Tell me about a hard bug. Unfinished answer', exact: true });
    await unfinished.waitFor({ timeout: 5000 });
    expect(await unfinished.getAttribute('href')).toBe('#/drill/q1');
    expect(await page.getByText('Unfinished answer', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Unfinished answer').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Tell me about a deadline.', exact: true }).count()).toBe(1);
    await page.close();
  });
});

describe('an answer kept from before a reload', () => {
  it('is offered instead of Start, and Continue brings its text back into the focused field', async () => {
    const page = await openRunner(`drillsUnfinished: () => Promise.resolve({ ok: true, value: { session: ${session}, draft: ${draft} } }),`);
    await page.getByRole('heading', { name: 'Your unfinished answer' }).waitFor({ timeout: 5000 });
    expect(await page.getByRole('button', { name: 'Start' }).count()).toBe(0);
    expect(await page.getByText('2 min 5 s since Start').count()).toBe(1);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => focused(page)).toBe('drill-answer-text');
    expect(await page.getByRole('textbox', { name: 'Your answer' }).inputValue()).toBe('First I listed the tasks');
    expect(await page.getByRole('timer').textContent()).toBe('2:05');
    await page.close();
  });

  it('continues a spoken answer with its kept recording, whose length reads the same in the recorder and the note', async () => {
    const spoken = `{ mode: 'spoken', transcript: 'First I listed the tasks', recording: { audioPath: 'recordings/0190a0b0-0000-7000-8000-00000000000c.webm', durationS: 1.6 }, elapsedMs: 9000, typingMs: null }`;
    const page = await openRunner(`drillsUnfinished: () => Promise.resolve({ ok: true, value: { session: ${session}, draft: ${spoken} } }),`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => focused(page)).toBe('drill-answer-text');
    expect(await page.getByRole('radio', { name: 'Say it aloud (record)' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Transcript of your answer' }).inputValue()).toBe('First I listed the tasks');
    expect(await page.getByRole('button', { name: 'Record again' }).count()).toBe(1);
    // 1.6 s is "2 s" wherever it is said (a clock's face would have read 0:01).
    expect(await page.locator('.audio-recorder .drill-timer').textContent()).toBe('Recorded: 2 s.');
    expect(await page.getByText('Recorded 2 s. Check the transcript below').count()).toBe(1);
    await page.close();
  });

  it('is discarded only by its button, which keeps the focus while it runs; Start then takes the focus', async () => {
    const page = await openRunner(`
      drillsUnfinished: () => Promise.resolve({ ok: true, value: { session: ${session}, draft: ${draft} } }),
      drillsDiscardDraft: ${heldAnswer(`{ ok: true, value: { sessionId: '0190a0b0-0000-7000-8000-000000000001' } }`)},
    `);
    const discard = page.getByRole('button', { name: 'Discard it' });
    await discard.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => discard.getAttribute('aria-disabled')).toBe('true');
    expect(await focused(page)).toBe('Discard it');
    await answerHost(page);
    await expect.poll(() => focused(page)).toBe('Start');
    expect(await page.getByRole('heading', { name: 'Your unfinished answer' }).count()).toBe(0);
    await page.close();
  });
});

describe('Try again on a failed evaluation', () => {
  it('offers Stop while the answer is evaluated again, as the first evaluation does', async () => {
    const failed = `{
      session: { ...${session}, status: 'FAILED', submittedUtcMs: 2, completedUtcMs: 3, processingTimeMs: 5 },
      question: ${question},
      response: { transcript: 'First I listed the tasks', mode: 'written', wordCount: 5, durationS: 2, durationEstimated: true, typingTimeMs: 4000, audioPath: null },
      evaluation: null, usedLocalBecause: null, failure: 'The evaluation was stopped before it finished.', xpGained: 0, previous: null,
    }`;
    const page = await pageWith(
      `{
        drillsRetry: (input, { onChunk }) => {
          // The new session reaches PROCESSING and stays there until it is stopped.
          onChunk({ type: 'status', status: 'SUBMITTED', sessionId: '0190a0b0-0000-7000-8000-000000000002' });
          onChunk({ type: 'status', status: 'PROCESSING', sessionId: '0190a0b0-0000-7000-8000-000000000002' });
          let stop;
          const done = new Promise((resolve) => (stop = () => resolve({ ok: false, error: { code: 'cancelled', message: 'Stopped.' } })));
          return { done, cancel: () => { window.stopped = true; stop(); } };
        },
        drillsResult: () => new Promise(() => {}),
      }`,
      '<main id="main" tabindex="-1"><h1 id="screen-heading" tabindex="-1">Drill result</h1><div id="root"></div></main>',
    );
    await page.evaluate(`(() => {
      const t = window.drillTest;
      t.useDrills.setState({ results: { [${JSON.stringify('0190a0b0-0000-7000-8000-000000000001')}]: ${failed} } });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.DrillResultScreen, { sessionId: '0190a0b0-0000-7000-8000-000000000001' }));
    })()`);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Evaluating your answer…').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Stop evaluating' }).click();
    await expect.poll(() => page.evaluate('window.stopped === true')).toBe(true);
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/drill-result/0190a0b0-0000-7000-8000-000000000002');
    await page.close();
  });
});

describe('buttons that start something keep the focus while it runs', () => {
  it('Start: aria-disabled while the session starts, a second press ignored, then the answer field', async () => {
    const page = await openRunner(`
      drillsUnfinished: () => Promise.resolve({ ok: true, value: null }),
      drillsStart: (input) => { window.starts = (window.starts ?? 0) + 1; return (${heldAnswer(`{ ok: true, value: ${session} }`)})(); },
    `);
    const start = page.getByRole('button', { name: 'Start' });
    await start.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => start.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('Start');
    await answerHost(page);
    await expect.poll(() => focused(page)).toBe('drill-answer-text');
    expect(await page.evaluate('window.starts')).toBe(1);
    await page.close();
  });

  it('Start recording: aria-disabled while the microphone is asked for, and still focused when it is refused', async () => {
    const page = await openRunner(`drillsUnfinished: () => Promise.resolve({ ok: true, value: null }),`);
    // The page is not a secure context, so it has no mediaDevices of its own: a microphone whose permission is refused.
    await page.evaluate(`Object.defineProperty(navigator, 'mediaDevices', {
      value: { getUserMedia: () => window.hostAnswered.then(() => { throw new DOMException('Refused.', 'NotAllowedError'); }) },
    })`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('radio', { name: 'Say it aloud (record)' }).check();
    const record = page.getByRole('button', { name: 'Start recording' });
    await record.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => record.getAttribute('aria-disabled')).toBe('true');
    expect(await focused(page)).toBe('Start recording');
    await answerHost(page);
    await page.getByRole('alert').filter({ hasText: 'Permission to use the microphone was refused' }).waitFor({ timeout: 5000 });
    expect(await record.getAttribute('aria-disabled')).toBeNull();
    expect(await focused(page)).toBe('Start recording');
    await page.close();
  });
});
