/** The Today feature's state: what the learner should do now, loaded each time the screen opens. */
import { create } from 'zustand';
import type { Today } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type TodayState = {
  today: Today | null;
  /** True until a load answers (the screen loads on arrival): "Loading…", not "could not be loaded", at first. */
  loading: boolean;
  /** Asks core again; gives what it said, or null after showing the error. */
  load: () => Promise<Today | null>;
};

export const useToday = create<TodayState>((set) => ({
  today: null,
  loading: true,
  load: async () => {
    set({ loading: true });
    const today = await request(() => api.todayGet({}), 'Could not load what is due today');
    set({ loading: false, ...(today ? { today } : {}) });
    return today;
  },
}));
