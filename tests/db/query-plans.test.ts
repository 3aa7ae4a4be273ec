/**
 * Every statement the hot paths really prepare (library tree, practice, progress, the outbox queue and counts, the
 * sync status) is captured as the real code prepares it and planned with EXPLAIN QUERY PLAN: none may scan a large
 * table without an index, and the ones named below must use their index.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importPack } from '../../electron/core/content/import';
import { createOrphanSweep } from '../../electron/core/content/provenance';
import { createLibraryQueries } from '../../electron/core/content/tree';
import { openDatabase, type Sqlite } from '../../electron/core/db/open';
import { createPractice } from '../../electron/core/practice/practice';
import { systemClock } from '../../electron/core/ports';
import { createOutboxQueries } from '../../electron/core/sync/outbox';
import { defaultOutboxCap } from '../../electron/core/sync/outbox-cap';
import { createStatusBoard } from '../../electron/core/sync/status';

/** The connection as the real code sees it, recording the SQL of every statement prepared through it. */
function recording(sqlite: Sqlite): { handle: Sqlite; sources: string[] } {
  const sources: string[] = [];
  const handle = new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          sources.push(source);
          return target.prepare(source);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { handle, sources };
}

/** EXPLAIN QUERY PLAN needs every parameter bound; NULL does for planning. */
function plan(sqlite: Sqlite, source: string): string {
  const statement = sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`);
  const named = [...source.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  const positional = (source.match(/\?/g) ?? []).length;
  const rows = (
    named.length > 0
      ? statement.all(Object.fromEntries(named.map((name) => [name, null])))
      : statement.all(...Array<null>(positional).fill(null))
  ) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join('\n');
}

function hotStatements(): { sqlite: Sqlite; sources: string[] } {
  const { sqlite } = openDatabase(':memory:');
  importPack(sqlite, readFileSync(new URL('../../resources/sample-pack.json', import.meta.url)), { mode: 'append' });
  const { handle, sources } = recording(sqlite);
  const library = createLibraryQueries(handle);
  const practice = createPractice(handle, { clock: systemClock, timeZone: () => 'UTC' });
  const outbox = createOutboxQueries(handle);
  const board = createStatusBoard({ sqlite: handle, configured: () => true, signedInEmail: () => null, outboxCap: defaultOutboxCap });
  // Run a learner's path once, so statements prepared on first use are captured too.
  library.tree(null);
  const skillId = handle.prepare('SELECT skill_id FROM questions WHERE is_published = 1 LIMIT 1').pluck().get() as string;
  sources.pop();
  const session = practice.startSession(skillId, 'practice');
  const { question } = practice.nextQuestion(session.id);
  if (question) {
    practice.recordAttempt(session.id, question.id, question.type === 'reorder_steps' ? { order: question.steps.map((_, i) => i) } : { choice: 0 });
  }
  practice.endSession(session.id);
  practice.overview();
  // The study loop: Today, a review session of the question just answered, its answer re-rated, the skill's recall.
  practice.today();
  const review = practice.startReview();
  const due = practice.nextQuestion(review.id).question;
  if (due) {
    const answered = practice.recordAttempt(review.id, due.id, due.type === 'reorder_steps' ? { order: due.steps.map((_, i) => i) } : { choice: 0 });
    if (answered.isCorrect) practice.rate(answered.attemptId, 'easy');
  }
  practice.recall(skillId);
  outbox.nextBatch(10, 100_000);
  outbox.deadLetters();
  board.status();
  // The end of every complete pull.
  createOrphanSweep(handle)();
  return { sqlite, sources: [...new Set(sources)] };
}

const largeTables = /SCAN (questions|attempts|outbox|skill_progress|sessions|skills|memory_states)\s*$/m;

describe('hot queries use indexes', () => {
  const { sqlite, sources } = hotStatements();

  it('captures the real statements', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  // Known scans, each off the learner's path. Pruning delivered outbox rows runs in the sync worker once per drained
  // push and stops at its LIMIT; with nothing to prune it reads the whole outbox (an index on processed_utc_ms
  // would cost every delivery a write: left as it is).
  const knownScans = [/^DELETE FROM outbox WHERE id IN \(SELECT id FROM outbox WHERE processed = 1 AND processed_utc_ms/];
  const checked = sources.filter((source) => !knownScans.some((known) => known.test(source.trim())));

  it.each(checked.map((source) => [source.replace(/\s+/g, ' ').slice(0, 90), source]))('%s', (_name, source) => {
    expect(plan(sqlite, source!)).not.toMatch(largeTables);
  });

  const named: Array<[string, RegExp, RegExp[]]> = [
    [
      'the library tree',
      /FROM domains d\s+JOIN skills s/,
      // Covering: each skill's learnable count reads the index alone, never 100k question rows.
      [/skills_domain_(order_idx|slug_uq)/, /COVERING INDEX questions_skill_published_order_idx/, /skill_progress_user_skill_uq/],
    ],
    ['the next due question', /FROM memory_states m CROSS JOIN .*\s+WHERE m.user_id = \? AND m.due_utc_ms < \?[\s\S]*LIMIT 1/, [/memory_states_user_due_idx \(user_id=\? AND due_utc_ms<\?\)/, /attempts_session_idx/]],
    ['the due-today count', /SELECT COUNT\(\*\) FROM memory_states m/, [/memory_states_user_due_idx/]],
    ['the dead-letter count', /SELECT count\(\*\) FROM outbox WHERE dead_utc_ms IS NOT NULL AND processed = 0/, [/outbox_dead_idx/]],
    ['the dead-letter list', /FROM outbox WHERE dead_utc_ms IS NOT NULL AND processed = 0 ORDER BY/, [/outbox_dead_idx/]],
    ['the device-only count', /SELECT count\(\*\) FROM outbox WHERE device_only_utc_ms IS NOT NULL AND processed = 0/, [/outbox_device_only_idx/]],
    ['the orphan sweep of questions', /SELECT id FROM questions WHERE origin = 'server' AND skill_id IN/, [/COVERING INDEX questions_skill_slug_uq/]],
    ['the orphan sweep of skills', /SELECT id FROM skills WHERE origin = 'server' AND domain_id IN/, [/COVERING INDEX skills_domain_(slug_uq|order_idx)/]],
    ['the queue head', /FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL AND device_only_utc_ms IS NULL AND waiting_for_account IS NULL ORDER BY/, [/outbox_due_idx/]],
  ];
  it.each(named)('%s uses its indexes', (_name, which, indexes) => {
    const source = sources.find((s) => which.test(s));
    expect(source, 'statement not prepared by the real code').toBeDefined();
    const detail = plan(sqlite, source!);
    for (const index of indexes) expect(detail).toMatch(index);
  });
});
