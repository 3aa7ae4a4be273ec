/** Handlers of the progress feature. */
import type { progressContract } from '../../../../shared/ipc/features/progress';
import type { Practice } from '../../practice/practice';
import type { FeatureHandlers } from '../handlers';

export function createProgressHandlers(practice: Pick<Practice, 'overview'>) {
  return {
    'progress:overview': () => practice.overview(),
  } satisfies FeatureHandlers<typeof progressContract>;
}
