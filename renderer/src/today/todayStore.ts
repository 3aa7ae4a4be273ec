/** The Today feature's state: what the learner should do now, loaded each time the screen opens. */
import { create } from 'zustand';
import type { Today } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type TodayState = {
  today: Today | null;
  /** Asks core again; gives what it said, or null after showing the error. */
  load: () => Promise<Today | null>;
};

export const useToday = create<TodayState>((set) => ({
  today: null,
  load: async () => {
    const today = await request(() => api.todayGet({}), 'Could not load what is due today');
    if (today) set({ today });
    return today;
  },
}));
