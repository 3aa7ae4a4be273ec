/** Pure wording of sync: the status in plain words, and the checks on the server form before anything is sent. */
import { asSentence } from '../../../shared/sentence';
import type { SyncStatus } from '../../../shared/ipc/contract';

export type SyncDescription = { headline: string; details: string[] };

/** The status as a learner would say it; `formatTime` renders UTC ms in their time zone. */
export function describeSync(status: SyncStatus, formatTime: (utcMs: number) => string): SyncDescription {
  const details: string[] = [];
  let headline: string;
  // Studying offline is normal: without a server nothing is "waiting", so no counts that read as unsaved work.
  if (!status.configured || status.state === 'disabled') return { headline: 'Sync is not set up: everything is saved on this device', details: [] };
  else if (status.state === 'offline') headline = 'Offline: your work is kept on this computer';
  else if (status.state === 'syncing') {
    headline = status.download ? describeDownload(status.download) : 'Syncing…';
  } else if (status.state === 'error') headline = 'Sync failed';
  else if (!status.signedInEmail) headline = 'Not signed in';
  else headline = status.pendingCount === 0 ? 'Up to date' : 'Waiting to sync';

  if (status.pendingCount > 0) details.push(`${status.pendingCount} ${status.pendingCount === 1 ? 'change' : 'changes'} waiting to upload`);
  if (status.deadCount > 0) details.push(`${status.deadCount} ${status.deadCount === 1 ? 'change' : 'changes'} could not be uploaded`);
  if (status.deviceOnlyCount > 0) {
    const n = status.deviceOnlyCount;
    details.push(
      `${n} ${n === 1 ? 'change stays' : 'changes stay'} on this device only: practice on a local pack or the built-in sample, which the server does not have`,
    );
  }
  details.push(status.lastSyncUtcMs === null ? 'Never synced' : `Last synced ${formatTime(status.lastSyncUtcMs)}`);
  if (status.outboxNearLimit) {
    details.push(
      `The upload queue is nearly full (${status.pendingCount} of ${status.outboxLimit}): connect and sync so no change has to wait`,
    );
  }
  if (status.lastError) details.push(`Last error: ${status.lastError}`);
  return { headline, details };
}

/**
 * What to announce when a status event arrives: "Sync started." as a run the learner asked for begins (not when it
 * ends), and how any run ended. Null when nothing worth saying changed.
 */
export function syncAnnouncement(before: SyncStatus | null, after: SyncStatus, learnerAsked: boolean): string | null {
  if (!before || before.state === after.state) return null;
  if (after.state === 'syncing') return learnerAsked ? 'Sync started.' : null;
  if (after.state === 'idle') return 'Sync finished.';
  // The words the status bar shows for a failure, not the state's internal name ("Sync: error.").
  return after.state === 'error' ? 'Sync failed.' : `Sync: ${after.state}.`;
}

/** The details as one run of sentences, each ending once: a server's error message may bring its own full stop. */
export function detailsAsSentences(details: string[]): string {
  return details.map(asSentence).join(' ');
}

/** Content download progress; the server does not say how much there is in all, so the total is often unknown. */
export function describeDownload(download: NonNullable<SyncStatus['download']>): string {
  const { done, total } = download;
  if (total === null) return `Downloading content… ${done} ${done === 1 ? 'item' : 'items'} so far`;
  return `Downloading content… ${done} of ${total} ${total === 1 ? 'item' : 'items'}`;
}

/** The inputs of sync:configure and of sync:signUp / sync:signIn: the forms' fields, where core's refusals are shown too. */
export const serverFields = ['url', 'anonKey'] as const;
export const accountFields = ['email', 'password'] as const;
export type ServerFormErrors = Partial<Record<(typeof serverFields)[number], string>>;

/**
 * Checks the server address and anon key; a message per field, naming what is wrong and what to enter instead. Their
 * lengths are the contract's to check (core's refusal is shown on the field).
 */
export function validateServerForm(url: string, anonKey: string): ServerFormErrors {
  const errors: ServerFormErrors = {};
  const trimmed = url.trim();
  if (trimmed === '') errors.url = 'Server URL is empty. Enter the project address, for example https://abcd.supabase.co.';
  else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(trimmed);
    } catch {
      parsed = null;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hostname === '') {
      errors.url = `Server URL “${trimmed.slice(0, 80)}” is not a web address. Enter one starting with https://, for example https://abcd.supabase.co.`;
    } else if (parsed.username || parsed.password) {
      errors.url = 'Server URL must not contain a user name or password.';
    }
  }
  if (anonKey.trim() === '') errors.anonKey = 'Anon key is empty. Copy the anon (public) key from the project’s API settings.';
  return errors;
}

export type AccountFormErrors = Partial<Record<(typeof accountFields)[number], string>>;

/**
 * Checks the account form before anything is sent; a message per wrong field. The email check asks for a dotted domain
 * ending in letters, as core's contract does (a test keeps them in step): an address core refuses got past it
 * ("name@gmail", "a@b.c") and came back as "Invalid input for sync:signUp: email: …". The longest lengths are the
 * contract's to check (core's refusal is shown on the field).
 */
export function validateAccountForm(email: string, password: string): AccountFormErrors {
  const errors: AccountFormErrors = {};
  if (!/^[^\s@]+@([^\s@.]+\.)+[A-Za-z]{2,}$/.test(email.trim())) errors.email = 'Email: enter an address such as name@example.com.';
  if (password.length < 6) errors.password = 'Password: use at least 6 characters.';
  return errors;
}
