/**
 * The sync feature's state: status (kept live from the main side's events), dead letters, the content-updated notice,
 * and the "connectivity regained" trigger (the browser's `online` event).
 */
import { create } from 'zustand';
import type { DeadLetter, EventPayload, SyncStatus } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request, requestForForm, type FormAnswer } from '../shell/request';
import { useShell } from '../shell/shellStore';
import { shouldSyncOnReconnect } from './reconnect';
import { accountFields, serverFields, syncAnnouncement, type AccountFormErrors, type ServerFormErrors } from './syncText';

type SyncState = {
  status: SyncStatus | null;
  deadLetters: DeadLetter[] | null;
  contentUpdate: EventPayload<'content:updated'> | null;
  busy: boolean;
  load: () => Promise<void>;
  /** Listens to the main side's events and the browser's `online` event; returns the unsubscribe. */
  subscribe: () => () => void;
  syncNow: () => Promise<void>;
  /** The network came back: asks core for a run without waiting for it (status events tell how it goes). */
  syncOnReconnect: () => Promise<void>;
  /**
   * Saves the server and checks, at the same time, that it answers as a Supabase project with this key: what the check
   * found wrong, if anything (saved anyway: the learner may be offline); the fields core refused; or null when it was not
   * saved for another reason (the error is shown).
   */
  configure: (url: string, anonKey: string) => Promise<{ problem: string | null } | { refused: ServerFormErrors } | null>;
  /**
   * The status after it (not signed in when the server first asks to confirm the address), or the fields core refused,
   * or null after showing why it failed.
   */
  signUp: (email: string, password: string) => Promise<FormAnswer<SyncStatus, keyof AccountFormErrors> | null>;
  signIn: (email: string, password: string) => Promise<FormAnswer<SyncStatus, keyof AccountFormErrors> | null>;
  signOut: () => Promise<void>;
  loadDeadLetters: () => Promise<void>;
  retryDead: (ids: string[]) => Promise<void>;
  discardDead: (ids: string[]) => Promise<void>;
  dismissContentUpdate: () => void;
};

export const useSync = create<SyncState>((set, get) => {
  /** Runs a call that answers a new status; returns it, the form's `fields` core refused, or null after showing why the call failed. */
  const withStatus = async <Field extends string = never>(
    call: () => ReturnType<typeof api.syncStatus>,
    context: string,
    fields: readonly Field[] = [],
  ): Promise<FormAnswer<SyncStatus, Field> | null> => {
    set({ busy: true });
    const answer = await requestForForm(call, context, fields);
    set({ busy: false, ...(answer && 'value' in answer ? { status: answer.value } : {}) });
    return answer;
  };
  /** Set by "Sync now" until its run starts, so "Sync started." is said then, and only for a run the learner asked for. */
  let learnerAskedSync = false;

  return {
    status: null,
    deadLetters: null,
    contentUpdate: null,
    busy: false,
    load: async () => {
      await withStatus(() => api.syncStatus({}), 'Could not read the sync status');
    },
    subscribe: () => {
      const offStatus = api.on('sync:status', (status) => {
        const before = get().status;
        set({ status });
        const announcement = syncAnnouncement(before, status, learnerAskedSync);
        if (status.state === 'syncing') learnerAskedSync = false;
        if (announcement) useShell.getState().announce(announcement);
        if (before && status.deadCount !== before.deadCount && get().deadLetters !== null) void get().loadDeadLetters();
      });
      // The banner's own polite region speaks the update; a second announcement here would only talk over it.
      const offContent = api.on('content:updated', (payload) => set({ contentUpdate: payload }));
      const onOnline = () => void get().syncOnReconnect();
      window.addEventListener('online', onOnline);
      return () => {
        offStatus();
        offContent();
        window.removeEventListener('online', onOnline);
      };
    },
    syncNow: async () => {
      learnerAskedSync = true;
      await withStatus(() => api.syncNow({}), 'Sync did not run');
      learnerAskedSync = false;
    },
    syncOnReconnect: async () => {
      if (!shouldSyncOnReconnect(get().status)) return;
      // No error message on failure: nobody clicked anything, and the status bar says how the run went.
      const result = await api.syncTrigger({ reason: 'online' }).catch(() => null);
      if (result?.ok) set({ status: result.value });
    },
    configure: async (url, anonKey) => {
      const config = { url: url.trim(), anonKey: anonKey.trim() };
      // A check that could not run at all is not shown: its failure would repeat the save's (the same way to core), and the
      // check only adds a warning to a save.
      const [saved, problem] = await Promise.all([
        withStatus(() => api.syncConfigure(config), 'The server was not saved', serverFields),
        api.syncCheckServer(config).then(
          (check) => (check.ok ? check.value.problem : null),
          () => null,
        ),
      ]);
      return saved && 'value' in saved ? { problem } : saved;
    },
    signUp: (email, password) => withStatus(() => api.syncSignUp({ email, password }), 'Could not create the account', accountFields),
    signIn: (email, password) => withStatus(() => api.syncSignIn({ email, password }), 'Could not sign in', accountFields),
    signOut: async () => {
      if (await withStatus(() => api.syncSignOut({}), 'Could not sign out')) useShell.getState().announce('Signed out.');
    },
    loadDeadLetters: async () => {
      const deadLetters = await request(() => api.syncDeadLetters({}), 'Could not list the changes that failed to upload');
      if (deadLetters) set({ deadLetters });
    },
    retryDead: async (ids) => {
      const done = await request(() => api.syncRetryDead({ ids }), 'Could not retry');
      if (!done) return;
      set({ status: done.status });
      // Core says how many it really requeued: another window may have handled some already.
      useShell.getState().announce(done.changed === 1 ? 'Queued for another try.' : `${done.changed} changes queued for another try.`);
      await get().loadDeadLetters();
    },
    discardDead: async (ids) => {
      const done = await request(() => api.syncDiscardDead({ ids }), 'Could not discard');
      if (!done) return;
      set({ status: done.status });
      useShell.getState().announce(done.changed === 1 ? 'Change discarded.' : `${done.changed} changes discarded.`);
      await get().loadDeadLetters();
    },
    dismissContentUpdate: () => set({ contentUpdate: null }),
  };
});
