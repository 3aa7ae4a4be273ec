/** Handlers of the drills feature, all delegated to core's drills module (its writes use the learner-write runner). */
import type { drillsContract } from '../../../../shared/ipc/features/drills';
import type { Drills } from '../../drills/drills';
import type { FeatureHandlers } from '../handlers';

export function createDrillsHandlers(drills: Pick<Drills, 'list' | 'question' | 'start' | 'submit' | 'retry' | 'result' | 'progress' | 'unfinished' | 'saveDraft' | 'discardDraft'>) {
  return {
    'drills:list': () => drills.list(),
    'drills:question': ({ questionId }) => drills.question(questionId),
    'drills:start': ({ questionId }) => drills.start(questionId),
    'drills:result': ({ sessionId }) => drills.result(sessionId),
    'drills:progress': () => drills.progress(),
    'drills:unfinished': ({ questionId }) => drills.unfinished(questionId),
    'drills:saveDraft': ({ sessionId, draft }) => drills.saveDraft(sessionId, draft),
    'drills:discardDraft': ({ sessionId }) => drills.discardDraft(sessionId),
    'drills:submit': (input, { emit, signal }) => drills.submit(input, emit, signal),
    'drills:retry': ({ sessionId }, { emit, signal }) => drills.retry(sessionId, emit, signal),
  } satisfies FeatureHandlers<typeof drillsContract>;
}
