/**
 * The Content screen with the instructor tools off (Settings), with the real components in Chromium: its address said
 * nothing and showed the workspace anyway (only the navigation link was hidden). It now says what the screen is and
 * offers to turn the tools on, here or in Settings; the button keeps the focus while the setting is saved, then hands
 * it to the workspace's heading.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { ContentScreen } from ${JSON.stringify(join(rendererSrc, 'content/ContentScreen.tsx'))};
  import { useSettings } from ${JSON.stringify(join(rendererSrc, 'settings/settingsStore.ts'))};
  window.toolsTest = { createElement, createRoot, ContentScreen, useSettings };
`;
const pageWith = componentPagesForFile(entry);

const settings = (showInstructorTools: boolean) =>
  JSON.stringify({ theme: 'light', assistiveMode: false, showInstructorTools, timeZone: 'UTC' });

describe('the Content screen with the instructor tools off', () => {
  it('explains itself and turns the tools on, keeping the focus while it saves, then showing the workspace', async () => {
    const page = await pageWith(
      `{ settingsSet: (changes) => { window.saved = changes; return (${heldAnswer(`{ ok: true, value: ${settings(true)} }`)})(); },
         contentPacks: () => Promise.resolve({ ok: true, value: [] }),
         contentEditorStatus: () => Promise.resolve({ ok: true, value: { isContentEditor: false, signedIn: false, reason: null } }) }`,
      '<main id="main"><div id="root"></div></main>',
    );
    await page.evaluate(`(() => {
      const t = window.toolsTest;
      t.useSettings.setState({ settings: ${settings(false)} });
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ContentScreen));
    })()`);
    await expect.poll(() => page.getByRole('main').textContent()).toContain('which are turned off on this device');
    expect(await page.getByRole('heading', { name: 'Open a pack' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe('#/settings');

    const button = page.getByRole('button', { name: 'Show the instructor tools' });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('true');
    expect(await page.evaluate('window.saved')).toEqual({ showInstructorTools: true });
    expect(await focusedElement(page)).toBe('Show the instructor tools');
    await answerHost(page);
    await expect.poll(() => page.getByRole('heading', { name: 'Open a pack' }).count()).toBe(1);
    await expect.poll(() => focusedElement(page)).toBe('screen-heading');
    await page.close();
  });
});
