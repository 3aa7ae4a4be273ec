/** Handlers of the content feature: the pack import stream (upload → validate → import) and the instructor workspace. */
import { AppFailure } from '../../../../shared/errors';
import { applyPublishRule } from '../../../../shared/content/publish-rule';
import type { contentContract, PreviewSource } from '../../../../shared/ipc/features/content';
import { importValidatedPackChunked } from '../../content/import';
import { planPublish, writePublishPlan, type PublishPlan } from '../../content/publish';
import { validatePackText, type ValidationReport } from '../../content/validate';
import { createContentWorkspace } from '../../content/workspace';
import type { Sqlite } from '../../db/open';
import { setDrillPackStatus } from '../../drills/packs';
import type { Clock } from '../../ports';
import type { LearnerServer } from '../../sync/learner-request';
import type { FeatureHandlers } from '../handlers';

export interface ContentHandlerDeps {
  sqlite: Sqlite;
  clock: Clock;
  /** Called after an import committed, so every window hears that the content changed. */
  contentChanged(): void;
  /** Whether the signed-in account is a content editor on the server (publishing is theirs); absent: nobody is. */
  editorStatus?(): Promise<{ isContentEditor: boolean; signedIn: boolean; reason: string | null }>;
  /** The configured server and signed-in account, for publishing; null when there is none. */
  learnerServer?(): LearnerServer | null;
}

const packSummary = (report: ValidationReport) => ({
  name: report.pack?.pack.name ?? '',
  version: report.pack?.pack.version ?? '',
  sha256: report.sha256,
  byteLength: report.byteLength,
});
const publishTables = (plan: PublishPlan) =>
  (['domains', 'skills', 'questions'] as const).map((table) => ({ table, ...plan.changes[table] }));

const notEditor = 'Publishing needs a signed-in content editor: sign in with an account the server names a content editor.';

export function createContentHandlers({ sqlite, clock, contentChanged, editorStatus, learnerServer }: ContentHandlerDeps) {
  const workspace = createContentWorkspace(sqlite);
  // Between import chunks: long enough for a waiting learner write (SQLite's busy handler retries after 1, 2, 5 ms).
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 4));
  const status = () => editorStatus?.() ?? Promise.resolve({ isContentEditor: false, signedIn: false, reason: notEditor });

  /** The pack to publish (the publish rule applied, as the CLI does) and who publishes it: the signed-in editor. */
  const publishing = async (source: PreviewSource) => {
    const { isContentEditor, reason } = await status();
    const server = learnerServer?.() ?? null;
    if (!isContentEditor || server === null) throw new AppFailure('forbidden', reason ?? notEditor);
    const report = source.kind === 'draft' ? workspace.draft(source.draftId).report : validatePackText(workspace.exportPack(source.packId).text);
    if (!report.pack) throw new AppFailure('content_invalid', 'The pack has errors: fix them before publishing it.', { errors: report.errors });
    const { pack, keptUnpublished } = applyPublishRule(report.pack);
    const bearer = { apikey: server.anonKey, token: await server.tokens.accessToken() };
    return { server, bearer, pack, report, keptUnpublished };
  };

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
    'content:importDraft': async ({ draftId, mode }, { emit, signal }) => {
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
    'content:closeDraft': ({ draftId }) => ({ closed: workspace.closeDraft(draftId) }),
    'content:previewTree': ({ source }) => workspace.previewTree(source),
    'content:previewQuestion': ({ source, questionId }) => workspace.previewQuestion(source, questionId),
    'content:tryAnswer': ({ source, questionId, answer }) => workspace.tryAnswer(source, questionId, answer),
    'content:packs': () => workspace.packs(),
    'content:remove': ({ packId }) => {
      const removed = workspace.remove(packId);
      contentChanged();
      return { removed };
    },
    'content:drillPackStatus': ({ packId, status: next }) => {
      setDrillPackStatus(sqlite, packId, next, clock.now());
      return { packId, status: next };
    },
    'content:export': async ({ packId }, { emit }) => {
      emit({ phase: 'reading', rows: 0 });
      await new Promise((resolve) => setImmediate(resolve));
      return workspace.exportPack(packId);
    },
    'content:editorStatus': () => status(),
    'content:publishDiff': async ({ source }) => {
      const { server, bearer, pack, report } = await publishing(source);
      const plan = await planPublish(server.url, bearer, pack, report, server.fetch);
      return { pack: packSummary(report), tables: publishTables(plan), refusal: plan.refusal };
    },
    'content:publish': async ({ source }, { emit }) => {
      const { server, bearer, pack, report, keptUnpublished } = await publishing(source);
      const plan = await planPublish(server.url, bearer, pack, report, server.fetch);
      await writePublishPlan(server.url, bearer, plan, server.fetch, (progress) => emit(progress));
      const counts = { domains: pack.domains.length, skills: pack.skills.length, questions: pack.questions.length };
      return { pack: packSummary(report), counts, keptUnpublished };
    },
  } satisfies FeatureHandlers<typeof contentContract>;
}
