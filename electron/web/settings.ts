/** SettingsStore for the web host: a JSON file in the data folder, validated; a corrupt file is kept aside and defaults used. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { settingsSchema, type Settings } from '../../shared/ipc/contract';
import { defaultSettings, type SettingsStore } from '../core/ports';

export const settingsFileName = 'settings.json';

const settingsFileSchema = z.object({
  settings: settingsSchema,
  values: z.record(z.string(), z.unknown()),
});
type SettingsFile = z.infer<typeof settingsFileSchema>;

export function createFileSettingsStore(dataDir: string, now: () => number = Date.now): SettingsStore {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, settingsFileName);
  let state = load(file, now);
  const save = (): void => writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o644);
  return {
    get: () => state.settings,
    set(patch) {
      const settings: Settings = settingsSchema.parse({ ...state.settings, ...patch });
      state = { ...state, settings };
      save();
      return settings;
    },
    getValue<T>(key: string): T | undefined {
      return state.values[key] as T | undefined;
    },
    setValue(key, value) {
      state = { ...state, values: { ...state.values, [key]: value } };
      save();
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

/** Write to a temporary file then rename, so a crash never leaves half a file. */
export function writeFileAtomic(file: string, contents: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode });
  renameSync(temporary, file);
}
