/** Words about the tutor that both sides show. No zod here: the renderer imports this module at run time. */

/** The label on every reply (and near the message box) when the offline tutor answers. */
export const offlineTutorLabel = 'Offline tutor: answers only from the content on this device';

/**
 * Why the offline tutor answered a reply in place of the learner's chosen provider, from the reason stored as the reply's
 * error: the chat screen (which adds where to fix it) and the Markdown export say it in these words.
 */
export function offlineStandInText(reason: string): string {
  return `Your tutor provider was not used, so the offline tutor answered: ${reason}`;
}

/**
 * What is said under a reply that ended before its end, with the reason stored as its error where there is one: the chat's
 * status line and the Markdown export say it in these words.
 */
export function endedEarlyText(status: 'stopped' | 'interrupted' | 'failed', error: { message: string } | null, text: string): string {
  switch (status) {
    case 'stopped':
      return text === '' ? 'Stopped before any of the reply arrived.' : 'Stopped. The part that arrived is kept.';
    case 'interrupted':
      return `Interrupted before the end; what arrived is kept.${error?.message ? ` ${error.message}` : ''}`;
    case 'failed':
      return `Failed. ${error?.message || 'The tutor did not answer.'}`;
  }
}
