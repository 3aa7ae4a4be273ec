/**
 * Starting and reloading the app: no failed request (the icon included) and no console error. In the web host, a
 * second browser without the session cookie gets the "open the link printed in the terminal" page, never the app.
 */
import type { ConsoleMessage, Response } from '@playwright/test';
import { expect, test, waitForAppReady } from './fixtures';

test('a reload shows the app again with no failed request and no console error, icon included', async ({ page, app }) => {
  const failed: string[] = [];
  const consoleErrors: string[] = [];
  const onResponse = (response: Response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  };
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  };
  page.on('response', onResponse);
  page.on('console', onConsole);
  // A reload keeps working: the session cookie, not the used launch link, carries it.
  await page.reload();
  await waitForAppReady(page);
  if (app.host === 'web') {
    const icon = await page.request.get(new URL('/favicon.ico', app.url).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/x-icon');
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.ico');
  }
  expect(failed).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('a second browser without the session gets the "open the link" page, not the app', async ({ page, app }) => {
  test.skip(app.host !== 'web', 'Only the web host is reachable by other browsers.');
  const other = await page.context().browser()!.newContext();
  try {
    const stranger = await other.newPage();
    const response = await stranger.goto(app.url);
    expect(response?.status()).toBe(401);
    await expect(stranger.getByRole('heading', { level: 1 })).toHaveText('Open Study Desk with the link printed in the terminal');
    expect(await stranger.content()).not.toContain('study-token');
  } finally {
    await other.close();
  }
});
