/**
 * The learner's screens as a learner and a screen reader meet them, with the real components in a real Chromium
 * (bundled from renderer/src) and a stand-in host: "Review more" only while reviews are left, "Save answer" in a test,
 * a rating announced from a live region mounted empty, Today's words for an open test, for where drills are and for a
 * failed load (and the library's and a skill's), and on Progress one "Skills" region, the week's sessions named apart
 * from drills and the heatmap's newest weeks in view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement, heldAnswer, rendererSrc, showRightReviewAnswer } from '../helpers/component-page';

const from = (path: string) => JSON.stringify(join(rendererSrc, path));
const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { flushSync } from 'react-dom';
  import { usePractice } from ${from('practice/practiceStore.ts')};
  import { SessionSummary } from ${from('practice/SessionSummary.tsx')};
  import { Feedback } from ${from('practice/Feedback.tsx')};
  import { McqQuestion } from ${from('practice/McqQuestion.tsx')};
  import { ReorderQuestion } from ${from('practice/ReorderQuestion.tsx')};
  import { AnswerControlsProvider } from ${from('practice/answerControls.tsx')};
  import { TodayScreen } from ${from('today/TodayScreen.tsx')};
  import { useSettings } from ${from('settings/settingsStore.ts')};
  import { ProgressScreen } from ${from('progress/ProgressScreen.tsx')};
  import { LibraryScreen } from ${from('library/LibraryScreen.tsx')};
  import { SkillScreen } from ${from('practice/SkillScreen.tsx')};
  window.screenTest = {
    createElement, createRoot, flushSync, usePractice, SessionSummary, Feedback, McqQuestion, ReorderQuestion, AnswerControlsProvider,
    TodayScreen, useSettings, ProgressScreen, LibraryScreen, SkillScreen,
  };
`;

const pageWith = componentPagesForFile(entry);

const openPage = (studyApi: string): Promise<Page> => pageWith(studyApi, '<main id="main"><div id="root"></div></main>');

/** Today's data as core gives it, with `availableNow` reviews left and an optional unfinished session. */
const today = (availableNow: number, unfinishedSession = 'null') =>
  `{ ok: true, value: { unfinishedSession: ${unfinishedSession}, reviews: { dueToday: ${availableNow}, availableNow: ${availableNow}, reviewedToday: 2, dailyLimit: 50 }, suggestedSkills: [], streak: 1, xpToday: 20, xp: 40, level: 0 } }`;

const reviewSummary = `(() => {
  const session = { id: 's', skillId: null, skillTitle: 'Review', mode: 'review', questionCount: 2, answeredCount: 2, correctCount: 2, startedUtcMs: 1, endedUtcMs: 2 };
  return { session, score: 1, unansweredCount: 0, answers: [], xpGained: 20, profile: { xp: 40, level: 0, streak: 1, lastActiveUtcMs: 2 } };
})()`;

describe('Review more on a review summary', () => {
  it('is not offered when core says no review is left today, and the summary says so', async () => {
    const page = await openPage(`{ todayGet: () => { window.todayAsked = true; return Promise.resolve(${today(0)}); } }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.SessionSummary, { summary: ${reviewSummary} }));
    })()`);
    await page.getByText('No more reviews are left for today.').waitFor({ timeout: 5000 });
    expect(await page.evaluate('window.todayAsked')).toBe(true);
    expect(await page.getByRole('button', { name: 'Review more' }).count()).toBe(0);
    await page.close();
  });

  it('is offered when reviews are left', async () => {
    const page = await openPage(`{ todayGet: () => Promise.resolve(${today(3)}) }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.SessionSummary, { summary: ${reviewSummary} }));
    })()`);
    await page.getByRole('button', { name: 'Review more' }).waitFor({ timeout: 5000 });
    expect(await page.getByText('No more reviews are left for today.').count()).toBe(0);
    await page.close();
  });
});

