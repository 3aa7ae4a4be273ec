/** The tutor's provider settings as the renderer may see them (never the key: only whether one is stored), and the connection test. */
import { create } from 'zustand';
import type { ConnectionTest, ProviderSettings, ProviderSettingsPatch } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type ProviderState = {
  provider: ProviderSettings | null;
  saving: boolean;
  testing: boolean;
  test: ConnectionTest | null;
  load: () => Promise<void>;
  /** Stores `patch`; false when it was refused (the error is shown) or a save was already running. */
  save: (patch: ProviderSettingsPatch) => Promise<boolean>;
  /**
   * Probes the stored provider with `draft`'s fields (the form's unsaved values) in their place; the result, or null after
   * showing why the test itself could not run, or when a test was already running.
   */
  testConnection: (draft: ProviderSettingsPatch) => Promise<ConnectionTest | null>;
};

// Save and Test connection stay enabled while they run (so they keep the focus): a second press while one runs does nothing.
export const useProvider = create<ProviderState>((set, get) => ({
  provider: null,
  saving: false,
  testing: false,
  test: null,
  load: async () => {
    const provider = await request(() => api.tutorProviderGet({}), 'Could not load the tutor settings');
    if (provider) set({ provider });
  },
  save: async (patch) => {
    if (get().saving) return false;
    set({ saving: true, test: null });
    const provider = await request(() => api.tutorProviderSet(patch), 'The tutor settings were not saved');
    set({ saving: false, ...(provider ? { provider } : {}) });
    return provider !== null;
  },
  testConnection: async (draft) => {
    if (get().testing) return null;
    set({ testing: true, test: null });
    const test = await request(() => api.tutorTestConnection(draft), 'Could not test the connection');
    set({ testing: false, test });
    return test;
  },
}));
