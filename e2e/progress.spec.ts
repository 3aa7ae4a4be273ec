/** Progress you can see: the review heatmap (keyboard grid, text names, table), per-skill bars and links to skills. */
import { expectNoViolations } from './axe';
import { expect, test } from './fixtures';

test('a review shows in the heatmap, which the keyboard walks day by day; skill rows link to their skill', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Library', exact: true }).click();
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Computing Fundamentals/ }).click();
  await tree.getByRole('treeitem', { name: /^Binary numbers/ }).click();
  await page.getByRole('button', { name: 'Start practice' }).click();
  await page.getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Check answer' }).click();
  await expect(page.locator('#feedback-heading')).toBeVisible();

  await nav.getByRole('link', { name: 'Progress', exact: true }).click();
  const grid = page.getByRole('grid', { name: 'Reviews per day' });
  await expect(grid).toBeVisible();
  await expect(grid.getByRole('row')).toHaveCount(7);
  const today = grid.locator('[role="gridcell"][tabindex="0"]');
  await expect(today).toHaveText(/^1 review on /);
  await expect(grid.locator('[role="gridcell"][tabindex]')).toHaveCount(371);

  await today.focus();
  await page.keyboard.press('ArrowLeft');
  const weekBefore = grid.locator('[role="gridcell"]:focus');
  await expect(weekBefore).toHaveText(/^No reviews on /);
  await expect(weekBefore).toHaveAttribute('tabindex', '0');
  await expect(grid.locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('Control+End');
  await expect(grid.locator('[role="gridcell"]:focus')).toHaveText(/^1 review on /);

  await page.getByText('Reviews per day as a table').click();
  const table = page.getByRole('table', { name: 'Days with reviews, newest first' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('cell')).toHaveText(['1']);

  await expectNoViolations(page, 'the progress screen');

  const skills = page.getByRole('table', { name: 'Progress per skill' });
  await expect(skills.getByRole('row', { name: /Binary numbers/ }).locator('.progress-bar')).toBeVisible();
  await skills.getByRole('link', { name: 'Binary numbers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Binary numbers' })).toBeFocused();
});
