/**
 * The core process's SettingsStore and SecretStore: reads from the host's snapshot, writes applied here and sent to the
 * host, which acknowledges each one. A request's handler runs inside `track`: once it has finished, its writes' acks are
 * awaited, and a write the host could not save (a full disk) fails the request with the host's AppError instead of
 * answering ok. The mirror then takes the host's value back, so it shows what is really saved.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AppFailure, type AppError } from '../../../shared/errors';
import { settingsSchema, type Settings } from '../../../shared/ipc/contract';
import type { SecretStore, SettingsStore } from '../ports';
import type { StoreAck, StoreSnapshot, StoreWrite } from './protocol';

export interface MirroredStores {
  settings: SettingsStore;
  secrets: SecretStore;
  /** The host's answer to the write of that seq. */
  acknowledge(ack: StoreAck): void;
  /** Runs one request; resolves with its result once the host saved every write it made, or rejects with the host's error. */
  track<T>(run: () => Promise<T>): Promise<T>;
}

/** Writes to the same thing share a key: only the ack of its latest write may set the mirror back. */
function keyOf(write: StoreWrite): string {
  if (write.store === 'settings') return 'settings';
  return write.store === 'value' ? `value:${write.key}` : `secret:${write.name}`;
}

export function createMirroredStores(snapshot: StoreSnapshot, post: (seq: number, write: StoreWrite) => void): MirroredStores {
  let settings = snapshot.settings;
  const values = new Map(Object.entries(snapshot.values));
  const secrets = new Map(Object.entries(snapshot.secrets));
  const requestWrites = new AsyncLocalStorage<Array<Promise<AppError | null>>>();
  const pending = new Map<number, { write: StoreWrite; settle: (error: AppError | null) => void }>();
  const latestSeq = new Map<string, number>();
  let nextSeq = 1;

  const writeThrough = (write: StoreWrite): void => {
    const seq = nextSeq++;
    latestSeq.set(keyOf(write), seq);
    const acked = new Promise<AppError | null>((settle) => pending.set(seq, { write, settle }));
    requestWrites.getStore()?.push(acked);
    post(seq, write);
  };

  /** Sets the mirror to what the host holds (only when no later write to the same thing is on its way). */
  const takeHostValue = (write: StoreWrite, current: unknown): void => {
    if (write.store === 'settings') {
      const parsed = settingsSchema.safeParse(current);
      if (parsed.success) settings = parsed.data as Settings;
    } else if (write.store === 'value') {
      if (current === null || current === undefined) values.delete(write.key);
      else values.set(write.key, current);
    } else if (typeof current === 'string') secrets.set(write.name, current);
    else secrets.delete(write.name);
  };

  return {
    settings: {
      get: () => settings,
      set(patch) {
        // Validated here too, so a bad patch fails the caller instead of the host's write later.
        settings = settingsSchema.parse({ ...settings, ...patch });
        writeThrough({ store: 'settings', patch });
        return settings;
      },
      getValue<T>(key: string): T | undefined {
        return values.get(key) as T | undefined;
      },
      setValue(key, value) {
        values.set(key, value);
        writeThrough({ store: 'value', key, value });
      },
    },
    secrets: {
      get: (name) => secrets.get(name) ?? null,
      set(name, value) {
        if (snapshot.secretsRefusal) throw new AppFailure('secret_storage_unavailable', snapshot.secretsRefusal);
        secrets.set(name, value);
        writeThrough({ store: 'secret', name, value });
      },
      delete(name) {
        secrets.delete(name);
        writeThrough({ store: 'secret', name, value: null });
      },
    },
    acknowledge(ack) {
      const entry = pending.get(ack.seq);
      if (!entry) return;
      pending.delete(ack.seq);
      const key = keyOf(entry.write);
      if (latestSeq.get(key) === ack.seq) {
        latestSeq.delete(key);
        takeHostValue(entry.write, ack.current);
      }
      entry.settle(ack.error);
    },
    async track(run) {
      const writes: Array<Promise<AppError | null>> = [];
      const result = await requestWrites.run(writes, run);
      const failed = (await Promise.all(writes)).find((error) => error !== null);
      if (failed) throw new AppFailure(failed.code, failed.message, failed.details);
      return result;
    },
  };
}
