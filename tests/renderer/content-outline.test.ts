/**
 * The Content workspace's words and outline, with the real components in Chromium: the opened file's report and diff
 * sit under its heading (they were h2s beside it), the preview's answer under its record's h3 (it was an h2); "Show
 * answer" calls a reorder question's order the correct one (it said "Your order:"); and Enter in "Try it" before a
 * choice says what to do (it did nothing).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { ContentScreen } from ${JSON.stringify(join(rendererSrc, 'content/ContentScreen.tsx'))};
  import { PreviewQuestion } from ${JSON.stringify(join(rendererSrc, 'content/PreviewQuestion.tsx'))};
  import { useContentWorkspace } from ${JSON.stringify(join(rendererSrc, 'content/contentStore.ts'))};
  import { useSettings } from ${JSON.stringify(join(rendererSrc, 'settings/settingsStore.ts'))};
  window.outlineTest = { createElement, createRoot, ContentScreen, PreviewQuestion, useContentWorkspace, useSettings };
`;
const pageWith = componentPagesForFile(entry);

const host = `{
  contentPacks: () => Promise.resolve({ ok: true, value: [] }),
  contentEditorStatus: () => Promise.resolve({ ok: true, value: { isContentEditor: false, signedIn: false, reason: null } }),
}`;

const headingLevels = (page: Page): Promise<number[]> =>
  page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((headings) => headings.map((h) => Number(h.tagName.slice(1))));

describe('the Content workspace', () => {
  it('outlines an opened file: its report and diff are headed below its own heading, no level skipped', async () => {
    const page = await pageWith(host, '<main id="main"><div id="root"></div></main>');
    const table = (name: string) => ({ table: name, added: 1, updated: 0, unchanged: 0, replaced: 0, absent: 0 });
    const opened = {
      draftId: 'draft-1',
      fileName: 'geometry.json',
      packName: 'geometry 1.0.0',
      report: { ok: true, errors: [], warnings: [], summary: { errors: 0, warnings: 0, domains: 1, skills: 1, questions: 1, drillQuestions: 0, byteLength: 10, sha256: 'ab' } },
      diff: {
        mode: 'append',
        tables: ['domains', 'skills', 'questions', 'drill_questions'].map(table),
        changed: [{ key: 'domains:d', table: 'domains', id: 'd', label: 'Geometry', change: 'added', fields: [] }],
        changedTotal: 1,
        keptUnpublished: { domains: 0, skills: 0 },
      },
      diffChangeCount: 3,
      comparing: false,
    };
    await page.evaluate(`(() => {
      const t = window.outlineTest;
      t.useSettings.setState({ settings: { theme: 'light', assistiveMode: false, showInstructorTools: true } });
      t.useContentWorkspace.setState({ opened: ${JSON.stringify(opened)} });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ContentScreen));
    })()`);
    await page.getByRole('heading', { name: 'What the import would change' }).waitFor();
    const levels = await headingLevels(page);
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => expect(level - (levels[i - 1] ?? 0), `heading ${i + 1} of ${levels.join(', ')}`).toBeLessThanOrEqual(1));
    expect(await page.getByRole('heading', { level: 3, name: 'Validation report' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 3, name: 'What the import would change' }).count()).toBe(1);
    await page.close();
  });

  it('"Show answer" heads the answer below the record and calls a reorder order the correct one', async () => {
    const page = await pageWith(host, '<main id="main"><h3>Question order_steps</h3><div id="root"></div></main>');
    const question = { type: 'reorder_steps', id: 'q1', prompt: 'Put them in order.', steps: ['first', 'second'], initialOrder: [1, 0] };
    await page.evaluate(`(() => {
      const t = window.outlineTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.PreviewQuestion, {
        question: ${JSON.stringify(question)}, solution: { order: [0, 1] }, explanation: { body: 'First things first.' }, missing: [],
        tryAnswer: () => Promise.resolve(null),
      }));
    })()`);
    await page.getByRole('heading', { level: 4, name: 'The answer' }).waitFor();
    expect(await page.getByRole('heading', { level: 5, name: 'Explanation' }).count()).toBe(1);
    expect(await page.getByText('The correct order:').count()).toBe(1);
    expect(await page.getByText('Your order:').count()).toBe(0);
    await page.close();
  });

  it('"Try it": Enter before a choice says to choose first, sends nothing, and the message goes once a choice is made', async () => {
    const page = await pageWith(host, '<main id="main"><div id="root"></div></main>');
    const question = { type: 'mcq_single', id: 'q2', prompt: 'Which?', choices: ['one', 'two'] };
    await page.evaluate(`(() => {
      const t = window.outlineTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.PreviewQuestion, {
        question: ${JSON.stringify(question)}, solution: { choice: 1 }, explanation: null, missing: [],
        tryAnswer: (answer) => { window.tried = answer; return Promise.resolve(null); },
      }));
    })()`);
    await page.getByRole('radio', { name: /Try it/ }).check();
    await page.getByRole('radio', { name: 'one' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Choose an answer first, then press Enter.');
    expect(await page.evaluate('window.tried')).toBeUndefined();
    await page.getByRole('radio', { name: 'two' }).check();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page.close();
  });
});
