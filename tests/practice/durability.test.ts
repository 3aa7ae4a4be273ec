import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/ports';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const KILLS = 50;
const TIME_BUDGET_MS = 240_000;

/** Runs the child until it has reported at least one attempt, waits a random moment, then SIGKILLs it. */
function runAndKill(file: string, skillId: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'durability-child.ts'), file, skillId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined;
    const hardStop = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 120));
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(hardStop);
      if (killTimer) clearTimeout(killTimer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${err.slice(0, 2000)}`));
      // Only complete lines were written after a commit; a torn last line cannot happen with writeSync, but be strict.
      else resolve(out.split('\n').filter((line) => /^[0-9a-f-]{36}$/.test(line)));
    });
  });
}

describe('durability', () => {
  it(`keeps every acknowledged attempt and its outbox row across ${KILLS} SIGKILLs`, async () => {
    const dir = tempDir();
    const file = join(dir, 'study.sqlite');
    const opened = openSampleDatabase(dir, systemClock);
    const { skillId } = skillWithBothTypes(opened);
    opened.sqlite.close();

    const acknowledged: string[] = [];
    const started = Date.now();
    let kills = 0;
    while (kills < KILLS && Date.now() - started < TIME_BUDGET_MS) {
      acknowledged.push(...(await runAndKill(file, skillId)));
      kills++;
    }
    expect(kills).toBe(KILLS);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILLS);

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const attemptIds = new Set(db.prepare('SELECT id FROM attempts').pluck().all() as string[]);
    const outboxAttemptIds = new Set(db.prepare("SELECT row_id FROM outbox WHERE table_name = 'attempts'").pluck().all() as string[]);
    for (const id of acknowledged) {
      expect(attemptIds.has(id)).toBe(true);
      expect(outboxAttemptIds.has(id)).toBe(true);
    }
    // No partial writes: every attempt has its outbox row and vice versa, and progress counts every attempt.
    expect([...attemptIds].sort()).toEqual([...outboxAttemptIds].sort());
    const progressAttempts = db.prepare('SELECT COALESCE(SUM(attempt_count), 0) FROM skill_progress').pluck().get();
    expect(progressAttempts).toBe(attemptIds.size);
    const sessionsWithoutOutbox = db
      .prepare("SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.table_name = 'sessions' AND o.row_id = s.id)")
      .pluck()
      .get();
    expect(sessionsWithoutOutbox).toBe(0);
    db.close();
  }, 300_000);
});
