/** Benchmarks of the local database at 100k questions: import, record attempt, next question, library tree. */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLibraryQueries } from '../electron/core/content/tree';
import { importPack } from '../electron/core/content/import';
import { openDatabase, type Sqlite } from '../electron/core/db/open';
import { currentLearnerId } from '../electron/core/learner/identity';
import { createPractice } from '../electron/core/practice/practice';
import { systemClock } from '../electron/core/ports';
import { buildPack } from '../tests/content/pack-builder';
import { median, percentile, round, withBaseline, type BenchResult } from './result';

const SHAPE = { domains: 50, skillsPerDomain: 20, questionsPerSkill: 100 };
const ATTEMPT_SAMPLES = 400;
const NEXT_SAMPLES = 2000;
const TREE_SAMPLES = 30;

export async function benchCore(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'study-desk-bench-'));
  try {
    const packFile = join(dir, 'pack-100k.json');
    writeFileSync(packFile, JSON.stringify(buildPack({ ...SHAPE, prefix: 'bench' })));
    const packBytes = readFileSync(packFile);

    const importMs = timeImport(join(dir, 'import.sqlite'), packBytes);
    const rawMs = timeRawInsert(join(dir, 'raw.sqlite'), packBytes);

    const { sqlite } = openDatabase(join(dir, 'import.sqlite'));
    const results = [
      withBaseline('import_100k', importMs, 'ms', rawMs, 'ratio <= 3'),
      recordAttemptBench(sqlite),
      nextQuestionBench(sqlite),
      libraryTreeBench(sqlite),
    ];
    sqlite.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeImport(file: string, packBytes: Buffer): number {
  const { sqlite } = openDatabase(file);
  const start = performance.now();
  importPack(sqlite, packBytes, { mode: 'append', clock: systemClock });
  const ms = performance.now() - start;
  sqlite.close();
  return ms;
}

/** Baseline: the same rows through raw prepared INSERTs in one transaction, parsing excluded. */
function timeRawInsert(file: string, packBytes: Buffer): number {
  const pack = JSON.parse(packBytes.toString('utf8')) as ReturnType<typeof buildPack>;
  const { sqlite } = openDatabase(file);
  const start = performance.now();
  const domain = sqlite.prepare('INSERT INTO domains (id, slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const skill = sqlite.prepare(
    'INSERT INTO skills (id, domain_id, slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const question = sqlite.prepare(
    'INSERT INTO questions (id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    for (const d of pack.domains) domain.run(d.id, d.slug, d.title, d.sort_order ?? 0, d.is_published ? 1 : 0, d.created_utc_ms ?? 0, d.updated_utc_ms ?? 0);
    for (const s of pack.skills) {
      skill.run(s.id, s.domain_id, s.slug, s.title, s.description ?? null, s.sort_order ?? 0, s.is_published ? 1 : 0, s.created_utc_ms ?? 0, s.updated_utc_ms ?? 0);
    }
    for (const q of pack.questions) {
      question.run(
        q.id,
        q.skill_id,
        q.slug,
        q.type,
        JSON.stringify(q.payload),
        q.explanation == null ? null : JSON.stringify(q.explanation),
        q.sort_order ?? 0,
        q.is_published ? 1 : 0,
        q.created_utc_ms ?? 0,
        q.updated_utc_ms ?? 0,
      );
    }
  })();
  const ms = performance.now() - start;
  sqlite.close();
  return ms;
}

function skillIds(sqlite: Sqlite): string[] {
  return sqlite.prepare('SELECT id FROM skills ORDER BY id').pluck().all() as string[];
}

function recordAttemptBench(sqlite: Sqlite): BenchResult {
  const practice = createPractice(sqlite, { clock: systemClock, timeZone: () => 'UTC' });
  const skills = skillIds(sqlite);
  const samples: number[] = [];
  let session = practice.startSession(skills[0]!, 'practice');
  let skillIndex = 0;
  while (samples.length < ATTEMPT_SAMPLES) {
    const { question } = practice.nextQuestion(session.id);
    if (!question) {
      practice.endSession(session.id);
      session = practice.startSession(skills[++skillIndex % skills.length]!, 'practice');
      continue;
    }
    const answer = question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder };
    const start = performance.now();
    practice.recordAttempt(session.id, question.id, answer);
    samples.push(performance.now() - start);
  }
  // Baseline: one single-row INSERT commit with the same pragmas (WAL, synchronous=FULL) on the same file.
  sqlite.exec('CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO bench_baseline (payload) VALUES (?)');
  const baseline: number[] = [];
  for (let i = 0; i < ATTEMPT_SAMPLES; i++) {
    const start = performance.now();
    insert.run(`{"choice":${i}}`);
    baseline.push(performance.now() - start);
  }
  sqlite.exec('DROP TABLE bench_baseline');
  return withBaseline('record_attempt', percentile(samples, 95), 'ms (p95)', percentile(baseline, 95), 'ratio <= 2');
}

function nextQuestionBench(sqlite: Sqlite): BenchResult {
  const practice = createPractice(sqlite, { clock: systemClock, timeZone: () => 'UTC' });
  const skills = skillIds(sqlite);
  const samples: number[] = [];
  for (let i = 0; samples.length < NEXT_SAMPLES; i++) {
    // Spread over many skills, sessions part-way through, so the anti-join has answered rows to skip.
    const session = practice.startSession(skills[(i * 37) % skills.length]!, 'practice');
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      const { question } = practice.nextQuestion(session.id);
      samples.push(performance.now() - start);
      if (!question) break;
      practice.recordAttempt(session.id, question.id, question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder });
    }
    practice.endSession(session.id);
  }
  return { name: 'next_question', value: round(percentile(samples, 95)), unit: 'ms (p95)', target: '<= 1 ms' };
}

function libraryTreeBench(sqlite: Sqlite): BenchResult {
  const library = createLibraryQueries(sqlite);
  const userId = currentLearnerId(sqlite);
  const samples: number[] = [];
  let skills = 0;
  for (let i = 0; i < TREE_SAMPLES; i++) {
    const start = performance.now();
    const tree = library.tree(userId);
    samples.push(performance.now() - start);
    skills = tree.domains.reduce((n, d) => n + d.skills.length, 0);
  }
  if (skills !== SHAPE.domains * SHAPE.skillsPerDomain) throw new Error(`library_tree saw ${skills} skills`);
  return { name: 'library_tree', value: round(median(samples)), unit: 'ms (median)', target: '<= 20 ms' };
}
