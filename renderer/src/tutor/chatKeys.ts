/** Pure keyboard rules of the chat: what a key press in the message box, or anywhere while a reply streams, does. */

export type ComposerKey = { key: string; shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean; isComposing: boolean };

/**
 * Enter sends; Shift+Enter is a new line (the text area's own behaviour); Escape stops a reply that is streaming.
 * Enter while an input method composes a character belongs to the input method, and Enter while a reply streams does
 * nothing (one reply at a time), so a half-written message is never lost to a refused send.
 */
export function composerAction(press: ComposerKey, streaming: boolean): 'send' | 'stop' | null {
  if (press.isComposing) return null;
  if (press.key === 'Escape') return streaming ? 'stop' : null;
  if (press.key !== 'Enter' || press.shiftKey || press.altKey || press.ctrlKey || press.metaKey) return null;
  return streaming ? null : 'send';
}
