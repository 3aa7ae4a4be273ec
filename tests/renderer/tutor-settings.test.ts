/**
 * Settings → Tutor with the real component in a real Chromium: Test connection probes what the form holds (saved or
 * not), names the models the server lists, "Tutor settings saved." goes once the form changes, and a length only core
 * checks is shown on the field it names.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/core/ipc/handlers';
import { dispatch } from '../../electron/core/ipc/handlers';
import { answerHost, componentPagesForFile, focusedElement, heldAnswer, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement } from 'react';
  import { createRoot } from 'react-dom/client';
  import { ProviderSettings } from ${JSON.stringify(join(rendererSrc, 'tutor/ProviderSettings.tsx'))};
  import { useShell } from ${JSON.stringify(join(rendererSrc, 'shell/shellStore.ts'))};
  window.settingsTest = { createElement, createRoot, ProviderSettings, useShell };
`;

const pageWith = componentPagesForFile(entry);

// A host whose stored settings point at a saved server; each test and save is recorded in window.calls.
const studyApi = `(() => {
  const models = Array.from({ length: 25 }, (_, i) => 'model-' + (i + 1));
  let stored = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1111/v1', model: 'model-1', hasApiKey: false };
  window.calls = { tests: [], saves: [] };
  return {
    tutorProviderGet: async () => ({ ok: true, value: stored }),
    tutorProviderSet: async (patch) => {
      window.calls.saves.push(patch);
      stored = { ...stored, ...patch, hasApiKey: false };
      return { ok: true, value: stored };
    },
    tutorTestConnection: async (draft) => {
      window.calls.tests.push(draft);
      return { ok: true, value: { ok: true, models, modelFound: true, error: null } };
    },
  };
})()`;

/** A host as above, whose test and save stay under way until the test answers them (answerHost). */
const slowApi = `(() => {
  const host = ${studyApi};
  return {
    ...host,
    tutorProviderSet: ${heldAnswer("{ ok: true, value: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1111/v1', model: 'model-1', hasApiKey: false } }")},
    tutorTestConnection: (draft) => {
      window.calls.tests.push(draft);
      return window.hostAnswered.then(() => ({ ok: true, value: { ok: false, models: [], modelFound: false, error: { code: 'network', message: 'The server did not answer.' } } }));
    },
  };
})()`;

async function openSettings(host = studyApi): Promise<Page> {
  const page = await pageWith(host, '<main><div id="root"></div></main>');
  await page.evaluate(`(() => {
    const t = window.settingsTest;
    t.createRoot(document.getElementById('root')).render(t.createElement(t.ProviderSettings));
  })()`);
  await page.getByRole('textbox', { name: 'Base URL' }).waitFor({ timeout: 5000 });
  return page;
}