describe('the submit button', () => {
  const mcq = `{ id: 'q', type: 'mcq_single', prompt: 'What is 1/2 + 1/4?', choices: ['3/4', '2/6'] }`;
  const reorder = `{ id: 'r', type: 'reorder_steps', prompt: 'Order the steps.', steps: ['Add', 'Simplify'], initialOrder: [1, 0] }`;
  const sessionOf = (mode: string) =>
    `{ id: 's', skillId: 'k', skillTitle: 'Fractions', mode: '${mode}', questionCount: 8, answeredCount: 0, correctCount: 0, startedUtcMs: 1, endedUtcMs: null }`;
  /** The names of the submit buttons of both question types, with the store's session in `mode`. */
  const submitNames = async (mode: string, provided: boolean): Promise<string[]> => {
    const page = await openPage('{}');
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.usePractice.setState({ phase: 'answering', session: ${sessionOf(mode)}, question: ${mcq}, choice: 0, order: [1, 0], result: null, busy: false });
      const questions = [
        t.createElement(t.McqQuestion, { key: 'm', question: ${mcq}, result: null, showSolution: ${mode !== 'test'} }),
        t.createElement(t.ReorderQuestion, { key: 'r', question: ${reorder}, result: null }),
      ];
      // The content preview's own controls, as it provides them (grading without recording).
      const controls = { choice: 0, order: [1, 0], busy: false, choose: () => {}, setOrder: () => {}, submit: () => Promise.resolve(), markMissing: true };
      t.createRoot(document.getElementById('root')).render(
        ${provided} ? t.createElement(t.AnswerControlsProvider, { value: controls }, questions) : questions,
      );
    })()`);
    await page.locator('button.primary').first().waitFor({ timeout: 5000 });
    const names = await page.locator('button.primary').allInnerTexts();
    await page.close();
    return names;
  };

  it('says Save answer in a test, which saves an answer without checking it', async () => {
    expect(await submitNames('test', false)).toEqual(['Save answer', 'Save answer']);
  });

  it('says Check answer in practice, and in the content preview even while a test is open', async () => {
    expect(await submitNames('practice', false)).toEqual(['Check answer', 'Check answer']);
    expect(await submitNames('test', true)).toEqual(['Check answer', 'Check answer']);
  });
});

describe('rating a review answer', () => {
  it('fills a live region that was on the page, empty, before the rating', async () => {
    const page = await openPage(`{ practiceRate: () => Promise.resolve({ ok: true, value: { nextDueUtcMs: 1 } }) }`);
    await page.evaluate(showRightReviewAnswer('window.screenTest'));
    const status = page.getByRole('group', { name: /how was it/ }).getByRole('status');
    await page.getByRole('button', { name: 'Hard' }).waitFor({ timeout: 5000 });
    expect(await status.count()).toBe(1);
    expect(await status.innerText()).toBe('');
    const region = await status.elementHandle();
    await page.getByRole('button', { name: 'Hard' }).click();
    await page.getByRole('button', { name: 'Hard', pressed: true }).waitFor({ timeout: 5000 });
    expect(await status.innerText()).toBe('Rated Hard: it comes back sooner.');
    // The same element, filled: not a new region inserted with its text.
    expect(await region?.evaluate((element) => element.isConnected)).toBe(true);
    await page.close();
  });
});

describe('Today', () => {
  it('calls an open test a test, and sends the learner to the Drills screen for drills', async () => {
    const openTest = `{ id: 's', skillId: 'k', skillTitle: 'Fractions', mode: 'test', questionCount: 8, answeredCount: 1, correctCount: 1, startedUtcMs: 1, endedUtcMs: null }`;
    const page = await openPage(`{ todayGet: () => Promise.resolve(${today(0, openTest)}) }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.useSettings.setState({ settings: { theme: 'light', assistiveMode: false, singleKeyShortcuts: true, timeZone: 'UTC', rolloverHour: 4, desiredRetention: 0.9, dailyReviewLimit: 50, welcomeDismissed: false, showInstructorTools: null } });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.TodayScreen));
    })()`);
    const resume = page.getByRole('region', { name: 'Continue where you left off' });
    await resume.waitFor({ timeout: 5000 });
    expect(await resume.getByRole('paragraph').first().innerText()).toBe('Test on Fractions: 1 of 8 questions answered.');
    const welcome = page.getByRole('region', { name: 'Welcome to Study Desk' });
    expect(await welcome.innerText()).not.toContain('drills are in the');
    expect(await welcome.getByRole('link', { name: 'Drills' }).getAttribute('href')).toBe('#/drills');
    await page.close();
  });

  it('says what is due could not be loaded when core refuses, instead of "Loading…" for ever', async () => {
    const page = await openPage(`{ todayGet: () => Promise.resolve({ ok: false, error: { code: 'busy', message: 'The database is busy.' } }) }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.TodayScreen));
    })()`);
    await page.getByText('What is due today could not be loaded.').waitFor({ timeout: 5000 });
    expect(await page.getByText('Loading…').count()).toBe(0);
    await page.close();
  });
});

describe('The welcome', () => {
  it('keeps the focus on "Got it" while its dismissal is saved, and after core refuses it', async () => {
    const refused = `{ ok: false, error: { code: 'busy', message: 'The database is busy.' } }`;
    const page = await openPage(`{ todayGet: () => Promise.resolve(${today(0)}), settingsSet: (changes) => { window.saves = (window.saves ?? 0) + 1; return (${heldAnswer(refused)})(); } }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.useSettings.setState({ settings: { theme: 'light', assistiveMode: false, singleKeyShortcuts: true, timeZone: 'UTC', rolloverHour: 4, desiredRetention: 0.9, dailyReviewLimit: 50, welcomeDismissed: false, showInstructorTools: null } });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.TodayScreen));
    })()`);
    const gotIt = page.getByRole('button', { name: 'Got it, hide this welcome' });
    await gotIt.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('button[aria-disabled="true"]', { timeout: 5000 });
    await page.keyboard.press('Enter');
    expect(await focusedElement(page)).toBe('Got it, hide this welcome');
    await answerHost(page);
    await page.waitForSelector('button[aria-disabled="true"]', { state: 'detached', timeout: 5000 });
    expect(await focusedElement(page)).toBe('Got it, hide this welcome');
    expect(await page.evaluate('window.saves')).toBe(1);
    await page.close();
  });
});

describe('Progress', () => {
  it('has one Skills region: the scrolling table inside it is named by its caption', async () => {
    const overview = `{
      profile: { xp: 40, level: 0, streak: 1, lastActiveUtcMs: 2 },
      sessionsThisWeek: 1,
      skills: [{ skillId: 'k', skillTitle: 'Fractions', domainTitle: 'Algebra', skillAvailable: true, progress: 0.5, attemptCount: 2, correctCount: 1, lastAttemptUtcMs: 2 }],
      activity: { fromDay: '2026-01-01', toDay: '2026-01-01', days: [] },
      history: [],
    }`;
    const page = await openPage(`{ progressOverview: () => Promise.resolve({ ok: true, value: ${overview} }) }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ProgressScreen));
    })()`);
    await page.getByRole('table', { name: 'Progress per skill' }).waitFor({ timeout: 5000 });
    expect(await page.getByRole('region', { name: 'Skills', exact: true }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Progress per skill', exact: true }).count()).toBe(1);
    // The week's sessions say which they count: drills have their own figure.
    const totals = page.getByRole('region', { name: 'Totals' });
    expect(await totals.locator('dt:text-is("Practice, test and review sessions this week") + dd').textContent()).toBe('1');
    await page.close();
  });

  it('shows the heatmap’s newest weeks, today among them, in a window too narrow for the year', async () => {
    const css = readFileSync(join(rendererSrc, 'styles.css'), 'utf8');
    const overview = `{
      profile: { xp: 10, level: 0, streak: 1, lastActiveUtcMs: 2 },
      sessionsThisWeek: 0,
      skills: [],
      activity: { fromDay: '2025-11-26', toDay: '2026-12-01', days: [{ day: '2026-12-01', reviews: 1 }] },
      history: [],
    }`;
    const page = await pageWith(
      `{ progressOverview: () => Promise.resolve({ ok: true, value: ${overview} }) }`,
      `<style>${css}</style><main id="main"><div id="root"></div></main>`,
    );
    await page.setViewportSize({ width: 800, height: 600 });
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ProgressScreen));
    })()`);
    const today = page.getByRole('gridcell', { name: /^1 review on / });
    await today.waitFor({ timeout: 5000 });
    const scroller = (await page.locator('.heatmap-scroll').boundingBox())!;
    const cell = (await today.boundingBox())!;
    expect(await page.evaluate<number>(`document.querySelector('.heatmap-scroll').scrollLeft`)).toBeGreaterThan(0);
    expect(cell.x).toBeGreaterThanOrEqual(scroller.x);
    expect(cell.x + cell.width).toBeLessThanOrEqual(scroller.x + scroller.width);
    await page.close();
  });
});

