/** The settings feature's state: the learner's settings, applied to the document (theme, assistive mode) as they load or change. */
import { create } from 'zustand';
import type { Settings } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type SettingsState = {
  settings: Settings | null;
  saving: boolean;
  load: () => Promise<void>;
  save: (changes: Partial<Settings>) => Promise<boolean>;
};

const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

/** The stylesheet knows light, dark and high-contrast; "system" follows the OS's colour scheme. */
function resolvedTheme(theme: Settings['theme']): Exclude<Settings['theme'], 'system'> {
  if (theme !== 'system') return theme;
  return darkScheme.matches ? 'dark' : 'light';
}

/** Theme and assistive mode live on <html> so the stylesheet can follow them. */
export function applyToDocument(settings: Settings): void {
  const root = document.documentElement;
  root.dataset.theme = resolvedTheme(settings.theme);
  root.dataset.assistive = String(settings.assistiveMode);
}

// Until the settings arrive the app follows the OS, as the default "system" theme does.
document.documentElement.dataset.theme = resolvedTheme('system');

export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  saving: false,
  load: async () => {
    const settings = await request(() => api.settingsGet({}), 'Could not load your settings');
    if (!settings) return;
    applyToDocument(settings);
    set({ settings });
  },
  save: async (changes) => {
    set({ saving: true });
    const settings = await request(() => api.settingsSet(changes), 'Your settings were not saved');
    set({ saving: false });
    if (!settings) return false;
    applyToDocument(settings);
    set({ settings });
    return true;
  },
}));

darkScheme.addEventListener('change', () => {
  const { settings } = useSettings.getState();
  if (settings?.theme === 'system') applyToDocument(settings);
});
