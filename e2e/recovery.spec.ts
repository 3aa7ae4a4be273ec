/**
 * A damaged database in the web host: the recovery screen instead of a crash, usable by keyboard alone with zero axe
 * violations, and the app back after restoring the newest good backup.
 */
import { join } from 'node:path';
import { overwritePageOf } from '../tests/helpers/damage';
import { expectNoViolations } from './axe';
import { expect, test } from './fixtures';

// The app opens on its first screen (Today); a restart into recovery mode has no library to wait for.
test.use({ startOnLibrary: false });

test('a damaged database shows the recovery screen, and restoring the backup brings the app back', async ({ page, app }) => {
  test.skip(app.host !== 'web', 'the web host runs here; the Electron binary cannot be downloaded');
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();

  // The first start took today's backup; then one page of the questions table goes bad while the app is stopped.
  const after = await app.restart({ beforeStart: (dataDir) => void overwritePageOf(join(dataDir, 'study.sqlite'), 'questions') });
  const heading = after.getByRole('heading', { level: 1, name: 'Your study data file is damaged' });
  await expect(heading).toBeFocused();
  await expect(after.getByText(join(app.dataDir, 'study.sqlite'), { exact: true })).toBeVisible();
  await expectNoViolations(after, 'recovery screen');

  // Keyboard only: the first control after the heading is the restore button.
  await after.keyboard.press('Tab');
  const restore = after.getByRole('button', { name: /^Restore the backup from/ });
  await expect(restore).toBeFocused();
  await after.keyboard.press('Enter');

  const restored = after.getByRole('heading', { level: 1, name: 'Your data was restored' });
  await expect(restored).toBeFocused();
  await expect(after.getByText(/The damaged file was kept at/)).toBeVisible();
  await expectNoViolations(after, 'recovery outcome');

  await after.keyboard.press('Tab');
  await expect(after.getByRole('button', { name: 'Continue to Study Desk' })).toBeFocused();
  await after.keyboard.press('Enter');
  await expect(after.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await expect(after.getByRole('region', { name: 'Start something new' }).getByRole('link')).toHaveCount(3);
});
