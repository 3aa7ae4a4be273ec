/**
 * Whether a server address and anon key lead to a Supabase project: one short GET of its Auth service's health
 * (`/auth/v1/health`, which a Supabase project answers with a JSON object naming the service), with the key as the
 * gateway expects it. Saving does not wait on it being right (the learner may be offline): the answer is a warning.
 */
import type { SyncServerCheck } from '../../../shared/ipc/contract';
import { asSentence } from '../../../shared/sentence';
import { failedToConnect, serverMessage, type FetchFn } from './http';

/** Long enough for a slow network, short enough that Save server does not seem stuck. */
export const SERVER_CHECK_TIMEOUT_MS = 5_000;

const checkTheAddress = 'Check the address: it is the project URL, such as https://abcd.supabase.co.';

export async function checkSyncServer(
  fetchFn: FetchFn,
  config: { url: string; anonKey: string },
  timeoutMs = SERVER_CHECK_TIMEOUT_MS,
): Promise<SyncServerCheck> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let text: string;
  const healthUrl = `${config.url.trim().replace(/\/+$/, '')}/auth/v1/health`;
  try {
    const response = await fetchFn(healthUrl, {
      headers: { Accept: 'application/json', apikey: config.anonKey, Authorization: `Bearer ${config.anonKey}` },
      signal: controller.signal,
    });
    status = response.status;
    // The time limit covers the body too: a server that stalls mid-answer is not answering.
    text = await response.text();
  } catch (err) {
    const failure = failedToConnect(err, healthUrl, controller.signal.aborted, timeoutMs);
    // No connection made, yet not offline: this machine refuses the address itself (a blocked port), so waiting for
    // the server will not help; the message says what to change.
    if (!failure.reachedServer && !failure.offline) return { ok: false, problem: failure.message };
    return couldNotCheck(failure.message);
  } finally {
    clearTimeout(timer);
  }
  if (status === 401) return { ok: false, problem: 'The server refused the anon key. Copy the anon (public) key again from the project’s API settings.' };
  // Busy or down for now: whether it is a Supabase project cannot be told yet.
  if (status === 408 || status === 429 || status >= 500) return couldNotCheck(`HTTP ${status}: ${serverMessage(text)}`);
  if (status !== 200) return { ok: false, problem: `The server answered, but not as a Supabase project does (HTTP ${status}). ${checkTheAddress}` };
  return namesAService(text) ? { ok: true, problem: null } : { ok: false, problem: `The server answered, but not as a Supabase project does. ${checkTheAddress}` };
}

function couldNotCheck(why: string): SyncServerCheck {
  return { ok: false, problem: `The server could not be checked: ${asSentence(why)} Sync will try again when the server can be reached.` };
}

/** GoTrue's health answer: a JSON object naming the service (`name`; a hosted project adds `version`). */
function namesAService(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && typeof (body as { name?: unknown }).name === 'string';
  } catch {
    return false;
  }
}
