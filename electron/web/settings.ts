/** SettingsStore for the web host: a JSON file in the data folder, validated; a corrupt file is kept aside and defaults used. */
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppFailure, isStorageFull } from '../../shared/errors';
import { settingsSchema, type Settings } from '../../shared/ipc/contract';
import { defaultSettings, type SettingsStore } from '../core/ports';
import { privateFileMode, protectDataDir } from '../core/private-data';

export const settingsFileName = 'settings.json';

const settingsFileSchema = z.object({
  settings: settingsSchema,
  values: z.record(z.string(), z.unknown()),
});
type SettingsFile = z.infer<typeof settingsFileSchema>;

export function createFileSettingsStore(dataDir: string, now: () => number = Date.now): SettingsStore {
  protectDataDir(dataDir);
  const file = join(dataDir, settingsFileName);
  let state = load(file, now);
  // Memory changes only once the file has it, so a failed write leaves both as they were.
  const save = (next: SettingsFile): void => {
    writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, privateFileMode);
    state = next;
  };
  return {
    get: () => state.settings,
    set(patch) {
      const settings: Settings = settingsSchema.parse({ ...state.settings, ...patch });
      save({ ...state, settings });
      return settings;
    },
    getValue<T>(key: string): T | undefined {
      return state.values[key] as T | undefined;
    },
    setValue(key, value) {
      save({ ...state, values: { ...state.values, [key]: value } });
    },
  };
}

function load(file: string, now: () => number): SettingsFile {
  const fresh: SettingsFile = { settings: defaultSettings, values: {} };
  if (!existsSync(file)) return fresh;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const settings = typeof raw.settings === 'object' && raw.settings !== null ? raw.settings : {};
    // Missing fields (an older file) take their defaults; wrong ones make the file corrupt.
    return settingsFileSchema.parse({ settings: { ...defaultSettings, ...settings }, values: raw.values ?? {} });
  } catch (err) {
    const keptAt = `${file}.corrupt-${now()}`;
    copyFileSync(file, keptAt);
    console.warn(`Study Desk: ${file} could not be read (${(err as Error).message.split('\n')[0]}); using default settings. The old file was kept at ${keptAt}.`);
    return fresh;
  }
}

/**
 * Write to a temporary file then rename, so a crash never leaves half a file. A failed write removes the temporary
 * file and leaves the old one whole; a full disk becomes `storage_full`, naming the file.
 */
export function writeFileAtomic(file: string, contents: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents, { mode });
    // The mode given at creation is masked by umask, and a leftover temporary file keeps its old one: set it.
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    if (isStorageFull(err)) throw new AppFailure('storage_full', `The disk is full: ${file} could not be saved, so nothing was changed. Free some space and try again.`);
    throw err;
  }
}
