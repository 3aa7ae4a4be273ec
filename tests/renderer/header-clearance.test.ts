/**
 * The sticky header never covers the element reached with Tab, in a real Chromium with the app's stylesheet: in a
 * window 800 px wide the header wraps (navigation, "Keyboard shortcuts", a sync error) to ~180 px, taller than the
 * fixed 8rem scroll padding it had, and a field scrolled into view by Shift+Tab sat under it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, rendererSrc } from '../helpers/component-page';

const css = readFileSync(join(rendererSrc, 'styles.css'), 'utf8');

// The app's header reduced to what lays it out, kept clear by the real hook; a long form below it.
const entry = `
  import { createElement, useRef } from 'react';
  import { createRoot } from 'react-dom/client';
  import { useHeaderClearance } from ${JSON.stringify(join(rendererSrc, 'shell/useHeaderClearance.ts'))};
  const links = ['Today', 'Library', 'Drills', 'Progress', 'Tutor', 'Settings', 'Sync'].map((name) => '<li><a href="#">' + name + '</a></li>').join('');
  const headerHtml = '<div class="header-row"><p class="app-name">Study Desk</p><nav aria-label="Main"><ul>' + links +
    '</ul></nav><button type="button">Keyboard shortcuts</button></div>' +
    '<section class="sync-bar" aria-label="Sync status"><p class="sync-text"><strong>Sync failed.</strong> Never synced. ' +
    'Last error: The server sent an unreadable answer (HTTP 200).</p><div class="sync-actions"><button type="button">Sync now</button></div></section>';
  function Frame() {
    const header = useRef(null);
    useHeaderClearance(header);
    const fields = Array.from({ length: 30 }, (_, i) => createElement('div', { className: 'field', key: i },
      createElement('label', { htmlFor: 'f' + i }, 'Field ' + i), createElement('input', { id: 'f' + i })));
    return createElement('div', null,
      createElement('header', { className: 'app-header', ref: header, dangerouslySetInnerHTML: { __html: headerHtml } }),
      createElement('main', { id: 'main' }, fields));
  }
  createRoot(document.getElementById('root')).render(createElement(Frame));
`;

const pageWith = componentPagesForFile(entry);

describe('the sticky header and the focused element', () => {
  it('Shift+Tab up a long form at 800 × 700 never leaves the focused field under the header', async () => {
    const page = await pageWith('{}', `<style>${css}</style><div id="root"></div>`);
    await page.setViewportSize({ width: 800, height: 700 });
    await page.locator('#f29').focus();
    const headerBottom = await page.evaluate<number>("document.querySelector('.app-header').getBoundingClientRect().bottom");
    // The case that matters: a header taller than the old fixed padding (8rem, 128 px).
    expect(headerBottom).toBeGreaterThan(128);
    const covered: string[] = [];
    for (let i = 28; i >= 0; i--) {
      await page.keyboard.press('Shift+Tab');
      const top = await page.evaluate<number>('document.activeElement.getBoundingClientRect().top');
      if (top < headerBottom) covered.push(`f${i} at ${Math.round(top)} px`);
    }
    expect(covered).toEqual([]);
    await page.close();
  });
});
