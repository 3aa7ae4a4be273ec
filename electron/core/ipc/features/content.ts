/** Handlers of the content feature: the pack import stream (upload → validate → import) and the instructor workspace. */
import { AppFailure } from '../../../../shared/errors';
import type { contentContract } from '../../../../shared/ipc/features/content';
import { importValidatedPackChunked } from '../../content/import';
import { validatePackText } from '../../content/validate';
import { createContentWorkspace } from '../../content/workspace';
import type { Sqlite } from '../../db/open';
import { setDrillPackStatus } from '../../drills/packs';
import type { Clock } from '../../ports';
import type { FeatureHandlers } from '../handlers';

export interface ContentHandlerDeps {
  sqlite: Sqlite;
  clock: Clock;
  /** Called after an import committed, so every window hears that the content changed. */
  contentChanged(): void;
  /** Whether the signed-in account is a content editor on the server (publishing is theirs); absent: nobody is. */
  editorStatus?(): Promise<{ isContentEditor: boolean; signedIn: boolean; reason: string | null }>;
}

const notEditor = 'Publishing needs a signed-in content editor: sign in with an account the server names a content editor.';

export function createContentHandlers({ sqlite, clock, contentChanged, editorStatus }: ContentHandlerDeps) {
  const workspace = createContentWorkspace(sqlite);
  // Between import chunks: long enough for a waiting learner write (SQLite's busy handler retries after 1, 2, 5 ms).
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 4));
  const status = () => editorStatus?.() ?? Promise.resolve({ isContentEditor: false, signedIn: false, reason: notEditor });

  return {
    'content:import': async ({ mode }, { upload, emit, signal }) => {
      if (!upload) throw new AppFailure('invalid_input', 'content:import needs the pack file as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      const report = validatePackText(upload);
      emit({ phase: 'validated', warningCount: report.warnings.length, questionCount: report.pack?.questions.length ?? 0 });
      // Let a cancel that arrived during validation land before anything is written.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) throw new AppFailure('cancelled', 'The import was cancelled before anything was written.');
      emit({ phase: 'importing' });
      const result = await importValidatedPackChunked(sqlite, report, {
        mode,
        clock,
        signal,
        pause,
        onProgress: ({ written, total }) => emit({ phase: 'importing', written, total }),
      });
      contentChanged();
      return result;
    },
    'content:open': async ({ mode, fileName }, { upload, emit }) => {
      if (!upload) throw new AppFailure('invalid_input', 'content:open needs the pack file as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      emit({ phase: 'validating' });
      await new Promise((resolve) => setImmediate(resolve));
      return workspace.open(upload, fileName ?? 'pack.json', mode, (phase, report) => {
        if (phase === 'validated') {
          emit({
            phase,
            errorCount: report.errors.length,
            warningCount: report.warnings.length,
            questionCount: report.pack?.questions.length ?? 0,
          });
        } else emit({ phase });
      });
    },
    'content:import-draft': async ({ draftId, mode }, { emit, signal }) => {
      const draft = workspace.draft(draftId);
      emit({ phase: 'validated', warningCount: draft.report.warnings.length, questionCount: draft.report.pack?.questions.length ?? 0 });
      const result = await importValidatedPackChunked(sqlite, draft.report, {
        mode,
        clock,
        signal,
        pause,
        onProgress: ({ written, total }) => emit({ phase: 'importing', written, total }),
      });
      contentChanged();
      return result;
    },
    'content:diff': ({ draftId, mode }) => workspace.diff(draftId, mode),
    'content:close-draft': ({ draftId }) => ({ closed: workspace.closeDraft(draftId) }),
    'content:preview-tree': (source) => workspace.previewTree(source),
    'content:preview-question': ({ source, questionId }) => workspace.previewQuestion(source, questionId),
    'content:try-answer': ({ source, questionId, answer }) => workspace.tryAnswer(source, questionId, answer),
    'content:packs': () => workspace.packs(),
    'content:remove': ({ packId }) => {
      const removed = workspace.remove(packId);
      contentChanged();
      return { removed };
    },
    'content:drill-pack-status': ({ packId, status: next }) => {
      setDrillPackStatus(sqlite, packId, next, clock.now());
      return { packId, status: next };
    },
    'content:export': async ({ packId }, { emit }) => {
      emit({ phase: 'reading', rows: 0 });
      await new Promise((resolve) => setImmediate(resolve));
      return workspace.exportPack(packId);
    },
    'content:editor-status': () => status(),
    'content:publish-diff': async () => {
      const { isContentEditor, reason } = await status();
      throw new AppFailure('forbidden', isContentEditor ? 'Publishing from the app is not available in this build yet.' : (reason ?? notEditor));
    },
    'content:publish': async () => {
      const { isContentEditor, reason } = await status();
      throw new AppFailure('forbidden', isContentEditor ? 'Publishing from the app is not available in this build yet.' : (reason ?? notEditor));
    },
  } satisfies FeatureHandlers<typeof contentContract>;
}
