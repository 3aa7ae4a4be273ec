/** Handlers of the practice feature. */
import type { practiceContract } from '../../../../shared/ipc/features/practice';
import type { Practice } from '../../practice/practice';
import type { FeatureHandlers } from '../handlers';

export function createPracticeHandlers(practice: Pick<Practice, 'startSession' | 'nextQuestion' | 'recordAttempt' | 'endSession'>) {
  return {
    'practice:start': ({ skillId, mode }) => practice.startSession(skillId, mode),
    'practice:next': ({ sessionId }) => practice.nextQuestion(sessionId),
    'practice:answer': ({ sessionId, questionId, answer }) => practice.recordAttempt(sessionId, questionId, answer),
    'practice:end': ({ sessionId }) => practice.endSession(sessionId),
  } satisfies FeatureHandlers<typeof practiceContract>;
}
