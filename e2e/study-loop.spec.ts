/**
 * The study loop in Chromium: Today as the first screen with its first-run welcome, a practice session ended early
 * (confirmed) whose summary lists the answers, then a keyboard-only review session of what is due, with the optional
 * Easy rating, and axe on each new screen.
 */
import type { Page } from '@playwright/test';
import { expectNoViolations } from './axe';
import { tabTo } from './keyboard';
import { expect, test } from './fixtures';

test.use({ startOnLibrary: false });

/** Answers the question on screen with the keyboard only: an MCQ with a number key, a reorder question as it stands. */
async function answerByKeyboard(page: Page, choiceKey: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 2, name: /^Question \d+ of \d+$/ })).toBeFocused();
  if ((await page.getByRole('radio').count()) > 0) {
    await page.keyboard.press(choiceKey);
    await page.keyboard.press('Enter');
  } else {
    await tabTo(page, page.getByRole('button', { name: 'Check answer' }));
    await page.keyboard.press('Enter');
  }
  await expect(page.getByRole('region', { name: /^(Correct|Not quite)$/ })).toBeFocused();
}

test('Today is the first screen, with a welcome that is dismissed once and remembered', async ({ page, app }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  const welcome = page.getByRole('region', { name: 'Welcome to Study Desk' });
  await expect(welcome).toContainText('works offline');
  await expect(welcome.getByRole('link', { name: 'Sync' })).toBeVisible();
  await expect(welcome).toContainText('Tutor');
  await expect(page.getByRole('region', { name: 'Reviews due today' })).toContainText('Nothing is due');
  await expect(page.getByRole('region', { name: 'Start something new' }).getByRole('link')).toHaveCount(3);
  await expect(page.getByRole('region', { name: 'Your day' })).toContainText('0 / 1000 XP to level 1');
  await expectNoViolations(page, 'Today with the welcome');

  await tabTo(page, welcome.getByRole('button', { name: 'Got it, hide this welcome' }));
  await page.keyboard.press('Enter');
  await expect(welcome).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeFocused();

  const reloaded = await app.restart();
  await expect(reloaded.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await expect(reloaded.getByRole('region', { name: 'Reviews due today' })).toBeVisible();
  await expect(reloaded.getByRole('region', { name: 'Welcome to Study Desk' })).toHaveCount(0);
});

test('a keyboard-only learner practises, ends early, reads the summary, then reviews what is due from Today', async ({ page }) => {
  const newSkills = page.getByRole('region', { name: 'Start something new' });

  await test.step('from Today to a new skill and a practice session', async () => {
    await tabTo(page, newSkills.getByRole('link').first());
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await tabTo(page, page.getByRole('button', { name: 'Start practice' }));
    await page.keyboard.press('Enter');
  });

  await test.step('answer two questions, one right and one wrong as it happens, then end early with confirmation', async () => {
    for (const key of ['1', '2']) {
      await answerByKeyboard(page, key);
      await page.keyboard.press('Tab');
      await expect(page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ })).toBeFocused();
      await page.keyboard.press('Enter');
    }
    await tabTo(page, page.getByRole('button', { name: 'End session now' }));
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('region', { name: 'End the session now?' });
    await expect(confirm.getByRole('heading', { name: 'End the session now?' })).toBeFocused();
    await expect(confirm).toContainText('not counted as wrong');
    await expectNoViolations(page, 'end-early confirmation');
    await tabTo(page, confirm.getByRole('button', { name: 'End and see the summary' }));
    await page.keyboard.press('Enter');
  });

  await test.step('the summary explains the score and lists both answers, missed first', async () => {
    const summary = page.getByRole('region', { name: 'Session complete' });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('You ended the session early.');
    await expect(summary).toContainText(/of 2 answered questions\)/);
    await expect(summary).toContainText(/not answered: not counted in the score/);
    await expect(summary).toContainText(/\d+ \/ 1000 XP to level 1/);
    const answers = summary.getByRole('list', { name: /^Your answers/ }).locator(':scope > li');
    await expect(answers).toHaveCount(2);
    const verdicts = await answers.locator('.answer-verdict').allInnerTexts();
    expect(verdicts).toEqual([...verdicts].sort((a, b) => (a === 'Missed' ? -1 : b === 'Missed' ? 1 : 0)));
    for (const verdict of verdicts.keys()) await expect(answers.nth(verdict)).toContainText('Your answer');
    if (verdicts.includes('Missed')) {
      await expect(answers.first()).toContainText('Right answer');
      await expect(summary.getByRole('button', { name: 'Practise the missed ones again' })).toBeVisible();
    }
    await expectNoViolations(page, 'summary with answers');
    await tabTo(page, summary.getByRole('link', { name: 'Back to Today' }));
    await page.keyboard.press('Enter');
  });

  await test.step('Today offers the two answered questions for review, and a keyboard-only review session', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeFocused();
    const reviews = page.getByRole('region', { name: 'Reviews due today' });
    await expect(reviews).toContainText('2 questions to review now');
    await expect(page.getByRole('region', { name: 'Continue where you left off' })).toHaveCount(0);
    await expectNoViolations(page, 'Today with reviews due');
    await tabTo(page, reviews.getByRole('button', { name: 'Start reviews' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible();

    let rated = false;
    const summary = page.getByRole('region', { name: 'Session complete' });
    for (let n = 0; n < 4; n++) {
      await answerByKeyboard(page, '1');
      const feedback = page.getByRole('region', { name: /^(Correct|Not quite)$/ });
      if ((await feedback.getByRole('heading', { name: 'Correct' }).count()) > 0 && !rated) {
        // Optional and keyboard-reachable: Easy instead of Good.
        await tabTo(page, feedback.getByRole('button', { name: 'Easy' }));
        await page.keyboard.press('Enter');
        await expect(feedback.getByRole('status')).toHaveText('Rated Easy: it comes back later.');
        await expect(feedback.getByRole('button', { name: 'Easy' })).toHaveAttribute('aria-pressed', 'true');
        await expectNoViolations(page, 'review feedback with the rating');
        rated = true;
      }
      const next = page.getByRole('button', { name: /^(Next question|Finish and see your score)$/ });
      await tabTo(page, next);
      // Decided before the key: the summary appears a moment after it, so looking for it then could miss it.
      const finishing = (await next.innerText()).trim() === 'Finish and see your score';
      await page.keyboard.press('Enter');
      if (finishing) break;
    }
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(/of 2 answered questions\)/);
    // Offered only while reviews are left today: a question missed just now may be due again today, or may not.
    await expect(summary.getByRole('button', { name: 'Review more' }).or(summary.getByText('No more reviews are left for today.'))).toBeVisible();
  });
});
