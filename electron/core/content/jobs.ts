/**
 * What the content worker does, on its own connection: open a pack file (check → report → diff), import it, and the
 * workspace's reads and writes (content/workspace.ts, whose drafts live here). Core's handlers send each job to the
 * worker (content/worker-host.ts), so a 100k-question file never holds core's thread.
 */
import { AppFailure } from '../../../shared/errors';
import type { ImportProgress, OpenProgress, PreviewSource } from '../../../shared/ipc/features/content';
import type { Answer } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { WritePriority } from '../db/write-priority';
import { importValidatedPackChunked, type ImportMode } from './import';
import { drainStepsAside } from './pending';
import { validatePackText, type ValidationReport } from './validate';
import { createContentWorkspace } from './workspace';

/** A job's view of its request: the upload (streams that take one), its chunks, its cancel. */
export interface JobContext<Chunk = never> {
  upload: Uint8Array | null;
  emit(chunk: Chunk): void;
  signal: AbortSignal;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** One turn of the event loop, so a cancel sent meanwhile lands; then stops if it did. */
async function unlessCancelled(signal: AbortSignal, message: string): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new AppFailure('cancelled', message);
}

export function createContentJobs(sqlite: Sqlite, priority: WritePriority) {
  const workspace = createContentWorkspace(sqlite);

  /** `nowMs`: core's clock as the request arrived (the import's timestamps follow the injected clock). */
  const importReport = (report: ValidationReport, mode: ImportMode, nowMs: number, { emit, signal }: JobContext<ImportProgress>) => {
    emit({ phase: 'validated', warningCount: report.warnings.length, questionCount: report.pack?.questions.length ?? 0 });
    emit({ phase: 'importing' });
    return importValidatedPackChunked(sqlite, report, {
      mode,
      clock: { now: () => nowMs },
      signal,
      priority,
      onProgress: ({ written, total }) => emit({ phase: 'importing', written, total }),
    });
  };

  return {
    /** The report as soon as the file is checked (a chunk), then the diff for `mode`. */
    async open({ mode, fileName }: { mode: ImportMode; fileName: string }, context: JobContext<OpenProgress>) {
      const { upload, emit, signal } = context;
      if (!upload) throw new AppFailure('invalid_input', 'content:open needs the pack file as its upload.');
      emit({ phase: 'validating' });
      const checked = workspace.check(asBuffer(upload), fileName);
      const { summary } = checked.report;
      emit({ phase: 'validated', errorCount: summary.errors, warningCount: summary.warnings, questionCount: summary.questions });
      emit({ phase: 'report', ...checked });
      // A cancel (sent while the file was checked or compared) lets the draft go: nothing more is shown of it.
      const stopIfCancelled = () =>
        unlessCancelled(signal, 'Opening the pack was cancelled.').catch((err: unknown) => {
          workspace.closeDraft(checked.draftId);
          throw err;
        });
      await stopIfCancelled();
      if (!checked.report.ok) return { ...checked, diff: null };
      emit({ phase: 'comparing' });
      const diff = workspace.diff(checked.draftId, mode);
      await stopIfCancelled();
      return { ...checked, diff };
    },
    async importFile({ mode, nowMs }: { mode: ImportMode; nowMs: number }, context: JobContext<ImportProgress>) {
      if (!context.upload) throw new AppFailure('invalid_input', 'content:import needs the pack file as its upload.');
      const report = validatePackText(asBuffer(context.upload));
      await unlessCancelled(context.signal, 'The import was cancelled before anything was written.');
      return importReport(report, mode, nowMs, context);
    },
    importDraft({ draftId, mode, nowMs }: { draftId: string; mode: ImportMode; nowMs: number }, context: JobContext<ImportProgress>) {
      return importReport(workspace.draft(draftId).report, mode, nowMs, context);
    },
    diff: ({ draftId, mode }: { draftId: string; mode: ImportMode }) => workspace.diff(draftId, mode),
    closeDraft: ({ draftId }: { draftId: string }) => workspace.closeDraft(draftId),
    previewTree: ({ source }: { source: PreviewSource }) => workspace.previewTree(source),
    previewQuestion: ({ source, questionId }: { source: PreviewSource; questionId: string }) => workspace.previewQuestion(source, questionId),
    tryAnswer: ({ source, questionId, answer }: { source: PreviewSource; questionId: string; answer: Answer }) =>
      workspace.tryAnswer(source, questionId, answer),
    packs: () => workspace.packs(),
    remove: ({ packId }: { packId: string }) => drainStepsAside(workspace.removeSteps(packId), priority.stepAside),
    exportPack: ({ packId }: { packId: string | null }) => workspace.exportPack(packId),
    /** What publishing `source` would send: an opened file's report, or an installed pack's export, checked. */
    publishReport: ({ source }: { source: PreviewSource }): ValidationReport =>
      source.kind === 'draft' ? workspace.draft(source.draftId).report : validatePackText(workspace.exportPack(source.packId).text),
  };
}

export type ContentJobs = ReturnType<typeof createContentJobs>;
export type ContentJobName = keyof ContentJobs;
