import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { dispatch } from '../../electron/core/ipc/handlers';
import { createFileSecretStore } from '../../electron/web/secrets';
import { createFileSettingsStore } from '../../electron/web/settings';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

function startCore(dataDir: string): Core {
  return createCore({
    dataDir,
    host: 'web',
    appVersion: '0.0.0-test',
    settings: createFileSettingsStore(dataDir),
    secrets: createFileSecretStore(dataDir),
  });
}

describe('core', () => {
  it('loads the embedded pack on first start only', async () => {
    const dir = tempDir();
    const first = startCore(dir);
    const info = await dispatch(first.handlers, 'app:info', {});
    expect(info).toMatchObject({ ok: true, value: { questionCount: 106 } });
    await first.close();
    const second = startCore(dir);
    expect(await dispatch(second.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { questionCount: 106 } });
    await second.close();
  });

  it('refuses bad settings with an error naming the field and keeps what was saved', async () => {
    const dir = tempDir();
    const core = startCore(dir);
    expect(await dispatch(core.handlers, 'settings:set', { timeZone: 'Europe/Paris', theme: 'dark' })).toMatchObject({ ok: true });

    const unknownZone = await dispatch(core.handlers, 'settings:set', { timeZone: 'Mars/Olympus_Mons' });
    expect(unknownZone).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { path: 'timeZone' } } });
    expect(unknownZone.ok || unknownZone.error.message).toMatch(/timeZone/);

    const unknownTheme = await dispatch(core.handlers, 'settings:set', { theme: 'neon' });
    expect(unknownTheme.ok || unknownTheme.error.message).toMatch(/theme/);
    const unknownField = await dispatch(core.handlers, 'settings:set', { fontSize: 40 });
    expect(unknownField.ok).toBe(false);

    expect(await dispatch(core.handlers, 'settings:get', {})).toMatchObject({ ok: true, value: { timeZone: 'Europe/Paris', theme: 'dark' } });
    await core.close();
    // And after a restart, from the file.
    const reopened = startCore(dir);
    expect(await dispatch(reopened.handlers, 'settings:get', {})).toMatchObject({ ok: true, value: { timeZone: 'Europe/Paris', theme: 'dark' } });
    await reopened.close();
  });
});
