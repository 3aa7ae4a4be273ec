/** Handlers of the content feature: the pack import stream (upload → validate → import) and the instructor workspace. */
import { AppFailure } from '../../../../shared/errors';
import { applyPublishRule } from '../../../../shared/content/publish-rule';
import type { contentContract, PreviewSource } from '../../../../shared/ipc/features/content';
import { planPublish, writePublishPlan, type PublishPlan } from '../../content/publish';
import type { ValidationReport } from '../../content/validate';
import type { ContentWorker } from '../../content/worker-host';
import type { Sqlite } from '../../db/open';
import { setDrillPackStatus } from '../../drills/packs';
import type { Clock } from '../../ports';
import type { LearnerServer } from '../../sync/learner-request';
import type { FeatureHandlers } from '../handlers';

export interface ContentHandlerDeps {
  /** Core's connection: drill pack status only; everything else runs in the content worker on its own. */
  sqlite: Sqlite;
  /** Checks, compares, imports and reads content off core's thread (content/worker-host.ts). */
  worker: ContentWorker;
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

export function createContentHandlers({ sqlite, worker, clock, contentChanged, editorStatus, learnerServer }: ContentHandlerDeps) {
  const status = () => editorStatus?.() ?? Promise.resolve({ isContentEditor: false, signedIn: false, reason: notEditor });

  /** The pack to publish (the publish rule applied, as the CLI does) and who publishes it: the signed-in editor. */
  const publishing = async (source: PreviewSource) => {
    const { isContentEditor, reason } = await status();
    const server = learnerServer?.() ?? null;
    if (!isContentEditor || server === null) throw new AppFailure('forbidden', reason ?? notEditor);
    const report = await worker.run('publishReport', { source });
    if (!report.pack) throw new AppFailure('content_invalid', 'The pack has errors: fix them before publishing it.', { errors: report.errors });
    const { pack, keptUnpublished } = applyPublishRule(report.pack);
    const bearer = { apikey: server.anonKey, token: await server.tokens.accessToken() };
    return { server, bearer, pack, report, keptUnpublished };
  };

  return {
    'content:import': async ({ mode }, { upload, emit, signal }) => {
      if (!upload) throw new AppFailure('invalid_input', 'content:import needs the pack file as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      const result = await worker.run('importFile', { mode, nowMs: clock.now() }, { upload, emit, signal });
      contentChanged();
      return result;
    },
    'content:open': async ({ mode, fileName }, { upload, emit, signal }) => {
      if (!upload) throw new AppFailure('invalid_input', 'content:open needs the pack file as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      return worker.run('open', { mode, fileName: fileName ?? 'pack.json' }, { upload, emit, signal });
    },
    'content:importDraft': async ({ draftId, mode }, { emit, signal }) => {
      const result = await worker.run('importDraft', { draftId, mode, nowMs: clock.now() }, { emit, signal });
      contentChanged();
      return result;
    },
    'content:diff': (input) => worker.run('diff', input),
    'content:closeDraft': async (input) => ({ closed: await worker.run('closeDraft', input) }),
    'content:previewTree': (input) => worker.run('previewTree', input),
    'content:previewQuestion': (input) => worker.run('previewQuestion', input),
    'content:tryAnswer': (input) => worker.run('tryAnswer', input),
    'content:packs': () => worker.run('packs', undefined),
    'content:remove': async (input) => {
      const removed = await worker.run('remove', input);
      contentChanged();
      return { removed };
    },
    'content:drillPackStatus': ({ packId, status: next }) => {
      setDrillPackStatus(sqlite, packId, next, clock.now());
      return { packId, status: next };
    },
    'content:export': async (input, { emit }) => {
      emit({ phase: 'reading', rows: 0 });
      return worker.run('exportPack', input);
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
