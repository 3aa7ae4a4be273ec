/** Handlers of the content feature: the pack import stream (upload → validate → import) and the instructor workspace. */
import { AppFailure } from '../../../../shared/errors';
import type { contentContract } from '../../../../shared/ipc/features/content';
import { importValidatedPack } from '../../content/import';
import { validatePackText } from '../../content/validate';
import type { Sqlite } from '../../db/open';
import type { Clock } from '../../ports';
import type { FeatureHandlers } from '../handlers';

export interface ContentHandlerDeps {
  sqlite: Sqlite;
  clock: Clock;
  /** Called after an import committed, so every window hears that the content changed. */
  contentChanged(): void;
}

// Replaced by the workspace core in the next commits; the contract is committed first so the screens can build on it.
const notYet = (name: string) => (): never => {
  throw new AppFailure('not_configured', `${name} is not available in this build yet.`);
};

export function createContentHandlers({ sqlite, clock, contentChanged }: ContentHandlerDeps) {
  return {
    'content:import': async ({ mode }, { upload, emit, signal }) => {
      if (!upload) throw new AppFailure('invalid_input', 'content:import needs the pack file as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      const report = validatePackText(upload);
      emit({ phase: 'validated', warningCount: report.warnings.length, questionCount: report.pack?.questions.length ?? 0 });
      // Let a cancel that arrived during validation land: this is the last point where it leaves the database as it was.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) throw new AppFailure('cancelled', 'The import was cancelled before anything was written.');
      emit({ phase: 'importing' });
      const result = importValidatedPack(sqlite, report, { mode, clock });
      contentChanged();
      return result;
    },
    'content:packs': notYet('content:packs'),
    'content:diff': notYet('content:diff'),
    'content:close-draft': notYet('content:close-draft'),
    'content:preview-tree': notYet('content:preview-tree'),
    'content:preview-question': notYet('content:preview-question'),
    'content:try-answer': notYet('content:try-answer'),
    'content:remove': notYet('content:remove'),
    'content:drill-pack-status': notYet('content:drill-pack-status'),
    'content:editor-status': notYet('content:editor-status'),
    'content:publish-diff': notYet('content:publish-diff'),
    'content:open': notYet('content:open'),
    'content:import-draft': notYet('content:import-draft'),
    'content:export': notYet('content:export'),
    'content:publish': notYet('content:publish'),
  } satisfies FeatureHandlers<typeof contentContract>;
}
