/**
 * The Content workspace in Chromium, keyboard only: an instructor turns on the instructor tools, opens a bad pack,
 * goes from a finding to its record, is refused the import, opens a good pack, reads the diff, imports it, previews a
 * draft (Show answer and Try it), previews and toggles a drill pack, exports the pack (its SHA-256 matches the file)
 * and removes it. axe on every state. And Cancel while a large pack (generated at test time) is checked, or compared
 * after its report arrived: nothing of it stays on the page, focus and an announcement say so, and a small pack opens after.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { writeBenchPack100k } from '../bench/content-pack';
import { expectNoViolations } from './axe';
import { nav, tabTo } from './keyboard';
import { expect, test } from './fixtures';

const packs = join(import.meta.dirname, 'fixtures-content');
const badPack = join(packs, 'bad-pack.json');
const goodPack = join(packs, 'good-pack.json');

/** Moves focus to `target` by Tab, then presses `key` on it. */
async function press(page: Page, target: Locator, key = 'Enter'): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** Opens a file the way a keyboard user does: Space on the file input brings up the chooser. */
async function openPackFile(page: Page, file: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Content' }).focus();
  const chooser = page.waitForEvent('filechooser');
  await press(page, page.getByLabel('Pack file'), 'Space');
  await (await chooser).setFiles(file);
}

/** From a fresh start: turns on the instructor tools in Settings, then goes to the Content workspace it brings. */
async function goToContentWorkspace(page: Page): Promise<void> {
  await expect(nav(page, 'Content')).toHaveCount(0);
  await press(page, nav(page, 'Settings'));
  const tools = page.getByRole('checkbox', { name: 'Show the instructor tools' });
  await expect(tools).not.toBeChecked();
  await press(page, tools, 'Space');
  await expect(tools).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Save settings' }));
  await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
  await expect(nav(page, 'Content')).toBeVisible();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).focus();
  await press(page, nav(page, 'Content'));
  await expect(page.getByRole('heading', { level: 1, name: 'Content' })).toBeFocused();
}

