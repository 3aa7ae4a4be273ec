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
