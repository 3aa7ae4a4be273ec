/** The progress feature's state: the overview of XP, level, streak, per-skill progress and practice history. */
import { create } from 'zustand';
import type { ProgressOverview } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type ProgressState = {
  overview: ProgressOverview | null;
  /** The last load failed (the error region says why): a screen without an overview says so, not "Loading…". */
  failed: boolean;
  load: () => Promise<void>;
};

export const useProgress = create<ProgressState>((set) => ({
  overview: null,
  failed: false,
  load: async () => {
    set({ failed: false });
    const overview = await request(() => api.progressOverview({}), 'Could not load your progress');
    set({ failed: overview === null, ...(overview ? { overview } : {}) });
  },
}));
