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
  /**
   * A route change: the message said on the screen left stays in the polite region long enough to be spoken, then the
   * region empties, or shows what the new screen said meanwhile.
   */
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
 * How long a message stays in the polite region after a route change before the region empties or moves on. Chromium
 * hands a change to the screen reader with a later accessibility update, and a message gone by then is never spoken;
 * once handed on, emptying the region does not cut it off.
 */
export const announcementHoldMs = 1000;
const announceDelayMs = 50;

// The one polite region's timers: the message about to be shown, and the end of a left screen's message's hold.
let showTimer: number | undefined;
let holdTimer: number | undefined;
let shownAtMs = 0;
/** From a route change until the message said before it has been held: then the region empties or shows `nextMessage`. */
let holding = false;
/** The latest message said meanwhile (on the new screen), and whether its screen was left too. */
let nextMessage: string | null = null;
let nextMessageLeft = false;

/** Ends the hold once the region's message has been there `announcementHoldMs`; a message still to be shown calls it again. */
function holdShown(): void {
  if (showTimer !== undefined || holdTimer !== undefined) return;
  holdTimer = window.setTimeout(() => {
    holdTimer = undefined;
    holding = false;
    const [next, left] = [nextMessage, nextMessageLeft];
    nextMessage = null;
    if (next === null) {
      useShell.setState({ politeMessage: '' });
      return;
    }
    useShell.getState().announce(next);
    if (left) useShell.getState().leaveScreenMessages();
  }, Math.max(0, shownAtMs + announcementHoldMs - Date.now()));
}

export const useShell = create<ShellState>((set, get) => ({
  politeMessage: '',
  errors: [],
  helpOpen: false,
  appInfo: null,
  screenReady: false,
  headingFocusPending: false,
  announce: (message) => {
    if (holding) {
      nextMessage = message;
      nextMessageLeft = false;
      return;
    }
    // On one screen the latest message wins over one not shown yet.
    window.clearTimeout(showTimer);
    // Clearing first makes a repeated message count as a change, so screen readers speak it again.
    set({ politeMessage: '' });
    showTimer = window.setTimeout(() => {
      showTimer = undefined;
      shownAtMs = Date.now();
      set({ politeMessage: message });
      if (holding) holdShown();
    }, announceDelayMs);
  },
  leaveScreenMessages: () => {
    if (nextMessage !== null) nextMessageLeft = true;
    holding = true;
    holdShown();
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
