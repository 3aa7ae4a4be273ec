/** Words about the tutor that both sides show. No zod here: the renderer imports this module at run time. */

/** The label on every reply (and near the message box) when the offline tutor answers. */
export const offlineTutorLabel = 'Offline tutor: answers only from the content on this device';