describe('Progress when it cannot be loaded', () => {
  it('says "Loading…" from its first frame until core answers, then that it could not be loaded', async () => {
    const refused = `{ ok: false, error: { code: 'busy', message: 'The database is busy.' } }`;
    const page = await openPage(`{ progressOverview: ${heldAnswer(refused)}, drillsProgress: ${heldAnswer(refused)} }`);
    // The first frame, before the screen's effect has asked for anything: what it drew says "Loading…".
    const firstFrame = await page.evaluate(`(() => {
      const t = window.screenTest;
      const root = t.createRoot(document.getElementById('root'));
      t.flushSync(() => root.render(t.createElement(t.ProgressScreen)));
      return document.getElementById('root').textContent;
    })()`);
    expect(firstFrame).toContain('Loading your progress…');
    expect(firstFrame).not.toContain('could not be loaded');
    await answerHost(page);
    await page.getByText('Your progress could not be loaded.').waitFor({ timeout: 5000 });
    await page.close();
  });
});

describe('Library and a skill when the library cannot be loaded', () => {
  const refused = `() => Promise.resolve({ ok: false, error: { code: 'busy', message: 'The database is busy.' } })`;

  it('the library says so instead of "Loading…"', async () => {
    const page = await openPage(`{ libraryTree: ${refused} }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.LibraryScreen));
    })()`);
    await page.getByText('The library could not be loaded.').waitFor({ timeout: 5000 });
    await page.close();
  });

  it('a skill says so, under a heading, instead of "Loading…" for ever', async () => {
    const page = await openPage(`{ libraryTree: ${refused}, practiceRecall: ${refused} }`);
    await page.evaluate(`(() => {
      const t = window.screenTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.SkillScreen, { skillId: 'k' }));
    })()`);
    await page.getByText('This skill cannot be shown: the library could not be loaded.').waitFor({ timeout: 5000 });
    expect(await page.getByRole('heading', { level: 1, name: 'Skill' }).count()).toBe(1);
    expect(await page.getByText('Loading…').count()).toBe(0);
    await page.close();
  });
});
