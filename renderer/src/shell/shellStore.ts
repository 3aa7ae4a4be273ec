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
  /** A route change: the polite region empties once the message said on the screen left has been in it long enough. */
  leaveScreenMessages: () => void;
  showError: (error: AppError, context?: string) => void;
  dismissError: (id: number) => void;
  setHelpOpen: (open: boolean) => void;
  setAppInfo: (info: AppInfo) => void;
  markScreenReady: () => void;
  setHeadingFocusPending: (pending: boolean) => void;
};

let nextErrorId = 1;

/**
 * How long a message stays in the polite region before a route change may empty it. Chromium hands a change to the
 * screen reader with a later accessibility update, and a message gone by then is never spoken; once handed on, emptying
 * the region does not cut it off.
 */
export const announcementHoldMs = 1000;
const announceDelayMs = 50;

// The one polite region's timers: the message about to be shown, and its emptying after a route change.
let showTimer: number | undefined;
let clearTimer: number | undefined;
let shownAtMs = 0;
let clearWhenHeld = false;

export const useShell = create<ShellState>((set, get) => ({
  politeMessage: '',
  errors: [],
  helpOpen: false,
  appInfo: null,
  screenReady: false,
  headingFocusPending: false,
  announce: (message) => {
    // A message said on the new screen belongs to it: it is not emptied by the route change before it.
    window.clearTimeout(showTimer);
    window.clearTimeout(clearTimer);
    clearTimer = undefined;
    clearWhenHeld = false;
    // Clearing first makes a repeated message count as a change, so screen readers speak it again.
    set({ politeMessage: '' });
    showTimer = window.setTimeout(() => {
      showTimer = undefined;
      shownAtMs = Date.now();
      set({ politeMessage: message });
      if (clearWhenHeld) get().leaveScreenMessages();
    }, announceDelayMs);
  },
  leaveScreenMessages: () => {
    clearWhenHeld = true;
    // A message still to be shown comes back here once it is in the region; an emptying already set keeps its time.
    if (showTimer !== undefined || clearTimer !== undefined) return;
    clearTimer = window.setTimeout(() => {
      clearTimer = undefined;
      clearWhenHeld = false;
      set({ politeMessage: '' });
    }, Math.max(0, shownAtMs + announcementHoldMs - Date.now()));
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
