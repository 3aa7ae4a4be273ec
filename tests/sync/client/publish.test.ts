/** `content publish` against the real local stack: validates, upserts (drafts stay drafts), reports changes, and learners receive it. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPublish } from '../../../electron/core/content/publish';
import { createUser } from '../../../scripts/stack/stack';
import { openClientDb, startTestStack, tempDir, testService, type TestStack } from './helpers';

let stack: TestStack;
let dir: string;
let packFile: string;
let draftSkillId: string;
let draftQuestionId: string;

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

beforeAll(async () => {
  stack = await startTestStack();
  dir = tempDir('sync-publish');
  const pack = JSON.parse(readFileSync(new URL('../../../resources/sample-pack.json', import.meta.url), 'utf8')) as {
    skills: Array<{ id: string; is_published?: boolean }>;
    questions: Array<{ id: string; skill_id: string; is_published?: boolean }>;
  };
  // One draft question in a published skill, and one whole skill whose questions are drafts.
  draftQuestionId = pack.questions[0]!.id;
  pack.questions[0]!.is_published = false;
  draftSkillId = pack.skills[pack.skills.length - 1]!.id;
  for (const q of pack.questions) if (q.skill_id === draftSkillId) q.is_published = false;
  packFile = join(dir, 'pack.json');
  writeFileSync(packFile, JSON.stringify(pack));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('content publish', () => {
  it('upserts a valid pack, keeps drafts unpublished and says what changed', async () => {
    const { out, io: output } = io();
    const code = await runPublish([packFile, '--url', stack.url, '--service-key', stack.serviceKey, '--json'], output);
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out.stdout) as { changes: Record<string, { inserted: number; updated: number; unchanged: number; drafts: number }> };
    expect(result.changes.domains).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    expect(result.changes.skills).toMatchObject({ inserted: 12, drafts: 1 });
    expect(result.changes.questions!.inserted).toBe(106);

    const [draftQuestion] = await stack.query<{ is_published: boolean }>('select is_published from public.questions where id = $1', [draftQuestionId]);
    expect(draftQuestion!.is_published).toBe(false);
    const [draftSkill] = await stack.query<{ is_published: boolean }>('select is_published from public.skills where id = $1', [draftSkillId]);
    expect(draftSkill!.is_published).toBe(false);

    const again = io();
    expect(await runPublish([packFile, '--url', stack.url, '--service-key', stack.serviceKey], again.io)).toBe(0);
    expect(again.out.stdout).toContain('0 new, 0 updated, 106 unchanged');
  }, 60_000);

  it('lets an instructor publish and refuses a learner', async () => {
    await createUser(stack, { email: 'teacher@example.test', password: 'secret-pass', role: 'instructor' });
    await createUser(stack, { email: 'learner@example.test', password: 'secret-pass' });
    const pack = JSON.parse(readFileSync(packFile, 'utf8')) as { pack: { version: string }; domains: Array<{ title: string }> };
    pack.domains[0]!.title = 'Renamed by the instructor';
    // Another file: the same name and version would be refused (its checksum differs from the published one's).
    pack.pack.version = '9.0.0';
    writeFileSync(packFile, JSON.stringify(pack));

    const learner = io();
    const refused = await runPublish(
      [packFile, '--url', stack.url, '--anon-key', stack.anonKey, '--email', 'learner@example.test', '--password', 'secret-pass'],
      learner.io,
    );
    expect(refused).toBe(1);
    // The server's RLS refuses the learner's first write (the drill pack's content_packs record).
    expect(learner.out.stderr).toMatch(/writing content_packs failed: HTTP 403/);

    const teacher = io();
    const code = await runPublish(
      [packFile, '--url', stack.url, '--anon-key', stack.anonKey, '--email', 'teacher@example.test', '--password', 'secret-pass'],
      teacher.io,
    );
    expect(teacher.out.stderr).toBe('');
    expect(code).toBe(0);
    expect(teacher.out.stdout).toContain('domains    0 new, 1 updated, 2 unchanged');
  }, 60_000);

  it('publishes nothing from an invalid pack and explains usage mistakes', async () => {
    const bad = io();
    const invalid = new URL('../../fixtures/packs/many-problems.json', import.meta.url).pathname;
    expect(await runPublish([invalid, '--url', stack.url, '--service-key', stack.serviceKey], bad.io)).toBe(1);
    expect(bad.out.stdout).toContain('nothing was published');
    const usage = io();
    expect(await runPublish([packFile, '--url', stack.url], usage.io)).toBe(2);
    expect(usage.out.stderr).toContain('--service-key');
  });

  it('reaches a learner: published content arrives, drafts do not', async () => {
    const db = openClientDb(dir, 'learner.sqlite');
    const service = testService({ dbFile: db.file, sqlite: db.sqlite });
    const status = await service.configure({ url: stack.url, anonKey: stack.anonKey });
    expect(status.lastError).toBeNull();
    expect(db.sqlite.prepare('SELECT count(*) FROM questions').pluck().get()).toBe(106 - 1 - countDraftSkillQuestions());
    expect(db.sqlite.prepare('SELECT count(*) FROM questions WHERE id = ?').pluck().get(draftQuestionId)).toBe(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM skills WHERE id = ?').pluck().get(draftSkillId)).toBe(0);
    expect(db.sqlite.prepare('SELECT title FROM domains ORDER BY sort_order LIMIT 1').pluck().get()).toBe('Renamed by the instructor');
    await service.close();
    db.sqlite.close();
  }, 60_000);
});

function countDraftSkillQuestions(): number {
  const pack = JSON.parse(readFileSync(packFile, 'utf8')) as { questions: Array<{ skill_id: string }> };
  return pack.questions.filter((q) => q.skill_id === draftSkillId).length;
}