test('an instructor checks a bad pack, is refused its import, then imports, previews and exports a good one', async ({ page }) => {
  // One long walk through every state, with axe on each: more than the default minute on a shared machine.
  test.setTimeout(240_000);
  await test.step('the Content entry appears only once the instructor tools are on', async () => {
    await goToContentWorkspace(page);
    await expect(page.getByRole('table', { name: 'Installed packs' }).getByRole('row', { name: /study-desk-sample/ })).toBeVisible();
    await expectNoViolations(page, 'the Content workspace');
  });

  await test.step('a bad pack: its report, counts announced, every finding with path, code, message and record', async () => {
    await openPackFile(page, badPack);
    await expect(page.getByRole('heading', { level: 3, name: 'Validation report' })).toBeFocused();
    await expect(page.locator('#report-counts')).toContainText('1 error and 1 warning.');
    await expect(page.getByRole('main').getByRole('status').filter({ hasText: 'Validation report: 1 error and 1 warning.' })).toHaveCount(1);
    const findings = page.getByRole('listbox', { name: /^Findings/ });
    const options = findings.getByRole('option');
    await expect(options).toHaveCount(2);
    await expect(options.first()).toContainText('Error solution_index_out_of_range in right_angle');
    await expect(options.first()).toContainText('questions[0].payload.solution_index');
    await expect(options.first()).toHaveAttribute('aria-setsize', '2');
    await expect(options.nth(1)).toContainText('Warning missing_explanation in triangle_sum');
    await expect(page.getByRole('region', { name: 'What the import would change' })).toHaveCount(0);
    await expectNoViolations(page, 'a report with errors');
  });

  await test.step('filter by code, then from a finding to its record in the preview', async () => {
    const code = page.getByLabel('Code');
    await tabTo(page, code);
    await code.selectOption('missing_explanation');
    await expect(page.getByRole('listbox', { name: /^Findings \(filtered\)/ }).getByRole('option')).toHaveCount(1);
    await code.selectOption('all');
    const first = page.getByRole('listbox', { name: /^Findings/ }).getByRole('option').first();
    await tabTo(page, first);
    await page.keyboard.press('Enter');
    const record = page.getByRole('heading', { level: 3, name: /^Question right_angle/ });
    await expect(record).toBeFocused();
    // Its solution points past the choices: no learner could be shown it, and the preview says which field is wrong.
    await expect(page.getByText('A learner could not be shown this question')).toBeVisible();
    await expect(page.getByText('Missing: payload.solution_index')).toBeVisible();
    await expect(page.getByRole('tree', { name: 'Records' }).getByRole('treeitem', { name: /How many degrees/ })).toHaveAttribute('aria-selected', 'true');
    await expectNoViolations(page, "a finding's record in the preview");

    // The other finding: its record's explanation is named as missing, not left blank.
    const second = page.getByRole('listbox', { name: /^Findings/ }).getByRole('option').nth(1);
    // Back up from the record to the list (it keeps its place: the first finding is still the active one).
    await tabTo(page, page.getByRole('listbox', { name: /^Findings/ }).getByRole('option').first(), { maxTabs: 20, key: 'Shift+Tab' });
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 3, name: /^Question triangle_sum/ })).toBeFocused();
    await expect(page.getByText('Missing: explanation')).toBeVisible();
  });

  await test.step('fixing nothing, the import is refused and nothing is installed', async () => {
    await press(page, page.getByRole('button', { name: 'Import…' }));
    await expect(page.getByRole('heading', { level: 4, name: /^Import geometry-draft/ })).toBeFocused();
    await press(page, page.getByRole('button', { name: 'Yes, import' }));
    await expect(page.getByRole('main').getByRole('alert').filter({ hasText: 'Import refused' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert').filter({ hasText: 'Nothing was imported' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Installed packs' }).getByRole('row', { name: /geometry/ })).toHaveCount(0);
    await expectNoViolations(page, 'an import refused');
  });

  await test.step('a good pack: its diff lists the added records and the fields', async () => {
    await openPackFile(page, goodPack);
    await expect(page.locator('#report-counts')).toContainText('0 errors and 1 warning.');
    const diff = page.getByRole('region', { name: 'What the import would change' });
    await expect(diff.getByRole('row', { name: /^Questions/ })).toContainText('3');
    await expect(diff.getByRole('row', { name: /^Skills/ })).toContainText('2');
    await expect(diff.getByRole('listbox', { name: /^Changed records/ }).getByRole('option', { name: /Polygons/ })).toContainText('added');
    await expectNoViolations(page, 'the diff before import');
  });

  await test.step('Cancel imports nothing; confirming imports with progress, then the pack is installed', async () => {
    await press(page, page.getByRole('button', { name: 'Import…' }));
    await press(page, page.getByRole('button', { name: 'Cancel', exact: true }));
    await expect(page.getByText('Cancelled: nothing was imported.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Installed packs' }).getByRole('row', { name: /geometry-basics/ })).toHaveCount(0);
    await press(page, page.getByRole('button', { name: 'Import…' }));
    await press(page, page.getByRole('button', { name: 'Yes, import' }));
    await expect(page.getByRole('heading', { name: 'Imported' })).toBeFocused();
    await expect(page.getByText(/geometry-basics 1\.0\.0 imported: 6 records added/).first()).toBeVisible();
    await expect(page.getByRole('table', { name: 'Installed packs' }).getByRole('row', { name: /geometry-basics/ })).toBeVisible();
    await expectNoViolations(page, 'after the import');
  });

  await test.step('preview a draft of the installed pack: badge, why it cannot be published, Show answer and Try it', async () => {
    await press(page, page.getByRole('button', { name: 'Preview geometry-basics 1.0.0' }));
    await expect(page.getByRole('heading', { level: 2, name: /^Preview: geometry-basics/ })).toBeFocused();
    const tree = page.getByRole('tree', { name: 'Records' });
    await tabTo(page, tree.getByRole('treeitem').first());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    const polygons = tree.getByRole('treeitem', { name: /^Polygons/ });
    await expect(polygons).toBeFocused();
    await expect(polygons).toContainText('Draft');
    await expect(page.getByRole('heading', { level: 3, name: /^Skill: Polygons/ })).toBeVisible();
    await expect(page.getByText('Cannot be published:')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(tree.getByRole('treeitem', { name: /hexagon/ })).toBeFocused();
    await expect(page.getByText('Missing: explanation')).toBeVisible();
    await expect(page.getByText('(correct answer)')).toBeVisible();
    await expectNoViolations(page, 'a draft question, Show answer');

    // A radio group is one tab stop: Tab lands on its checked (or first) radio, arrows choose.
    await tabTo(page, page.getByRole('radio', { name: 'Show answer' }));
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: 'Try it (records nothing)' })).toBeChecked();
    await tabTo(page, page.getByRole('radio', { name: '5' }));
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: '6' })).toBeChecked();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Correct' })).toBeFocused();
    await expect(page.getByText('Nothing was recorded: no attempt, no XP, nothing to sync.')).toBeVisible();
    await expectNoViolations(page, 'a draft question, Try it');
  });

  await test.step('a drill pack in the preview: its categories and questions; archive, then activate it again', async () => {
    await press(page, page.getByRole('button', { name: /^Preview study-desk-sample/ }));
    await expect(page.getByRole('heading', { level: 2, name: /^Preview: study-desk-sample/ })).toBeFocused();
    const tree = page.getByRole('tree', { name: 'Records' });
    await tabTo(page, tree.getByRole('treeitem').first());
    await page.keyboard.type('drills: m');
    const motivation = tree.getByRole('treeitem', { name: /^Drills: Motivation/ });
    await expect(motivation).toBeFocused();
    await expect(page.getByText(/Drill pack Interview answers, version 2\.0\.0: active\./)).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('heading', { level: 3, name: 'Drill question (Motivation)' })).toBeVisible();
    await expect(page.getByText(/^Expected answer length: \d+ seconds\.$/)).toBeVisible();
    await expectNoViolations(page, 'a drill question in the preview');
    await page.keyboard.press('ArrowLeft');
    await expect(motivation).toBeFocused();
    await press(page, page.getByRole('button', { name: 'Archive this drill pack' }));
    await expect(page.getByText(/Drill pack Interview answers, version 2\.0\.0: archived\./)).toBeVisible();
    await press(page, page.getByRole('button', { name: 'Activate this drill pack' }), 'Enter');
    await expect(page.getByText(/Drill pack Interview answers, version 2\.0\.0: active\./)).toBeVisible();
  });

  await test.step('export: the file downloads and its SHA-256 is shown', async () => {
    const download = page.waitForEvent('download');
    await press(page, page.getByRole('button', { name: 'Export geometry-basics 1.0.0' }));
    const file = await (await download).path();
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    await expect(page.getByRole('status').filter({ hasText: 'SHA-256' })).toContainText(sha256);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { pack: { name: string }; questions: unknown[] };
    expect(exported.pack.name).toBe('geometry-basics');
    expect(exported.questions).toHaveLength(3);
    await expectNoViolations(page, 'after an export');
  });

  await test.step('remove: a confirmation names what goes and what stays; the pack and its content leave', async () => {
    await press(page, page.getByRole('button', { name: 'Remove geometry-basics 1.0.0' }));
    await expect(page.getByRole('heading', { level: 3, name: 'Remove geometry-basics 1.0.0?' })).toBeFocused();
    await expect(page.getByText('Your answers and progress stay in your history.')).toBeVisible();
    await expectNoViolations(page, 'the remove confirmation');
    await press(page, page.getByRole('button', { name: 'Remove the pack' }));
    await expect(page.getByRole('table', { name: 'Installed packs' }).getByRole('row', { name: /geometry-basics/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 2, name: 'Installed packs' })).toBeFocused();
  });
});

