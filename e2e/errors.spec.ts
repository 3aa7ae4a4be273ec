/** Wrong links and refused requests read as sentences with a way on; a screen is never left blank. */
import { expect, test } from './fixtures';

const unknownId = '01900000-0000-7000-8000-000000000000';

test('a link to a skill that does not exist says so and offers the library', async ({ page, app }) => {
  await page.goto(new URL(`#/skill/${unknownId}`, app.url).href);
  await expect(page.getByRole('heading', { level: 1, name: 'Skill' })).toBeVisible();
  await expect(page.getByText('This skill is not in the library.')).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Back to the library' }).click();
  await expect(page.getByRole('tree', { name: 'Domains and skills' })).toBeVisible();
});

test('a session the main side does not know shows its message, not a blank screen', async ({ page, app }) => {
  await page.goto(new URL(`#/practice/${unknownId}`, app.url).href);
  await expect(page.getByText('That session doesn’t exist.')).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('[object');
  await expect(page.getByRole('main')).not.toContainText('Invalid input');
  await expect(page.getByRole('main').getByRole('link', { name: 'Back to the library' })).toBeVisible();
});

test('a finished session reopened after a reload shows its summary again', async ({ page }) => {
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  await tree.getByRole('treeitem', { name: /^Algebra/ }).click();
  await tree.getByRole('treeitem', { name: /^Exponents/ }).click();
  await page.getByRole('button', { name: 'Start practice' }).click();
  await page.getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Check answer' }).click();
  await page.getByRole('button', { name: 'Next question' }).click();
  await page.getByRole('button', { name: 'End session now' }).click();
  await page.getByRole('button', { name: 'End and see the summary' }).click();
  await expect(page.getByRole('region', { name: 'Session complete' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Practice: Exponents' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Session complete' })).toBeVisible();
});
