/**
 * The app shell's own screens as a keyboard and screen reader user meets them, with the real components in a real
 * Chromium (bundled from renderer/src): "page not found" for an address that names no screen, and the shortcuts dialog.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, focusedElement as focused, rendererSrc } from '../helpers/component-page';

const from = (path: string) => JSON.stringify(join(rendererSrc, path));
const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { parseRoute } from ${from('shell/route.ts')};
  import { NotFoundScreen } from ${from('shell/NotFoundScreen.tsx')};
  import { useShell } from ${from('shell/shellStore.ts')};
  import { ShortcutsDialog } from ${from('shell/ShortcutsDialog.tsx')};
  window.shellTest = { createElement, createRoot, parseRoute, NotFoundScreen, useShell, ShortcutsDialog };
`;

const pageWith = componentPagesForFile(entry);
const openPage = (): Promise<Page> => pageWith('{}', '<main id="main" tabindex="-1"><div id="root"></div></main>');

describe('page not found', () => {
  it('names the address as text, offers the library, and takes the focus on arrival', async () => {
    const page = await openPage();
    const address = '#/nonsense/<b>bold</b>';
    await page.evaluate(`(() => {
      const t = window.shellTest;
      const route = t.parseRoute(${JSON.stringify(address)});
      // As a navigation leaves it: the next screen heading takes the focus.
      t.useShell.getState().setHeadingFocusPending(true);
      t.createRoot(document.getElementById('root')).render(t.createElement(t.NotFoundScreen, { hash: route.hash }));
    })()`);
    const heading = page.getByRole('heading', { level: 1, name: 'Page not found' });
    await heading.waitFor({ timeout: 5000 });
    await expect.poll(() => focused(page)).toBe('screen-heading');
    expect(await page.locator('code').textContent()).toBe(address);
    expect(await page.locator('b').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Go to the library' }).getAttribute('href')).toBe('#/library');
    expect(await page.evaluate('window.shellTest.useShell.getState().screenReady')).toBe(true);
    expect(await page.title()).toBe('Page not found – Study Desk');
    await page.close();
  });
});

describe('the shortcuts dialog', () => {
  it('lists the go-to keys of Today, drills and the tutor, and the tutor chat’s keys', async () => {
    const page = await openPage();
    await page.evaluate(`(() => {
      const t = window.shellTest;
      t.createRoot(document.getElementById('root')).render(t.createElement(t.ShortcutsDialog));
      t.useShell.getState().setHelpOpen(true);
    })()`);
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ timeout: 5000 });
    for (const row of ['G then T Go to Today', 'Alt+5 Go to Today', 'G then D Go to drills', 'G then U Go to the tutor', 'Alt+7 Go to the tutor']) {
      expect(await dialog.getByRole('row', { name: row, exact: true }).count()).toBe(1);
    }
    const tutor = dialog.getByRole('table', { name: 'Tutor' });
    expect(await tutor.getByRole('row', { name: /^Shift\+Enter / }).count()).toBe(1);
    expect(await tutor.getByRole('row', { name: /^Escape Stop a reply/ }).count()).toBe(1);
    await page.close();
  });
});
