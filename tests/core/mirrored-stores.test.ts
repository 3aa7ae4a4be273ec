/**
 * The core process's mirror of the host's stores, without a process: which request a write's failure reaches, and
 * which host value the mirror takes back when acks of several writes to one key come in order.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../electron/core/ports';
import type { StoreWrite } from '../../electron/core/process/protocol';
import { createMirroredStores } from '../../electron/core/process/stores';

const full = { code: 'storage_full' as const, message: 'The disk is full: nothing was saved.' };

function mirror() {
  const posted: Array<{ seq: number; write: StoreWrite }> = [];
  const stores = createMirroredStores({ settings: defaultSettings, values: { kept: 'old' }, secrets: {}, secretsRefusal: null }, (seq, write) =>
    posted.push({ seq, write }),
  );
  return { stores, posted };
}

describe('the mirrored stores', () => {
  it('fails the request whose write the host could not save, and only that one', async () => {
    const { stores, posted } = mirror();
    const failing = stores.track(async () => {
      stores.settings.setValue('kept', 'new');
      return 'answer';
    });
    const other = stores.track(async () => 'read only');
    await expect(other).resolves.toBe('read only');
    expect(posted).toHaveLength(1);
    stores.acknowledge({ seq: posted[0]!.seq, error: full, current: 'old' });
    await expect(failing).rejects.toMatchObject({ code: 'storage_full', message: full.message });
    expect(stores.settings.getValue('kept')).toBe('old');
  });

  it('takes the host value back only from the ack of the latest write to that key', async () => {
    const { stores, posted } = mirror();
    const first = stores.track(async () => stores.settings.setValue('kept', 'first'));
    const second = stores.track(async () => stores.settings.setValue('kept', 'second'));
    // The first failed (the host kept "old"), the second is still on its way: the mirror keeps the newer value.
    stores.acknowledge({ seq: posted[0]!.seq, error: full, current: 'old' });
    await expect(first).rejects.toMatchObject({ code: 'storage_full' });
    expect(stores.settings.getValue('kept')).toBe('second');
    stores.acknowledge({ seq: posted[1]!.seq, error: null, current: 'second' });
    await expect(second).resolves.toBeUndefined();
    expect(stores.settings.getValue('kept')).toBe('second');
  });

  it('puts back the saved settings and secrets after a refused write', async () => {
    const { stores, posted } = mirror();
    const settingsWrite = stores.track(async () => stores.settings.set({ welcomeDismissed: true }));
    const secretWrite = stores.track(async () => stores.secrets.set('token', 'abc'));
    stores.acknowledge({ seq: posted[0]!.seq, error: full, current: defaultSettings });
    stores.acknowledge({ seq: posted[1]!.seq, error: full, current: null });
    await expect(settingsWrite).rejects.toMatchObject({ code: 'storage_full' });
    await expect(secretWrite).rejects.toMatchObject({ code: 'storage_full' });
    expect(stores.settings.get().welcomeDismissed).toBe(defaultSettings.welcomeDismissed);
    expect(stores.secrets.get('token')).toBeNull();
  });
});
