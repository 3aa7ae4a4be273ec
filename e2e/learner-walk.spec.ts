/** A learner who uses only the keyboard: finds a skill in the tree, practises an MCQ and a reorder question, finishes, sees progress. */
import { tabTo } from './keyboard';
import { expect, test } from './fixtures';

test('a keyboard-only learner finds a skill, practises both question types, finishes and sees progress', async ({ page }) => {
  const tree = page.getByRole('tree', { name: 'Domains and skills' });

  await test.step('skip link, then into the tree', async () => {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    await tabTo(page, tree.getByRole('treeitem').first());
    await expect(tree.getByRole('treeitem', { name: /^Algebra/ })).toBeFocused();
  });

  await test.step('type-ahead and arrow keys find “Binary numbers”', async () => {
    await page.keyboard.press('c');
    const computing = tree.getByRole('treeitem', { name: /^Computing Fundamentals/ });
    await expect(computing).toBeFocused();
    await expect(computing).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(computing).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await expect(tree.getByRole('treeitem', { name: /^Algebra/ })).toBeFocused();
    await page.keyboard.type('bin');
    const skill = tree.getByRole('treeitem', { name: /^Binary numbers/ });
    await expect(skill).toBeFocused();
    await expect(skill).toHaveAttribute('aria-level', '2');
    await expect(skill).toContainText('0% mastered');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Binary numbers' })).toBeFocused();
  });

  await test.step('start a practice session', async () => {
    await tabTo(page, page.getByRole('button', { name: 'Start practice' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: /^Question 1 of \d+$/ })).toBeFocused();
  });

  const seen = new Set<string>();
  await test.step('answer every question with the keyboard', async () => {
    const summary = page.getByRole('region', { name: 'Session complete' });
    for (let n = 0; n < 30 && !(await summary.isVisible()); n++) {
      await expect(page.getByRole('heading', { level: 2, name: /^Question \d+ of \d+$/ })).toBeFocused();
      const radios = page.getByRole('radio');
      if ((await radios.count()) > 0) {
        seen.add('mcq');
        // Number key 2 chooses the second option and moves focus to it; Enter submits.
        await page.keyboard.press('2');
        await expect(radios.nth(1)).toBeChecked();
        await expect(radios.nth(1)).toBeFocused();
        await page.keyboard.press('Enter');
      } else {
        seen.add('reorder');
        const first = page.getByRole('list', { name: /./ }).getByRole('listitem').first().getByRole('button').first();
        const firstText = (await first.innerText()).replace(/^\d+\.\s*/, '');
        await tabTo(page, first);
        await page.keyboard.press('Space');
        await expect(page.getByRole('button', { pressed: true })).toBeFocused();
        await page.keyboard.press('ArrowDown');
        await expect(page.getByRole('status').filter({ hasText: 'moved to position 2' })).toContainText(firstText);
        await page.keyboard.press('Space');
        await expect(page.getByRole('button', { pressed: true })).toHaveCount(0);
        // Back up, then Tab straight out: the list is one tab stop, and leaving it drops the step and says so.
        await page.keyboard.press('Space');
        await page.keyboard.press('ArrowUp');
        await expect(page.getByRole('status').filter({ hasText: 'moved to position 1' })).toContainText(firstText);
        await page.keyboard.press('Tab');
        await expect(page.getByRole('button', { name: 'Check answer' })).toBeFocused();
        await expect(page.getByRole('status').filter({ hasText: `Dropped “${firstText}” at position 1` })).toHaveCount(1);
        await expect(page.getByRole('button', { pressed: true })).toHaveCount(0);
        await expect(page.getByRole('list', { name: /./ }).getByRole('listitem').first()).toContainText(firstText);
        await page.keyboard.press('Enter');
      }
      const feedback = page.getByRole('region', { name: /^(Correct|Not quite)$/ });
      await expect(feedback).toBeFocused();
      await expect(feedback).toContainText(/answered/);
      await page.keyboard.press('Tab');
      await expect(page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ })).toBeFocused();
      await page.keyboard.press('Enter');
      // Focus lands on the next question's heading, or on the summary after the last one.
      await expect(page.locator('#question-heading:focus, [aria-labelledby="summary-heading"]:focus')).toHaveCount(1);
    }
    expect([...seen].sort()).toEqual(['mcq', 'reorder']);
  });

  let totalXp = '';
  await test.step('the summary shows the score and leads on', async () => {
    const summary = page.getByRole('region', { name: 'Session complete' });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(/Score: \d+%/);
    totalXp = (await summary.locator('dt:text-is("Total XP") + dd').innerText()).trim();
    await tabTo(page, summary.getByRole('link', { name: 'Back to the library' }));
    await tabTo(page, summary.getByRole('link', { name: 'See your progress' }));
    await page.keyboard.press('Enter');
  });

  await test.step('progress shows the session', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Progress' })).toBeFocused();
    await expect(page.locator('dt:text-is("Practice, test and review sessions this week") + dd')).toHaveText('1');
    await expect(page.locator('dt:text-is("XP") + dd')).toHaveText(totalXp);
    await expect(page.getByRole('table', { name: 'Progress per skill' }).getByRole('rowheader', { name: 'Binary numbers' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('region', { name: 'History' })).toContainText(/Binary numbers, practice, score \d+%/);
  });

  await test.step('G then L goes back to the library, where the skill has progressed', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeFocused();
    // The tree remembers where the learner was: its one tab stop is still the skill just practised.
    await tabTo(page, tree.getByRole('treeitem', { name: /^Binary numbers/ }));
    await page.keyboard.press('ArrowLeft');
    await expect(tree.getByRole('treeitem', { name: /^Computing Fundamentals/ })).toBeFocused();
  });
});
