/** What core needs from its host: time, ids, settings and secrets, injected so tests and hosts supply their own. */
import type { Settings } from '../../shared/ipc/contract';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Non-secret settings (electron-store in Electron, a JSON file in the web host). */
export interface SettingsStore {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
  /** Free-form host-level values that are not learner settings (Supabase URL and anon key, …). */
  getValue<T>(key: string): T | undefined;
  setValue(key: string, value: unknown): void;
}

/** Secrets (refresh token, provider keys): encrypted at rest by the host (safeStorage in Electron). */
export interface SecretStore {
  get(name: string): string | null;
  /** Throws AppFailure('secret_storage_unavailable') where secrets cannot be stored safely. */
  set(name: string, value: string): void;
  delete(name: string): void;
}

export const defaultSettings: Settings = {
  theme: 'system',
  assistiveMode: false,
  singleKeyShortcuts: true,
  timeZone: 'UTC',
  rolloverHour: 4,
  desiredRetention: 0.9,
  dailyReviewLimit: 100,
  welcomeDismissed: false,
  showInstructorTools: null,
};
