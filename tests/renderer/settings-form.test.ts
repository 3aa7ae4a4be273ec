/**
 * Settings → General with the real screen in a real Chromium: a "Reviews per day" that is not a whole number from 1 to
 * 1000 is never saved nor reported saved (an empty field said "Settings saved." and kept the old limit silently), and
 * "Settings saved." goes once the form changes.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, focusedElement, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { SettingsScreen } from ${JSON.stringify(join(rendererSrc, 'settings/SettingsScreen.tsx'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.settingsTest = { createElement, createRoot, SettingsScreen, useShell };
`;

const pageWith = componentPagesForFile(entry);

// Saved settings with a limit of 200; each save is recorded in window.saves.
const studyApi = `(() => {
  let stored = { theme: 'light', assistiveMode: false, singleKeyShortcuts: true, timeZone: 'UTC', rolloverHour: 4,
    desiredRetention: 0.9, dailyReviewLimit: 200, welcomeDismissed: true, showInstructorTools: false };
  window.saves = [];
  return {
    settingsGet: async () => ({ ok: true, value: stored }),
    settingsSet: async (patch) => {
      window.saves.push(patch);
      stored = { ...stored, ...patch };
      return { ok: true, value: stored };
    },
    tutorProviderGet: async () => ({ ok: true, value: { kind: 'offline', baseUrl: '', model: '', hasApiKey: false } }),
    contentEditorStatus: async () => ({ ok: true, value: { isContentEditor: false } }),
  };
})()`;

async function openSettings(): Promise<Page> {
  const page = await pageWith(studyApi, '<main id="main"><div id="root"></div></main>');
  await page.evaluate(`(() => {
    const t = window.settingsTest;
    t.createRoot(document.getElementById('root')).render(t.createElement(t.SettingsScreen));
  })()`);
  await page.getByRole('spinbutton', { name: 'Reviews per day, at most' }).waitFor({ timeout: 5000 });
  return page;
}

const problem = 'Reviews per day: enter a whole number from 1 to 1000. Until then 200 is kept, and nothing on this form is saved.';

describe('Settings → General', () => {
  it.each(['', '0', '2.5', '1001'])('a limit of %j is not saved: the field says what is expected and takes the focus', async (typed) => {
    const page = await openSettings();
    const limit = page.getByRole('spinbutton', { name: 'Reviews per day, at most' });
    await page.getByRole('checkbox', { name: 'Assistive mode' }).check();
    await limit.fill(typed);
    const save = page.getByRole('button', { name: 'Save settings' });
    await save.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toBe('daily-limit');
    expect(await limit.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#daily-limit-help').textContent()).toBe(problem);
    expect(await page.getByText('Settings saved.').count()).toBe(0);
    expect(await page.evaluate('window.saves')).toEqual([]);

    // Enter in the field itself: focusing it again would say nothing, so the problem is announced.
    await limit.press('Enter');
    await expect.poll(() => page.evaluate('window.settingsTest.useShell.getState().politeMessage')).toBe(problem);
    expect(await page.evaluate('window.saves')).toEqual([]);

    await limit.fill('50');
    await save.click();
    await page.getByText('Settings saved.').waitFor({ timeout: 5000 });
    expect(await page.evaluate('window.saves')).toEqual([expect.objectContaining({ dailyReviewLimit: 50, assistiveMode: true })]);
    await page.close();
  });

  it('"Settings saved." goes once the form changes', async () => {
    const page = await openSettings();
    await page.getByRole('button', { name: 'Save settings' }).click();
    const saved = page.getByText('Settings saved.');
    await saved.waitFor({ timeout: 5000 });
    await page.getByRole('spinbutton', { name: 'Reviews per day, at most' }).fill('');
    await saved.waitFor({ state: 'detached', timeout: 5000 });
    await page.getByRole('spinbutton', { name: 'Reviews per day, at most' }).fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await saved.waitFor({ timeout: 5000 });
    await page.getByRole('checkbox', { name: 'Assistive mode' }).check();
    await saved.waitFor({ state: 'detached', timeout: 5000 });
    await page.close();
  });
});
