/** The tutor's provider settings as the renderer may see them (never the key: only whether one is stored), and the connection test. */
import { create } from 'zustand';
import type { ConnectionTest, ProviderSettings, ProviderSettingsPatch } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request, requestForForm, type FormAnswer } from '../shell/request';

/** The fields of tutor:providerSet's and tutor:testConnection's input that the form types: core's refusals are shown on them. */
export const providerFields = ['baseUrl', 'model', 'apiKey'] as const;
export type ProviderFormErrors = Partial<Record<(typeof providerFields)[number], string>>;
type ProviderAnswer<T> = FormAnswer<T, (typeof providerFields)[number]>;

type ProviderState = {
  provider: ProviderSettings | null;
  saving: boolean;
  testing: boolean;
  test: ConnectionTest | null;
  load: () => Promise<void>;
  /**
   * Stores `patch`: the settings stored, or the fields core refused; null when it failed otherwise (the error is shown)
   * or a save was already running.
   */
  save: (patch: ProviderSettingsPatch) => Promise<ProviderAnswer<ProviderSettings> | null>;
  /**
   * Probes the stored provider with `draft`'s fields (the form's unsaved values) in their place: the result, or the
   * fields core refused; null after showing why the test itself could not run, or when a test was already running.
   */
  testConnection: (draft: ProviderSettingsPatch) => Promise<ProviderAnswer<ConnectionTest> | null>;
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
    if (get().saving) return null;
    set({ saving: true, test: null });
    const answer = await requestForForm(() => api.tutorProviderSet(patch), 'The tutor settings were not saved', providerFields);
    set({ saving: false, ...(answer && 'value' in answer ? { provider: answer.value } : {}) });
    return answer;
  },
  testConnection: async (draft) => {
    if (get().testing) return null;
    set({ testing: true, test: null });
    const answer = await requestForForm(() => api.tutorTestConnection(draft), 'Could not test the connection', providerFields);
    set({ testing: false, test: answer && 'value' in answer ? answer.value : null });
    return answer;
  },
}));