/**
 * Records, from now on and in order, what the page shows of opened files: `opened: <heading>` when a file's section
 * (its report, findings and diff) is drawn and `import offered: <heading>` when its Import section is, once each, so
 * something drawn for a moment and taken away again is caught; and `announced: <text>` for each announcement of the
 * shell's polite status region.
 */
async function recordOpenedFiles(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { openedFiles: string[] }).openedFiles = seen;
    const region = document.querySelector('main > [role="status"].visually-hidden');
    if (!region) throw new Error('The app has no polite status region.');
    let announced = region.textContent ?? '';
    const noteOnce = (entry: string) => {
      if (!seen.includes(entry)) seen.push(entry);
    };
    new MutationObserver(() => {
      const text = region.textContent ?? '';
      if (text !== announced && text !== '') seen.push(`announced: ${text}`);
      announced = text;
      const heading = document.getElementById('opened-heading')?.textContent ?? null;
      if (heading === null) return;
      noteOnce(`opened: ${heading}`);
      if (document.getElementById('import-heading')) noteOnce(`import offered: ${heading}`);
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { openedFiles: string[] }).openedFiles]);
}

/**
 * Longer than opening the 100k-question pack takes here end to end (upload, check, report: 5–7 s measured), so a report
 * sent for the cancelled file would have arrived; the small pack opened afterwards bounds it again, as the content
 * worker runs one job at a time and the connection keeps their order.
 */
const cancelledQuietMs = 8_000;

