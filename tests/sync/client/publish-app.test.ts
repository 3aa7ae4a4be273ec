/**
 * Publishing from the app against the real local stack: the workspace's handlers, as a signed-in content editor, show
 * the server-side diff (writing nothing) and then publish with progress through the same core as the CLI's `publish`;
 * a learner is refused by the app and, should the app be bypassed, by the server's RLS.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentEditorStatus } from '../../../electron/core/content/editor';
import { planPublish, writePublishPlan } from '../../../electron/core/content/publish';
import { validatePackText } from '../../../electron/core/content/validate';
import { createContentWorker, type ContentWorker } from '../../../electron/core/content/worker-host';
import { createWritePriority } from '../../../electron/core/db/write-priority';
import { createContentHandlers } from '../../../electron/core/ipc/features/content';
import { systemClock } from '../../../electron/core/ports';
import { createAuthClient } from '../../../electron/core/sync/auth';
import type { LearnerServer } from '../../../electron/core/sync/learner-request';
import { createUser } from '../../../scripts/stack/stack';
import { buildPack, packText } from '../../content/pack-builder';
import { fixedTokens } from '../../helpers/tokens';
import { openClientDb, startTestStack, tempDir, type TestStack } from './helpers';

let stack: TestStack;
let dir: string;
const workers: ContentWorker[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  dir = tempDir('sync-publish-app');
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function signedIn(email: string, role?: 'instructor'): Promise<LearnerServer> {
  await createUser(stack, { email, password: 'secret-pass', ...(role ? { role } : {}) });
  const auth = createAuthClient({ url: stack.url, anonKey: stack.anonKey, fetch: globalThis.fetch, timeoutMs: 30_000, now: Date.now });
  const session = await auth.signIn(email, 'secret-pass');
  return {
    url: stack.url,
    anonKey: stack.anonKey,
    fetch: globalThis.fetch,
    now: Date.now,
    userId: session.userId,
    tokens: fixedTokens(session.accessToken),
  };
}

function handlersFor(server: LearnerServer, name: string) {
  const db = openClientDb(dir, `${name}.sqlite`);
  const worker = createContentWorker({ dbFile: db.file, writePriority: createWritePriority() });
  workers.push(worker);
  return createContentHandlers({
    sqlite: db.sqlite,
    worker,
    clock: systemClock,
    contentChanged: () => {},
    editorStatus: () => contentEditorStatus(server),
    learnerServer: () => server,
  });
}

const streamContext = <C>(chunks: C[], upload: Buffer | null = null) => ({
  emit: (chunk: C) => void chunks.push(chunk),
  signal: new AbortController().signal,
  upload,
});

describe('publishing from the app', () => {
  it('shows the server-side diff first (nothing written), then publishes with progress as a content editor', async () => {
    const editor = await signedIn('editor@example.test', 'instructor');
    const handlers = handlersFor(editor, 'editor');
    expect(await handlers['content:editorStatus']()).toMatchObject({ isContentEditor: true });
    const pack = buildPack({ name: 'app-published', prefix: 'app' });
    pack.questions[0]!.is_published = false;
    const opened = await handlers['content:open']({ mode: 'append' }, streamContext<unknown>([], Buffer.from(packText(pack))));
    const source = { kind: 'draft' as const, draftId: opened.draftId };

    const diff = await handlers['content:publishDiff']({ source });
    expect(diff.tables).toEqual([
      { table: 'domains', inserted: 1, updated: 0, unchanged: 0, drafts: 0 },
      { table: 'skills', inserted: 2, updated: 0, unchanged: 0, drafts: 0 },
      { table: 'questions', inserted: 4, updated: 0, unchanged: 0, drafts: 1 },
    ]);
    expect(await stack.query('select id from public.questions where id = $1', [pack.questions[1]!.id])).toEqual([]);

    const progress: Array<{ table: string; written: number; total: number }> = [];
    const done = await handlers['content:publish']({ source }, streamContext(progress));
    expect(done.counts).toEqual({ domains: 1, skills: 2, questions: 4 });
    expect(progress.map((p) => p.table)).toEqual(['domains', 'skills', 'questions']);
    const [draft] = await stack.query<{ is_published: boolean }>('select is_published from public.questions where id = $1', [pack.questions[0]!.id]);
    expect(draft!.is_published).toBe(false);

    const again = await handlers['content:publishDiff']({ source });
    expect(again.tables.find((t) => t.table === 'questions')).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
  }, 60_000);

  it('records a drill pack with uploaded_by, file_size and checksum, and refuses the same name and version from another file', async () => {
    const editor = await signedIn('drill-editor@example.test', 'instructor');
    const handlers = handlersFor(editor, 'drill-editor');
    const text = packText(buildPack({ name: 'drill-published', prefix: 'drillpub', withDrillPack: true }));
    const opened = await handlers['content:open']({ mode: 'append' }, streamContext<unknown>([], Buffer.from(text)));
    const source = { kind: 'draft' as const, draftId: opened.draftId };
    expect((await handlers['content:publishDiff']({ source })).refusal).toBeNull();
    const progress: Array<{ table: string }> = [];
    await handlers['content:publish']({ source }, streamContext(progress));
    expect(progress[0]).toMatchObject({ table: 'content_packs', written: 1 });
    const [record] = await stack.query<{ uploaded_by: string; file_size: number; checksum: string; status: string }>(
      `select uploaded_by, file_size, checksum, status from public.content_packs where name = 'drill-published' and version = '1.0.0'`,
    );
    expect(record).toEqual({ uploaded_by: editor.userId, file_size: Buffer.byteLength(text), checksum: opened.report.summary.sha256, status: 'DRAFT' });

    // The same file again: nothing to refuse. Another file with the same name and version: refused, nothing written.
    expect((await handlers['content:publishDiff']({ source })).refusal).toBeNull();
    const changed = buildPack({ name: 'drill-published', prefix: 'drillpub', withDrillPack: true });
    changed.domains[0]!.title = 'Changed without a new version';
    const other = await handlers['content:open']({ mode: 'append' }, streamContext<unknown>([], Buffer.from(packText(changed))));
    const otherSource = { kind: 'draft' as const, draftId: other.draftId };
    expect((await handlers['content:publishDiff']({ source: otherSource })).refusal).toMatch(/already published from another file.*new version/);
    await expect(handlers['content:publish']({ source: otherSource }, streamContext<unknown>([]))).rejects.toMatchObject({ code: 'conflict' });
    const [domain] = await stack.query<{ title: string }>('select title from public.domains where id = $1', [changed.domains[0]!.id]);
    expect(domain!.title).not.toBe('Changed without a new version');
  }, 60_000);

  it('refuses a learner in the app, and the server refuses the same writes (RLS)', async () => {
    const learner = await signedIn('plain-learner@example.test');
    const handlers = handlersFor(learner, 'learner');
    expect(await handlers['content:editorStatus']()).toMatchObject({ isContentEditor: false, signedIn: true });
    const pack = buildPack({ name: 'learner-attempt', prefix: 'learner' });
    const opened = await handlers['content:open']({ mode: 'append' }, streamContext<unknown>([], Buffer.from(packText(pack))));
    await expect(handlers['content:publishDiff']({ source: { kind: 'draft', draftId: opened.draftId } })).rejects.toMatchObject({ code: 'forbidden' });

    // Bypassing the app: the shared core, with the learner's own token, is refused by the server.
    const bearer = { apikey: learner.anonKey, token: await learner.tokens.accessToken() };
    const report = validatePackText(packText(pack));
    const plan = await planPublish(stack.url, bearer, report.pack!, report, globalThis.fetch);
    await expect(writePublishPlan(stack.url, bearer, plan, globalThis.fetch)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/writing domains .* failed/) });
    expect(await stack.query('select id from public.domains where id = $1', [pack.domains[0]!.id])).toEqual([]);
  }, 60_000);
});
