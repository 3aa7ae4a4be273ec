/** Which server sync talks to: the URL and anon key, kept in the host's settings store. */
import { syncConfigSchema } from '../../../shared/ipc/contract';
import type { SettingsStore } from '../ports';

export const SYNC_URL_SETTING = 'sync.url';
export const SYNC_ANON_KEY_SETTING = 'sync.anonKey';

export interface SyncConfig {
  url: string;
  anonKey: string;
}

export function readSyncConfig(settings: SettingsStore): SyncConfig | null {
  const url = settings.getValue<string>(SYNC_URL_SETTING);
  const anonKey = settings.getValue<string>(SYNC_ANON_KEY_SETTING);
  return url && anonKey ? { url, anonKey } : null;
}

/** Validates and stores a new configuration; the URL loses trailing slashes so the same server compares equal. */
export function saveSyncConfig(settings: SettingsStore, input: { url: string; anonKey: string }): SyncConfig {
  const parsed = syncConfigSchema.parse(input);
  const config = { url: parsed.url.replace(/\/+$/, ''), anonKey: parsed.anonKey };
  settings.setValue(SYNC_URL_SETTING, config.url);
  settings.setValue(SYNC_ANON_KEY_SETTING, config.anonKey);
  return config;
}
