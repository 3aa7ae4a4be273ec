/** Findings of a new-user trial (issue 12), each checked in the real renderer. */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function goTo(page: Page, screen: string): Promise<void> {
  await nav(page).getByRole('link', { name: screen, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
}

/** The focused element is inside the viewport and nothing (such as a sticky header) is drawn over its centre. */
async function focusedIsVisible(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const name = `${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return `${name} is outside the viewport`;
    const x = Math.min(innerWidth - 1, Math.max(0, r.left + r.width / 2));
    const y = Math.min(innerHeight - 1, Math.max(0, r.top + Math.min(r.height, 8) / 2));
    const top = document.elementFromPoint(x, y);
    return top && (el.contains(top) || top.contains(el)) ? 'ok' : `${name} is covered by ${top?.tagName.toLowerCase() ?? 'nothing'}`;
  });
}

async function openSkill(page: Page, domain: RegExp, skill: RegExp): Promise<void> {
  await goTo(page, 'Library');
  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  const domainRow = tree.getByRole('treeitem', { name: domain });
  // The library remembers open domains: open it only if it is closed.
  if ((await domainRow.getAttribute('aria-expanded')) !== 'true') await domainRow.click();
  await tree.getByRole('treeitem', { name: skill }).click();
}

async function turnSingleKeysOff(page: Page): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByRole('checkbox', { name: 'Single-key shortcuts' }).uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
}

test('1. at 400 % zoom (320×256) every focused element stays visible, and Progress and Settings do not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 256 });
  for (const screen of ['Library', 'Progress', 'Settings']) {
    await goTo(page, screen);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${screen} scrolls sideways`).toBeLessThanOrEqual(0);
    await page.getByRole('heading', { level: 1, name: screen }).focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const verdict = await focusedIsVisible(page);
      if (verdict === null) break;
      expect(verdict, `${screen}, tab stop ${i + 1}`).toBe('ok');
    }
  }
});

test('2. without a server the header says calmly that work is saved here, and shows no pending count after answering', async ({ page }) => {
  const status = page.getByRole('region', { name: 'Sync status' });
  await expect(status).toHaveText(/Sync is not set up: everything is saved on this device/);
  await openSkill(page, /^Computing Fundamentals/, /^Binary numbers/);
  await page.getByRole('button', { name: 'Start practice' }).click();
  await page.getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Check answer' }).click();
  await expect(page.locator('#feedback-heading')).toBeVisible();
  await expect(status).not.toContainText(/waiting|upload|changes?/i);
});

test('3 and 5. with single-key shortcuts off: no key badges or number-key help, no ? on the header, Alt+1 not called a single key', async ({ page }) => {
  await openSkill(page, /^Computing Fundamentals/, /^Binary numbers/);
  await page.getByRole('button', { name: 'Start practice' }).click();
  await expect(page.locator('.choice-key').first()).toBeVisible();
  await expect(page.locator('kbd.choice-key')).not.toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toHaveAttribute('aria-keyshortcuts', '?');

  await turnSingleKeysOff(page);
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).not.toHaveAttribute('aria-keyshortcuts', /./);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.getByRole('row', { name: /Alt\+1/ })).not.toContainText('single key');
  await expect(dialog.getByRole('row', { name: /G then L/ })).toContainText('single key, off');
  await page.keyboard.press('Escape');

  await openSkill(page, /^Computing Fundamentals/, /^Binary numbers/);
  await page.getByRole('button', { name: 'Start practice' }).click();
  await expect(page.getByRole('radio').first()).toBeVisible();
  await expect(page.locator('.choice-key')).toHaveCount(0);
  await expect(page.locator('#mcq-help')).not.toContainText('number keys');
});

test('4. focus stays on Save settings and Save server while saving', async ({ page }) => {
  await goTo(page, 'Settings');
  const save = page.getByRole('button', { name: 'Save settings' });
  await save.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
  await expect(save).toBeFocused();

  await page.getByRole('textbox', { name: 'Server URL' }).fill('http://127.0.0.1:9');
  await page.getByRole('textbox', { name: 'Anon key' }).fill('anon-key');
  const saveServer = page.getByRole('button', { name: 'Save server' });
  await saveServer.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Server saved\.|The server was not saved/).first()).toBeVisible();
  await expect(saveServer).toBeFocused();
});

test('7. a theme is previewed, then kept only by Save, or put back', async ({ page }) => {
  await goTo(page, 'Settings');
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('radio', { name: 'High contrast' }).check();
  await expect(html).toHaveAttribute('data-theme', 'high-contrast');
  await expect(page.getByRole('status').filter({ hasText: 'Previewing High contrast' })).toBeVisible();
  await page.getByRole('button', { name: /^Go back to / }).click();
  await expect(html).toHaveAttribute('data-theme', before!);

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await goTo(page, 'Progress');
  await expect(html).toHaveAttribute('data-theme', before!);

  await goTo(page, 'Settings');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.', { exact: true }).first()).toBeVisible();
  await goTo(page, 'Progress');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // 10: the saved message belongs to Settings; it is not left in the status region of the next screen.
  await expect(page.locator('main > [role="status"].visually-hidden')).toHaveText('');
});

async function outlineStyle(locator: Locator): Promise<string> {
  return locator.evaluate((el) => getComputedStyle(el).outlineStyle);
}

test('8. a heading focused after a click shows no outline; after a key press it shows one', async ({ page }) => {
  await nav(page).getByRole('link', { name: 'Progress', exact: true }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Progress' });
  await expect(heading).toBeFocused();
  expect(await outlineStyle(heading)).toBe('none');

  // A keyboard user follows a link with Enter: the heading the app then focuses shows where focus went.
  const settingsLink = nav(page).getByRole('link', { name: 'Settings', exact: true });
  await settingsLink.focus();
  await page.keyboard.press('Enter');
  const settings = page.getByRole('heading', { level: 1, name: 'Settings' });
  await expect(settings).toBeFocused();
  expect(await outlineStyle(settings)).toBe('solid');
});

test('9. feedback marks the right answer with a label, and choosing does not move the layout', async ({ page }) => {
  await openSkill(page, /^Computing Fundamentals/, /^Binary numbers/);
  await page.getByRole('button', { name: 'Start practice' }).click();
  const choices = page.locator('.choices .choice');
  await expect(choices.first()).toBeVisible();
  const boxesBefore = await choices.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  await page.getByRole('radio').nth(1).check();
  const boxesAfter = await choices.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(boxesAfter).toEqual(boxesBefore);

  await page.getByRole('button', { name: 'Check answer' }).click();
  await expect(page.locator('#feedback-heading')).toBeVisible();
  const right = page.locator('.choice.is-right');
  await expect(right).toHaveCount(1);
  await expect(right).toContainText('correct answer');
});

test('10. a malformed practice address says the session does not exist, with a way back; the tree marks the selected row and Space works', async ({ page }) => {
  await page.goto(new URL('#/practice/abc', page.url()).href);
  await expect(page.getByText('That session doesn’t exist.')).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('Invalid input');
  await page.getByRole('link', { name: 'Back to the library' }).click();

  const tree = page.getByRole('tree', { name: 'Domains and skills' });
  const algebra = tree.getByRole('treeitem', { name: /^Algebra/ });
  await algebra.focus();
  await expect(algebra).toHaveAttribute('aria-selected', 'true');
  await expect(tree.locator('[role="treeitem"][aria-selected="true"]')).toHaveCount(1);
  await page.keyboard.press(' ');
  await expect(algebra).toHaveAttribute('aria-expanded', 'true');
});
