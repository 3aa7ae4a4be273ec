/** Text as a sentence: a full stop, unless it already ends in one, another stop or an ellipsis ("Syncing…"). */
export function asSentence(text: string): string {
  return /[.…!?]$/.test(text) ? text : `${text}.`;
}
