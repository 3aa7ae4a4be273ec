/**
 * The recovery screen with the real component and stylesheet in a real Chromium: its facts (file, problem, what to do)
 * read as ordinary text, not the big numbers of .facts, and its words fit the ways out it offers (with no usable
 * backup, only Start fresh: no "Either way", no "Choose", no "restore the newest good backup").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { RecoveryScreen } from ${JSON.stringify(join(rendererSrc, 'recovery/RecoveryScreen.tsx'))};
  import { useRecovery } from ${JSON.stringify(join(rendererSrc, 'recovery/recoveryStore.ts'))};
  window.recoveryTest = { createElement, createRoot, RecoveryScreen, useRecovery };
`;
const css = readFileSync(join(rendererSrc, 'styles.css'), 'utf8');

const pageWith = componentPagesForFile(entry);

const problem = {
  file: '/data/study.sqlite',
  cause: 'corrupt',
  detail: 'SQLite says "database disk image is malformed"',
  nextStep: 'When it starts, Study Desk keeps a copy of the damaged file and, on its recovery screen, offers to restore the newest good backup, if there is one, or to start fresh from the built-in content.',
};
const backup = { path: '/data/backups/daily.sqlite', kind: 'daily', createdUtcMs: 1_700_000_000_000, sizeBytes: 4096, usable: true };

async function openRecovery(backups: unknown[], problemChanges: Partial<typeof problem> = {}): Promise<Page> {
  const page = await pageWith('{}', `<style>${css}</style><div id="root"></div>`);
  const status = { mode: 'recovery', problem: { ...problem, ...problemChanges }, backups, lastRecovery: null };
  await page.evaluate(`(() => {
    const t = window.recoveryTest;
    t.useRecovery.setState({ phase: 'recovery', status: ${JSON.stringify(status)}, busy: false, error: null });
    t.createRoot(document.getElementById('root')).render(t.createElement(t.RecoveryScreen));
  })()`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 5000 });
  return page;
}

/** The text of each definition (dd), in order. */
const facts = (page: Page) => page.locator('dd').allTextContents();

describe('the recovery screen', () => {
  it('shows its facts as ordinary text', async () => {
    const page = await openRecovery([backup]);
    const [size, weight, bodySize] = await page.evaluate<[string, string, string]>(`(() => {
      const style = getComputedStyle(document.querySelector('dd'));
      return [style.fontSize, style.fontWeight, getComputedStyle(document.body).fontSize];
    })()`);
    expect([size, weight]).toEqual([bodySize, '400']);
    await page.close();
  });

  it('offers both ways out when a usable backup exists, and says so', async () => {
    const page = await openRecovery([backup]);
    expect((await facts(page))[2]).toBe('Restore the newest good backup, or start fresh with the built-in content.');
    await page.getByRole('heading', { level: 2, name: 'Choose how to continue' }).waitFor({ timeout: 5000 });
    await page.getByText('Either way, a copy of the damaged file is kept.').waitFor({ timeout: 5000 });
    expect(await page.getByRole('button').allTextContents()).toEqual([expect.stringMatching(/^Restore the backup from /), 'Start fresh with the built-in content']);
    await page.close();
  });

  it.each([
    ['corrupt', 'Start fresh with the built-in content.'],
    ['unreadable', 'Check that the file and its folder exist and belong to your user, then start Study Desk again. Or start fresh with the built-in content.'],
  ])('with no usable backup (%s), words only the one way out it offers', async (cause, whatYouCanDo) => {
    const page = await openRecovery([{ ...backup, usable: false }], { cause });
    expect((await facts(page))[2]).toBe(whatYouCanDo);
    await page.getByRole('heading', { level: 2, name: 'How to continue' }).waitFor({ timeout: 5000 });
    await page.getByText('There is no usable backup of this file. Starting fresh keeps a copy of the damaged file.').waitFor({ timeout: 5000 });
    expect(await page.getByRole('button').allTextContents()).toEqual(['Start fresh with the built-in content']);
    expect(await page.locator('main').textContent()).not.toMatch(/Either way|both|Choose how|restore the newest/i);
    await page.close();
  });

  it('a read-only file keeps core’s next step, which names the Try again it offers', async () => {
    const nextStep = 'Nothing was changed. Make the file and its folder writable for your user, then choose Try again.';
    const page = await openRecovery([], { cause: 'read_only', nextStep });
    await page.getByRole('button', { name: 'Try again' }).waitFor({ timeout: 5000 });
    expect((await facts(page))[2]).toBe(nextStep);
    await page.close();
  });
});
