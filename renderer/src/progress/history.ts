/** Words of the Progress history, apart from the screen so they can be tested without a page. */
import type { ProgressOverview } from '../../../shared/ipc/contract';

type SessionMode = ProgressOverview['history'][number]['mode'];

/**
 * What follows the session's title: ", practice" or ", test"; nothing for a review, whose title ("Review") already
 * says it (it once read "Review, practice").
 */
export function sessionModeWords(mode: SessionMode): string {
  return mode === 'review' ? '' : `, ${mode}`;
}