describe('Settings → Tutor', () => {
  it('Test connection probes the unsaved form, after the same checks as Save', async () => {
    const page = await openSettings();
    await page.getByRole('textbox', { name: 'Base URL' }).fill('http://127.0.0.1:2222/v1');
    await page.getByRole('textbox', { name: 'API key (optional)' }).fill('  sk-pasted  ');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.evaluate('window.calls.tests')).toEqual([
      { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:2222/v1', model: 'model-1', apiKey: 'sk-pasted' },
    ]);
    await page.getByRole('radio', { name: 'None: the offline tutor' }).check();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.evaluate('window.calls.tests.at(-1)')).toEqual({ kind: 'offline' });

    await page.getByRole('radio', { name: 'An OpenAI-compatible server' }).check();
    await page.getByRole('textbox', { name: 'Base URL' }).fill('not an address');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Base URL: enter an address such as').waitFor({ timeout: 5000 });
    expect(await page.evaluate('window.calls.tests.length')).toBe(2);
    expect(await page.evaluate('document.activeElement.id')).toBe('tutor-base-url');
    expect(await page.evaluate('window.calls.saves')).toEqual([]);
    await page.close();
  });

  it('names the first 20 models the server lists and how many more', async () => {
    const page = await openSettings();
    await page.getByRole('button', { name: 'Test connection' }).click();
    const list = page.getByRole('list', { name: 'Models the server lists' });
    await expect.poll(() => list.getByRole('listitem').allTextContents()).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `model-${i + 1}`),
      'and 5 more',
    ]);
    await page.getByText('Connected. The server lists 25 models, including the chosen one.').waitFor({ timeout: 5000 });
    await page.close();
  });

  it('Test connection keeps the focus while it runs and after it fails; a second press while it runs tests nothing more', async () => {
    const page = await openSettings(slowApi);
    const button = page.getByRole('button', { name: 'Test connection' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Testing…').waitFor({ timeout: 5000 });
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await focusedElement(page)).toBe('Test connection');
    await page.keyboard.press('Enter');
    await answerHost(page);
    await page.getByText('Not connected: The server did not answer.').waitFor({ timeout: 5000 });
    expect(await focusedElement(page)).toBe('Test connection');
    expect(await button.getAttribute('aria-disabled')).toBeNull();
    expect(await page.evaluate('window.calls.tests.length')).toBe(1);
    await page.close();
  });

  it('Save tutor settings keeps the focus while it saves', async () => {
    const page = await openSettings(slowApi);
    const button = page.getByRole('button', { name: 'Save tutor settings' });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('true');
    expect(await focusedElement(page)).toBe('Save tutor settings');
    await answerHost(page);
    await page.getByText('Tutor settings saved.').waitFor({ timeout: 5000 });
    expect(await focusedElement(page)).toBe('Save tutor settings');
    await page.close();
  });

  it('"Tutor settings saved." goes once the form changes', async () => {
    const page = await openSettings();
    await page.getByRole('button', { name: 'Save tutor settings' }).click();
    const saved = page.getByText('Tutor settings saved.');
    await saved.waitFor({ timeout: 5000 });
    await page.getByRole('textbox', { name: 'Model' }).fill('model-2');
    await saved.waitFor({ state: 'detached', timeout: 5000 });
    await page.close();
  });

  it.each([
    ['tutor:providerSet', 'Save tutor settings', 'Base URL', 'tutor-base-url', { baseUrl: `http://127.0.0.1:1111/${'x'.repeat(2048)}` }],
    ['tutor:providerSet', 'Save tutor settings', 'Model', 'tutor-model', { model: 'm'.repeat(257) }],
    ['tutor:testConnection', 'Test connection', 'API key', 'tutor-api-key', { apiKey: 'k'.repeat(4097) }],
    ['tutor:testConnection', 'Test connection', 'Base URL', 'tutor-base-url', { baseUrl: `http://127.0.0.1:1111/${'x'.repeat(2048)}` }],
  ])('%s (%s): a length only core checks is refused on the %s field, which takes the focus, not in the error region', async (channel, button, label, fieldId, typed) => {
    // What the form sends, and core's own refusal of it (refused input never reaches a handler).
    const sent = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1111/v1', model: 'model-1', ...typed };
    const refused = await dispatch({} as Handlers, channel, sent);
    expect(refused.ok).toBe(false);
    const answer = `(patch) => { window.sent = patch; return Promise.resolve(${JSON.stringify(refused)}); }`;
    const page = await openSettings(`{ ...${studyApi}, tutorProviderSet: ${answer}, tutorTestConnection: ${answer} }`);
    const labels: Record<string, string> = { baseUrl: 'Base URL', model: 'Model', apiKey: 'API key (optional)' };
    for (const [key, value] of Object.entries(typed)) await page.getByLabel(labels[key]!, { exact: true }).fill(value);
    await page.getByRole('button', { name: button }).click();
    await expect.poll(() => focusedElement(page)).toBe(fieldId);
    expect(await page.evaluate('window.sent')).toEqual(sent);
    const field = page.locator(`#${fieldId}`);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toBe(`${fieldId}-error`);
    const message = page.locator(`#${fieldId}-error`);
    expect(await message.textContent()).toBe(refused.ok ? null : refused.error.message);
    expect(await message.textContent()).toMatch(new RegExp(`^${label} must have at most \\d+ characters\\.$`));
    expect(await page.evaluate('window.settingsTest.useShell.getState().errors')).toEqual([]);
    // Nothing is said to be saved or tested.
    expect(await page.locator('.status-text').allTextContents()).toEqual(['', '']);
    await page.close();
  });
});
