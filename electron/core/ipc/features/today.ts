/** Handlers of the Today feature: what the learner should do now. */
import type { todayContract } from '../../../../shared/ipc/features/today';
import type { Practice } from '../../practice/practice';
import type { FeatureHandlers } from '../handlers';

export function createTodayHandlers(practice: Pick<Practice, 'today'>) {
  return {
    'today:get': () => practice.today(),
  } satisfies FeatureHandlers<typeof todayContract>;
}
