/**
 * Settings and secrets written by the core process when the host's disk is full (Electron's case: core writes through
 * to the main process). The forked core process under plain Node, with host stores whose writes throw ENOSPC as
 * electron-store does on a full disk: the caller gets `storage_full`, nothing saved before is lost, and core's mirror
 * shows what the host really holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreProcess, HostStores } from '../../electron/core/process/host';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../../electron/core/process/fork';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const running: CoreProcess[] = [];
afterEach(async () => {
  for (const core of running.splice(0)) await core.close();
});

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/** The plain-Node host's stores, whose every write fails with ENOSPC while `full` is set (and saves nothing). */
function fillableStores(): HostStores & ReturnType<typeof createMemoryHostStores> & { full: boolean } {
  const stores = createMemoryHostStores();
  const state = { full: false };
  const guard = <A extends unknown[], R>(write: (...args: A) => R) => (...args: A): R => {
    if (state.full) throw enospc();
    return write(...args);
  };
  return Object.assign(state, {
    ...stores,
    settings: { ...stores.settings, set: guard(stores.settings.set), setValue: guard(stores.settings.setValue) },
    secrets: { ...stores.secrets, set: guard(stores.secrets.set), delete: guard(stores.secrets.delete) },
  });
}

async function startCore() {
  const stores = fillableStores();
  const core = await forkCoreProcess({ dataDir: tempDir(), host: 'electron', appVersion: '0.0.0-fork' }, stores);
  running.push(core);
  return { api: connectStudyApi(core).api, stores };
}

describe('store writes through a full disk', () => {
  it('answers storage_full to settings:set, keeps the saved settings, and saves once there is room', async () => {
    const { api, stores } = await startCore();
    expect(await api.settingsSet({ singleKeyShortcuts: false })).toMatchObject({ ok: true });
    expect(stores.settings.get().singleKeyShortcuts).toBe(false);

    stores.full = true;
    const refused = await api.settingsSet({ welcomeDismissed: true, singleKeyShortcuts: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage_full', message: expect.stringMatching(/disk is full/i) } });
    // What was saved before is still there, in the host and in what core answers.
    expect(stores.settings.get()).toMatchObject({ welcomeDismissed: false, singleKeyShortcuts: false });
    expect(await api.settingsGet({})).toMatchObject({ ok: true, value: { welcomeDismissed: false, singleKeyShortcuts: false } });

    stores.full = false;
    expect(await api.settingsSet({ welcomeDismissed: true })).toMatchObject({ ok: true, value: { welcomeDismissed: true } });
    expect(stores.settings.get().welcomeDismissed).toBe(true);
  });

  it('answers storage_full when a value or a secret cannot be saved (the tutor provider and its key), keeping the previous ones', async () => {
    const { api, stores } = await startCore();
    const first = { kind: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:9/v1', model: 'first-model', apiKey: 'sk-first-key-0123456789' };
    expect(await api.tutorProviderSet(first)).toMatchObject({ ok: true, value: { model: 'first-model', hasApiKey: true } });

    stores.full = true;
    const refused = await api.tutorProviderSet({ model: 'second-model', apiKey: 'sk-second-key-0123456789' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    expect(stores.secretValues.get('tutor.apiKey')).toBe(first.apiKey);
    expect(await api.tutorProviderGet({})).toMatchObject({ ok: true, value: { model: 'first-model', hasApiKey: true } });

    // Removing the key on a full disk fails too, and the key stays.
    expect(await api.tutorProviderSet({ apiKey: null })).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    expect(await api.tutorProviderGet({})).toMatchObject({ ok: true, value: { hasApiKey: true } });

    stores.full = false;
    expect(await api.tutorProviderSet({ model: 'second-model' })).toMatchObject({ ok: true, value: { model: 'second-model' } });
  });

  it('answers requests that write nothing as before while the disk is full', async () => {
    const { api, stores } = await startCore();
    stores.full = true;
    expect(await api.settingsGet({})).toMatchObject({ ok: true });
    expect(await api.appInfo({})).toMatchObject({ ok: true, value: { host: 'electron' } });
  });
});
