/**
 * settings:set on a full disk: the real file store hits a real ENOSPC (its temporary file is made to point at Linux's
 * /dev/full, where every write fails with ENOSPC), answers `storage_full`, removes the temporary file and changes nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsHandlers } from '../../electron/core/ipc/features/settings';
import { dispatch } from '../../electron/core/ipc/handlers';
import { createFileSecretStore } from '../../electron/web/secrets';
import { createFileSettingsStore, settingsFileName } from '../../electron/web/settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'study-settings-full-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The next atomic write of `file` by this process goes to a full disk. */
const fillDiskFor = (file: string) => symlinkSync('/dev/full', `${file}.${process.pid}.tmp`);

describe.skipIf(!existsSync('/dev/full'))('a full disk', () => {
  it('answers settings:set with storage_full, removes the temporary file and keeps the saved settings', async () => {
    const settings = createFileSettingsStore(dir);
    settings.set({ theme: 'light' });
    const saved = readFileSync(join(dir, settingsFileName), 'utf8');
    fillDiskFor(join(dir, settingsFileName));

    // dispatch takes the whole handler map; only the settings channels are called here.
    const handlers = createSettingsHandlers(settings);
    const answer = await dispatch(handlers as never, 'settings:set', { theme: 'dark' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'storage_full', message: expect.stringContaining(settingsFileName) } });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, settingsFileName), 'utf8')).toBe(saved);
    // Memory did not move ahead of the file either.
    expect(settings.get().theme).toBe('light');
    expect(createFileSettingsStore(dir).get().theme).toBe('light');

    // Space again: the next write works.
    expect(await dispatch(handlers as never, 'settings:set', { theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(createFileSettingsStore(dir).get().theme).toBe('dark');
  });

  it('fails a host value and a secret the same way', () => {
    const settings = createFileSettingsStore(dir);
    fillDiskFor(join(dir, settingsFileName));
    expect(() => settings.setValue('supabase', { url: 'https://x.supabase.co' })).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(settings.getValue('supabase')).toBeUndefined();
    const secrets = createFileSecretStore(dir);
    fillDiskFor(join(dir, 'secrets.json'));
    expect(() => secrets.set('refresh_token', 'abc')).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
