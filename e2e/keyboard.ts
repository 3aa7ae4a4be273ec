/** How the specs move like a keyboard user: Tab to a control, and the main navigation's links. */
import type { Locator, Page } from '@playwright/test';

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after `maxTabs` presses, so a missing tab stop cannot loop forever. */
export async function tabTo(page: Page, target: Locator, options: { key?: 'Tab' | 'Shift+Tab'; maxTabs?: number } = {}): Promise<void> {
  const { key = 'Tab', maxTabs = 80 } = options;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press(key);
    if ((await target.and(page.locator(':focus')).count()) > 0) return;
  }
  throw new Error(`No tab stop reached ${target.toString()} within ${maxTabs} presses of ${key}.`);
}

/** A link of the main navigation, by its exact name. */
export function nav(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}
