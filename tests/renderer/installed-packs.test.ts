/**
 * The Content workspace's installed packs, with the real component in Chromium: "Keep it" in a removal's confirmation
 * gives the focus back to the Remove button that asked (it fell to the page's body), two imports of one pack are
 * told apart by when they were imported, with a confirmation that says the content stays with the other, and Export and
 * "Remove the pack" keep the focus while they run and after a failure (they were disabled, which dropped it).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerHost, componentPagesForFile, focusedElement, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { InstalledPacks } from ${JSON.stringify(join(rendererSrc, 'content/InstalledPacks.tsx'))};
  import { useContentWorkspace } from ${JSON.stringify(join(rendererSrc, 'content/contentStore.ts'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.packsTest = { createElement, createRoot, InstalledPacks, useContentWorkspace, useShell };
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

const refusal = `{ ok: false, error: { code: 'database_error', message: 'The database is busy with another write.' } }`;

/** The packs listed; an export or removal is refused once the test answers it (`answerHost`). */
async function openWith(packs: unknown[]) {
  const page = await pageWith(
    `{ contentPacks: () => Promise.resolve({ ok: true, value: ${JSON.stringify(packs)} }),
       contentEditorStatus: () => Promise.resolve({ ok: true, value: { isContentEditor: false } }),
       contentExport: () => ({ done: (${heldAnswer(refusal)})(), cancel: () => {} }),
       contentRemove: ${heldAnswer(refusal)} }`,
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

  it.each([
    ['Export geometry-basics 1.0.0', 'Export'],
    ['Export all local content', 'Export all local content'],
  ])('"%s" keeps the focus while it runs and after it fails', async (name, text) => {
    const page = await openWith([pack('0190a0b0-0000-7000-8000-000000000001', '1.0.0', Date.UTC(2026, 10, 30, 9))]);
    const button = page.getByRole('button', { name });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.packsTest.useContentWorkspace.getState().busy')).toBe(true);
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await focusedElement(page)).toBe(text);
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.packsTest.useShell.getState().errors.length')).toBe(1);
    expect(await focusedElement(page)).toBe(text);
    expect(await button.getAttribute('aria-disabled')).toBeNull();
    await page.close();
  });

  it('"Remove the pack" keeps the focus while it runs, ignores a second press, and stays after a failure', async () => {
    const page = await openWith([pack('0190a0b0-0000-7000-8000-000000000001', '1.0.0', Date.UTC(2026, 10, 30, 9))]);
    await page.getByRole('button', { name: 'Remove geometry-basics 1.0.0' }).click();
    const confirm = page.getByRole('button', { name: 'Remove the pack' });
    await confirm.focus();
    await page.evaluate('window.removeCalls = 0; const remove = window.studyApi.contentRemove; window.studyApi.contentRemove = (...a) => { window.removeCalls += 1; return remove(...a); }');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('window.packsTest.useContentWorkspace.getState().busy')).toBe(true);
    expect(await confirm.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('window.removeCalls')).toBe(1);
    expect(await focusedElement(page)).toBe('Remove the pack');
    await answerHost(page);
    await expect.poll(() => page.evaluate('window.packsTest.useShell.getState().errors.length')).toBe(1);
    expect(await focusedElement(page)).toBe('Remove the pack');
    await page.close();
  });
});
