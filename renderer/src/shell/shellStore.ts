/** The shell's state: live announcements, errors shown to the learner, the shortcuts dialog and readiness. */
import { create } from 'zustand';
import type { AppError } from '../../../shared/errors';
import type { AppInfo } from '../../../shared/ipc/contract';

export type ShownError = { id: number; message: string };

type ShellState = {
  politeMessage: string;
  errors: ShownError[];
  helpOpen: boolean;
  appInfo: AppInfo | null;
  screenReady: boolean;
  /** Set by a navigation: the next screen heading to mount takes focus. */
  headingFocusPending: boolean;
  announce: (message: string) => void;
  showError: (error: AppError, context?: string) => void;
  dismissError: (id: number) => void;
  setHelpOpen: (open: boolean) => void;
  setAppInfo: (info: AppInfo) => void;
  markScreenReady: () => void;
  setHeadingFocusPending: (pending: boolean) => void;
};

let nextErrorId = 1;

export const useShell = create<ShellState>((set, get) => ({
  politeMessage: '',
  errors: [],
  helpOpen: false,
  appInfo: null,
  screenReady: false,
  headingFocusPending: false,
  announce: (message) => {
    // Clearing first makes a repeated message count as a change, so screen readers speak it again.
    set({ politeMessage: '' });
    window.setTimeout(() => set({ politeMessage: message }), 50);
  },
  showError: (error, context) => {
    const message = context ? `${context}: ${error.message}` : error.message;
    // Keep the last few only: a flood of identical failures must not bury the page.
    const errors = [...get().errors.filter((e) => e.message !== message), { id: nextErrorId++, message }].slice(-3);
    set({ errors });
  },
  dismissError: (id) => set({ errors: get().errors.filter((e) => e.id !== id) }),
  setHelpOpen: (open) => set({ helpOpen: open }),
  setAppInfo: (info) => set({ appInfo: info }),
  markScreenReady: () => set({ screenReady: true }),
  setHeadingFocusPending: (pending) => set({ headingFocusPending: pending }),
}));