test('keyboard only: Cancel while a large pack is checked, or compared after its report, drops it; a small pack opens afterwards', async ({ page }) => {
  // A 35 MiB pack is written, opened twice and cancelled, with a quiet wait after each: more than the default minute.
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'study-e2e-content-cancel-'));
  try {
    const largePack = writeBenchPack100k(dir, 'cancel100k');
    const large = 'cancel100k.json: cancel100k-pack 1.0.0';
    const good = 'good-pack.json: geometry-basics 1.0.0';
    const cancelled = 'announced: Opening the pack was cancelled.';
    const afterSecondCancel = [cancelled, `opened: ${large}`, 'announced: Validation report: 0 errors and 1,000 warnings.', cancelled];
    const openRegion = page.getByRole('region', { name: 'Open a pack' });
    const openHeading = openRegion.getByRole('heading', { level: 2, name: 'Open a pack' });
    const progress = openRegion.getByRole('progressbar');
    const cancel = openRegion.getByRole('button', { name: 'Cancel', exact: true });
    const reportHeading = page.getByRole('heading', { level: 3, name: 'Validation report' });
    const importButton = page.getByRole('button', { name: 'Import…' });
    /** Nothing of the large file is on the page: no section, report, findings, diff or import. */
    const expectNothingOfLargePack = async () => {
      await expect(page.getByRole('heading', { level: 2, name: /^cancel100k\.json/ })).toHaveCount(0);
      await expect(reportHeading).toHaveCount(0);
      await expect(page.getByRole('listbox', { name: /^Findings/ })).toHaveCount(0);
      await expect(page.getByRole('region', { name: 'What the import would change' })).toHaveCount(0);
      await expect(importButton).toHaveCount(0);
    };

    await goToContentWorkspace(page);
    const shown = await recordOpenedFiles(page);

    await test.step('Cancel while the pack is checked: the progress goes, focus returns to opening a file, the cancel is announced', async () => {
      await openPackFile(page, largePack);
      await expect(progress).toBeVisible();
      // Uploaded and being checked: the cancel has to reach core, and a report core sends meanwhile has to be dropped.
      await expect(openRegion.getByRole('status')).toHaveText(/checking the pack…$/i);
      // The disabled file input handed its focus to Cancel.
      await expect(cancel).toBeFocused();
      await page.keyboard.press('Enter');
      const cancelledAt = Date.now();
      await expect(progress).toHaveCount(0);
      await expect(cancel).toHaveCount(0);
      await expect(openHeading).toBeFocused();
      await expect(page.getByLabel('Pack file')).toBeEnabled();
      await expect.poll(shown).toEqual([cancelled]);
      await page.waitForTimeout(Math.max(0, cancelledAt + cancelledQuietMs - Date.now()));
      await expectNothingOfLargePack();
      expect(await shown()).toEqual([cancelled]);
      await expect(openHeading).toBeFocused();
      await expectNoViolations(page, 'an open cancelled while checked');
    });

    await test.step('Cancel once the report is shown, while the import is still being compared: the report goes too', async () => {
      await openPackFile(page, largePack);
      await expect(reportHeading).toBeFocused({ timeout: 30_000 });
      await expect(openRegion.getByRole('status')).toHaveText('Comparing with your content…');
      await tabTo(page, cancel, { key: 'Shift+Tab' });
      await page.keyboard.press('Enter');
      await expect(progress).toHaveCount(0);
      await expect(reportHeading).toHaveCount(0);
      await expect(openHeading).toBeFocused();
      // Its report was on screen (and announced) before the cancel; its import never was.
      await expect.poll(shown).toEqual(afterSecondCancel);
      await page.waitForTimeout(cancelledQuietMs);
      await expectNothingOfLargePack();
      expect(await shown()).toEqual(afterSecondCancel);
      await expectNoViolations(page, 'an open cancelled after its report');
    });

    await test.step('a small good pack opens afterwards: its report and import, and nothing more of the large one', async () => {
      await openPackFile(page, goodPack);
      await expect(reportHeading).toBeFocused();
      await expect(page.locator('#report-counts')).toContainText('0 errors and 1 warning.');
      await expect(importButton).toBeVisible();
      // The good pack's announcement and its import section come in either order.
      const goodPackShown = ['announced: Validation report: 0 errors and 1 warning.', `import offered: ${good}`, `opened: ${good}`];
      await expect.poll(async () => (await shown()).slice(afterSecondCancel.length).sort()).toEqual(goodPackShown);
      expect((await shown()).slice(0, afterSecondCancel.length)).toEqual(afterSecondCancel);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
