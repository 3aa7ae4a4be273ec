/**
 * The Content workspace's installed packs, with the real component in Chromium: "Keep it" in a removal's confirmation
 * gives the focus back to the Remove button that asked (it fell to the page's body), and two imports of one pack are
 * told apart by when they were imported, with a confirmation that says the content stays with the other.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, focusedElement, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { InstalledPacks } from ${JSON.stringify(join(rendererSrc, 'content/InstalledPacks.tsx'))};
  window.packsTest = { createElement, createRoot, InstalledPacks };
`;
const pageWith = componentPagesForFile(entry);

const pack = (id: string, version: string, importedUtcMs: number) => ({
  id,
  name: 'geometry-basics',
  version,
  sha256: 'ab'.repeat(32),
  fileSize: 2048,
  importedUtcMs,
  importMode: 'append',
  counts: { domains: 1, skills: 2, questions: 3, drillQuestions: 0 },
  drill: null,
});

async function openWith(packs: unknown[]) {
  const page = await pageWith(
    `{ contentPacks: () => Promise.resolve({ ok: true, value: ${JSON.stringify(packs)} }),
       contentEditorStatus: () => Promise.resolve({ ok: true, value: { isContentEditor: false } }) }`,
    '<main id="main"><div id="root"></div></main>',
  );
  await page.evaluate(`(() => {
    const t = window.packsTest;
    t.createRoot(document.getElementById('root')).render(t.createElement(t.InstalledPacks));
  })()`);
  return page;
}

describe('installed packs', () => {
  it('"Keep it" gives the focus back to the Remove button that asked', async () => {
    const page = await openWith([pack('0190a0b0-0000-7000-8000-000000000001', '1.0.0', Date.UTC(2026, 10, 30, 9))]);
    const remove = page.getByRole('button', { name: 'Remove geometry-basics 1.0.0' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Keep it' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toBe('remove-pack-0190a0b0-0000-7000-8000-000000000001');
    await page.close();
  });

  it('tells two imports of one pack apart, and says removing one leaves the content with the other', async () => {
    const first = pack('0190a0b0-0000-7000-8000-000000000001', '1.0.0', Date.UTC(2026, 10, 30, 9));
    const second = pack('0190a0b0-0000-7000-8000-000000000002', '1.0.0', Date.UTC(2026, 11, 1, 9));
    const page = await openWith([second, first]);
    const removeButtons = page.getByRole('button', { name: /^Remove geometry-basics 1\.0\.0, imported / });
    await expect.poll(() => removeButtons.count()).toBe(2);
    const names = await removeButtons.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(2);
    await removeButtons.first().click();
    await expect
      .poll(() => page.getByRole('region', { name: /^Remove geometry-basics/ }).textContent())
      .toContain('Its content stays on this device: another import of geometry-basics (version 1.0.0) still holds it.');
    await page.close();
  });
});
