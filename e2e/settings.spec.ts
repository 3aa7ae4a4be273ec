/** Settings: theme, single-key shortcuts and time zone take effect at once and persist across a reload. */
import { expect, test, waitForAppReady } from './fixtures';

test('theme, shortcuts and time zone are applied and kept', async ({ page }) => {
  await test.step('the ? help opens while single-key shortcuts are on, Escape closes it and focus returns', async () => {
    const settingsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true });
    await settingsLink.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await expect(dialog.getByRole('table', { name: 'Practice' })).toContainText('1 to 9');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(settingsLink).toBeFocused();
  });

  await test.step('change and save', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.getByRole('checkbox', { name: 'Single-key shortcuts' }).uncheck();
    await page.getByRole('combobox', { name: 'Time zone' }).selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  await test.step('with single keys off, ? does nothing but Alt+1 still navigates', async () => {
    await page.getByRole('heading', { level: 1, name: 'Settings' }).focus();
    await page.keyboard.press('?');
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await page.keyboard.press('Alt+1');
    await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  });

  await test.step('all three persist across a reload', async () => {
    await page.goto(new URL('#/settings', page.url()).href);
    await page.reload();
    await waitForAppReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Single-key shortcuts' })).not.toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Asia/Tokyo');
  });

  await test.step('times are shown in the chosen zone', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Domains and skills' });
    await tree.getByRole('treeitem', { name: /^Algebra/ }).click();
    await tree.getByRole('treeitem', { name: /^Fractions/ }).click();
    await page.getByRole('button', { name: 'Start test' }).click();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Save answer' }).click();
    await expect(page.getByRole('region', { name: 'Answer saved' })).toBeFocused();
    await page.getByRole('button', { name: 'Next question' }).click();
    await page.getByRole('button', { name: 'End session now' }).click();
    await page.getByRole('button', { name: 'End and see the summary' }).click();
    await expect(page.getByRole('region', { name: 'Session complete' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Progress', exact: true }).click();
    const time = page.getByRole('region', { name: 'History' }).locator('time');
    await expect(time).toHaveCount(1);
    const { shown, expected } = await time.evaluate((el) => ({
      shown: el.textContent,
      expected: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(
        new Date(el.getAttribute('datetime') ?? ''),
      ),
    }));
    expect(shown).toBe(expected);
  });
});

test('the system theme follows the operating system, also when it changes', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
