/**
 * `startup_quick_check`: ms of the integrity check every start runs (PRAGMA quick_check) on a database holding 100k
 * questions; baseline: a plain open of the same file with one query, in the same run. Also what a whole start's open
 * costs with the check (`startup_open_100k`), and the first start of a day, which also writes the rolling daily backup
 * (`startup_daily_backup_100k`), against the same baseline.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { importPack } from '../electron/core/content/import';
import { takeDailyBackup } from '../electron/core/db/backups';
import { assertIntact } from '../electron/core/db/checks';
import { openDatabase } from '../electron/core/db/open';
import { systemClock } from '../electron/core/ports';
import { buildPack } from '../tests/content/pack-builder';
import { median, round, withBaseline, type BenchResult } from './result';

const SHAPE = { domains: 50, skillsPerDomain: 20, questionsPerSkill: 100 };
const SAMPLES = 7;

export function benchStartupCheck(): Promise<BenchResult[]> {
  return Promise.resolve(measure());
}

function measure(): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'study-desk-bench-check-'));
  try {
    const file = join(dir, 'study.sqlite');
    const built = openDatabase(file);
    importPack(built.sqlite, JSON.stringify(buildPack({ ...SHAPE, prefix: 'bench' })), { mode: 'append', clock: systemClock });
    built.sqlite.close();

    const plainOpen: number[] = [];
    const quickCheck: number[] = [];
    const fullOpen: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      let start = performance.now();
      const plain = new Database(file, { readonly: true });
      plain.prepare('SELECT COUNT(*) FROM domains').pluck().get();
      plainOpen.push(performance.now() - start);

      start = performance.now();
      assertIntact(plain, file);
      quickCheck.push(performance.now() - start);
      plain.close();

      start = performance.now();
      openDatabase(file).sqlite.close();
      fullOpen.push(performance.now() - start);
    }
    const baseline = median(plainOpen);
    const opened = openDatabase(file);
    const backupStart = performance.now();
    takeDailyBackup(opened.sqlite, file, Date.now());
    const backupMs = performance.now() - backupStart;
    opened.sqlite.close();
    return [
      withBaseline('startup_quick_check', median(quickCheck), 'ms', baseline, 'value <= 1000 ms at 100k questions'),
      withBaseline('startup_open_100k', median(fullOpen), 'ms', baseline, 'value <= 1500 ms at 100k questions'),
      withBaseline('startup_daily_backup_100k', backupMs, 'ms', baseline, 'once a day; value <= 3000 ms at 100k questions'),
      { name: 'startup_db_size', value: round(statSync(file).size / (1024 * 1024)), unit: 'MiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
