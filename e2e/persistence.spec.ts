/** What a learner answered is still there after the host stops and starts again on the same data folder. */
import { expect, test } from './fixtures';

test('answers and progress survive a host restart', async ({ page, app }) => {
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Algebra/ }).click();
  await tree.getByRole('treeitem', { name: /^Linear equations/ }).click();
  await page.getByRole('button', { name: 'Start practice' }).click();

  // Answer two questions with the first option, then end the session early.
  for (let i = 1; i <= 2; i++) {
    // The previous question stays on screen until the next arrives; its first option is already checked, so wait for the new one.
    await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Question ${i} of`) })).toBeFocused();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Check answer' }).click();
    await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
    await page.getByRole('button', { name: 'Next question' }).click();
  }
  await page.getByRole('button', { name: 'End session now' }).click();
  await page.getByRole('button', { name: 'End and see the summary' }).click();
  const summary = page.getByRole('region', { name: 'Session complete' });
  await expect(summary).toContainText(/correct of 2 answered/);
  const totalXp = (await summary.locator('dt:text-is("Total XP") + dd').innerText()).trim();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Progress', exact: true }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(1);
  const before = (await history.getByRole('listitem').textContent()) ?? '';
  expect(before).toMatch(/^Linear equations, practice, score \d+%, started /);

  const after = await app.restart();

  await after.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Progress', exact: true }).click();
  await expect(after.getByRole('heading', { level: 1, name: 'Progress' })).toBeVisible();
  await expect(after.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveText([before]);
  await expect(after.locator('dt:text-is("XP") + dd')).toHaveText(totalXp);
  await expect(after.locator('dt:text-is("Practice, test and review sessions this week") + dd')).toHaveText('1');
  const row = after.getByRole('table', { name: 'Progress per skill' }).getByRole('row', { name: /Linear equations/ });
  await expect(row).toContainText(/of 2/);
});
