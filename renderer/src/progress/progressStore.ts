/** The progress feature's state: the overview of XP, level, streak, per-skill progress and practice history. */
import { create } from 'zustand';
import type { ProgressOverview } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type ProgressState = {
  overview: ProgressOverview | null;
  loading: boolean;
  load: () => Promise<void>;
};

export const useProgress = create<ProgressState>((set) => ({
  overview: null,
  loading: false,
  load: async () => {
    set({ loading: true });
    const overview = await request(() => api.progressOverview({}), 'Could not load your progress');
    set({ loading: false, ...(overview ? { overview } : {}) });
  },
}));
