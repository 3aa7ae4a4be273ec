/**
 * The recorder when the microphone cannot be used (Chromium here has no microphone and grants none): pressing Start
 * recording says why, as an alert, gives focus back to the button, and the learner can still type the answer. axe clean.
 */
import { expectNoViolations } from './axe';
import { expect, test } from './fixtures';

const PROMPT = 'Tell me about a time you solved a difficult problem.';

test('without a usable microphone the recorder says why and the answer can still be typed', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drills', exact: true }).click();
  await page.getByRole('link', { name: PROMPT }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('radio', { name: 'Say it aloud (record)' }).check();

  const startRecording = page.getByRole('button', { name: 'Start recording' });
  await startRecording.focus();
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert').filter({ hasText: /microphone/i });
  await expect(alert).toBeVisible({ timeout: 20_000 });
  await expect(alert).toHaveText(/(refused|No microphone was found|could not be (started|used)).*type your answer instead/i);
  await expect(startRecording).toBeFocused();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeDisabled();
  // The timer shows but is never a live region.
  await expect(page.getByRole('timer').first()).toHaveAttribute('aria-live', 'off');
  await expectNoViolations(page, 'a drill whose microphone failed');

  // Typing instead works.
  await page.getByRole('radio', { name: 'Type it' }).check();
  await page.getByRole('textbox', { name: 'Your answer' }).fill('First I listed the tasks, then I cut two features, and as a result we shipped on time.');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Drill result' })).toBeVisible({ timeout: 30_000 });
});
