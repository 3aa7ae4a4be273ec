/** The tutor contract's text lengths, shared with the chat's fields (this module has no zod, so the renderer takes them from here). */

/** A conversation's title, at most. */
export const conversationTitleMaxLength = 200;
/** A learner's message to the tutor, at most. */
export const tutorMessageMaxLength = 8000;
