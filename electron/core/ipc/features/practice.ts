/** Handlers of the practice feature; the writes (start, answer, end, review, retry, rate) go through the learner-write runner. */
import type { practiceContract } from '../../../../shared/ipc/features/practice';
import type { Practice } from '../../practice/practice';
import type { FeatureHandlers } from '../handlers';
import type { LearnerWriteRunner } from '../learner-writes';

export function createPracticeHandlers(
  practice: Pick<Practice, 'startSession' | 'nextQuestion' | 'recordAttempt' | 'endSession' | 'startReview' | 'retry' | 'rate' | 'recall'>,
  runWrite: LearnerWriteRunner,
) {
  return {
    'practice:start': ({ skillId, mode }) => runWrite(() => practice.startSession(skillId, mode)),
    'practice:next': ({ sessionId }) => practice.nextQuestion(sessionId),
    'practice:answer': ({ sessionId, questionId, answer }) => runWrite(() => practice.recordAttempt(sessionId, questionId, answer)),
    'practice:end': ({ sessionId }) => runWrite(() => practice.endSession(sessionId)),
    'practice:review': () => runWrite(() => practice.startReview()),
    'practice:retry': ({ sessionId }) => runWrite(() => practice.retry(sessionId)),
    'practice:rate': ({ attemptId, rating }) => runWrite(() => practice.rate(attemptId, rating)),
    'practice:recall': ({ skillId }) => practice.recall(skillId),
  } satisfies FeatureHandlers<typeof practiceContract>;
}
