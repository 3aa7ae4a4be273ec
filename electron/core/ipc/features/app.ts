/** Handlers of the app feature. */
import type { appContract } from '../../../../shared/ipc/features/app';
import type { FeatureHandlers } from '../handlers';

export interface AppFacts {
  version: string;
  host: 'electron' | 'web';
  dataDir: string;
  questionCount(): number;
}

export function createAppHandlers(facts: AppFacts) {
  return {
    'app:info': () => ({ version: facts.version, host: facts.host, dataDir: facts.dataDir, questionCount: facts.questionCount() }),
  } satisfies FeatureHandlers<typeof appContract>;
}
