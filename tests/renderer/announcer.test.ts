/**
 * The app's one polite region, in the real shell in a real Chromium: a message said just before a route change (a
 * save, then the app moves on) stays in the region long enough to be handed to the screen reader, where a route change
 * used to empty it at once, and the new screen is still announced (its heading takes the focus), its own messages after
 * the held one.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, focusedElement as focused, rendererSrc } from '../helpers/component-page';

const from = (path: string) => JSON.stringify(join(rendererSrc, path));
const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { App } from ${from('shell/App.tsx')};
  import { announcementHoldMs, useShell } from ${from('shell/shellStore.ts')};
  window.announcerTest = { createElement, createRoot, App, announcementHoldMs, useShell };
`;

const pageWith = componentPagesForFile(entry);

// The shell's own calls fail politely (the errors go to the error region); events never come.
const studyApi = `new Proxy({}, {
  get: (_, method) => method === 'on'
    ? () => () => {}
    : async () => ({ ok: false, error: { code: 'internal', message: 'Not in this test.' } }),
})`;

/** The shell on a "page not found" screen (no host calls), recording each text its polite region holds, and when. */
async function openShell(): Promise<Page> {
  const page = await pageWith(studyApi, '<div id="root"></div>');
  await page.evaluate(`(() => {
    location.hash = '#/first-nowhere';
    const t = window.announcerTest;
    t.createRoot(document.getElementById('root')).render(t.createElement(t.App));
  })()`);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor({ timeout: 5000 });
  await page.evaluate(`(() => {
    const region = document.querySelector('main > .visually-hidden[role="status"]');
    window.regionTexts = [{ text: region.textContent, atMs: performance.now() }];
    new MutationObserver(() => window.regionTexts.push({ text: region.textContent, atMs: performance.now() }))
      .observe(region, { childList: true, characterData: true, subtree: true });
  })()`);
  return page;
}

type RegionText = { text: string; atMs: number };

describe('the polite region across a route change', () => {
  it.each([
    ['just before the route change', ''],
    ['and shown in the region, then the route changes', `await new Promise((resolve) => { const wait = () => (window.regionTexts.at(-1).text === 'Saved.' ? resolve() : setTimeout(wait, 1)); wait(); });`],
  ])('a message said %s is held there, then goes, and the new screen takes the focus', async (_when, waitBeforeLeaving) => {
    const page = await openShell();
    await page.evaluate(`(async () => {
      window.announcerTest.useShell.getState().announce('Saved.');
      ${waitBeforeLeaving}
      location.hash = '#/second-nowhere';
    })()`);
    await expect.poll(() => page.locator('code').textContent()).toBe('#/second-nowhere');
    await expect.poll(() => focused(page)).toBe('screen-heading');
    // The message was shown, and does not stay on the new screen.
    await expect.poll(() => page.evaluate("window.regionTexts.map((t) => t.text).join(' | ')"), { timeout: 5000 }).toMatch(/Saved\. \| $/);

    const texts = await page.evaluate<RegionText[]>('window.regionTexts');
    const hold = await page.evaluate<number>('window.announcerTest.announcementHoldMs');
    const shown = texts.findIndex((t) => t.text === 'Saved.');
    expect(shown, JSON.stringify(texts)).toBeGreaterThan(-1);
    const next = texts[shown + 1]!;
    expect(next.text).toBe('');
    // The observer's callback runs a little after each change: allow a few milliseconds of that.
    expect(next.atMs - texts[shown]!.atMs, JSON.stringify(texts)).toBeGreaterThanOrEqual(hold - 20);
    await page.close();
  });

  it('what the new screen says at once follows the held message, and is not emptied by the route change before it', async () => {
    const page = await openShell();
    await page.evaluate(`(() => {
      const shell = window.announcerTest.useShell.getState();
      shell.announce('Saved.');
      location.hash = '#/second-nowhere';
      addEventListener('hashchange', () => shell.announce('Loaded.'), { once: true });
    })()`);
    await expect.poll(() => page.evaluate('window.regionTexts.at(-1).text'), { timeout: 5000 }).toBe('Loaded.');
    const texts = await page.evaluate<RegionText[]>('window.regionTexts');
    const hold = await page.evaluate<number>('window.announcerTest.announcementHoldMs');
    const said = texts.filter((t) => t.text !== '');
    expect(said.map((t) => t.text)).toEqual(['Saved.', 'Loaded.']);
    expect(said[1]!.atMs - said[0]!.atMs, JSON.stringify(texts)).toBeGreaterThanOrEqual(hold - 20);
    // Twice the hold later, the new screen's message is still there.
    await new Promise((resolve) => setTimeout(resolve, 2 * hold));
    expect(await page.evaluate('window.regionTexts.at(-1).text')).toBe('Loaded.');
    await page.close();
  });
});
