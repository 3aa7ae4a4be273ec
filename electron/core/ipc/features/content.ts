/** Handlers of the content feature: the pack import stream (upload → validate → import), reusing core's validator and importer. */
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
  } satisfies FeatureHandlers<typeof contentContract>;
}
