/** Zero axe-core violations (WCAG 2.0/2.1, A and AA) on every screen and state of the app, in each theme. */
import { expectNoViolations } from './axe';
import { expect, test } from './fixtures';

test('library, progress, settings, sync and the shortcuts dialog', async ({ page }) => {
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Algebra/ }).click();
  await expectNoViolations(page, 'library (a domain open)');

  for (const screen of ['Progress', 'Settings', 'Sync']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
    await expectNoViolations(page, screen);
  }

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectNoViolations(page, 'shortcuts dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('textbox', { name: 'Server URL' }).fill('nonsense');
  await page.getByRole('button', { name: 'Save server' }).click();
  await expect(page.getByRole('textbox', { name: 'Server URL' })).toHaveAttribute('aria-invalid', 'true');
  await expectNoViolations(page, 'settings with a field error');
});

test('skill page, MCQ, reorder, feedback and summary', async ({ page }) => {
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Computing Fundamentals/ }).click();
  await tree.getByRole('treeitem', { name: /^Binary numbers/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Binary numbers' })).toBeVisible();
  await expectNoViolations(page, 'skill page');

  await page.getByRole('button', { name: 'Start practice' }).click();
  await expect(page.getByRole('radio').first()).toBeVisible();
  await expectNoViolations(page, 'MCQ question');

  // Answer MCQs (wrong on purpose, so feedback shows the right answer) until a reorder question comes up.
  let checkedFeedback = false;
  for (let n = 0; n < 30 && (await page.getByRole('radio').count()) > 0; n++) {
    await page.getByRole('radio').last().check();
    await page.getByRole('button', { name: 'Check answer' }).click();
    await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
    if (!checkedFeedback) {
      await expectNoViolations(page, 'MCQ feedback');
      checkedFeedback = true;
    }
    await page.getByRole('button', { name: 'Next question' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /^Question/ })).toBeFocused();
  }
  await expect(page.getByRole('button', { name: /^Move up: / }).first()).toBeVisible();
  await page.getByRole('list', { name: /./ }).getByRole('listitem').first().getByRole('button').first().click();
  await expect(page.getByRole('button', { pressed: true })).toHaveCount(1);
  await expectNoViolations(page, 'reorder question with a step picked up');

  await page.getByRole('button', { name: 'Check answer' }).click();
  await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
  await expectNoViolations(page, 'reorder feedback');

  await page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ }).click();
  await page.getByRole('button', { name: 'End session now' }).or(page.getByRole('region', { name: 'Session complete' })).first().waitFor();
  if (await page.getByRole('button', { name: 'End session now' }).isVisible()) {
    await page.getByRole('button', { name: 'End session now' }).click();
    // Ending early asks first: the confirmation is checked too.
    await expectNoViolations(page, 'end-early confirmation');
    await page.getByRole('button', { name: 'End and see the summary' }).click();
  }
  await expect(page.getByRole('region', { name: 'Session complete' })).toBeVisible();
  await expectNoViolations(page, 'session summary');
});

for (const theme of ['Dark', 'High contrast'] as const) {
  test(`the ${theme.toLowerCase()} theme has no violations either`, async ({ page }) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('radio', { name: theme }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
    await expectNoViolations(page, `settings in ${theme}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByRole('tree', { name: 'Domains and skills' }).getByRole('treeitem', { name: /^Algebra/ }).click();
    await expectNoViolations(page, `library in ${theme}`);
    await page.getByRole('tree', { name: 'Domains and skills' }).getByRole('treeitem', { name: /^Fractions/ }).click();
    await page.getByRole('button', { name: 'Start practice' }).click();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Check answer' }).click();
    await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
    await expectNoViolations(page, `feedback in ${theme}`);
  });
}

test('forced colours and reduced motion: still no violations, focus still visible', async ({ page }) => {
  await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
  const first = page.getByRole('tree', { name: 'Domains and skills' }).getByRole('treeitem').first();
  await first.focus();
  await expect(first).toHaveCSS('outline-style', 'solid');
  await expectNoViolations(page, 'library in forced colours');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expectNoViolations(page, 'settings in forced colours');
});
