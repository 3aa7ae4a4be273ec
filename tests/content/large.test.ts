/** A 50 MB pack (~125,000 questions), generated at test time: validated and imported in bounded time and memory. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importValidatedPack } from '../../electron/core/content/import';
import { MAX_PACK_BYTES, validatePackText } from '../../electron/core/content/validate';
import { useTempDirs } from '../helpers/temp';
import { buildPack } from './pack-builder';
import { countRows, useTempDatabases } from './temp-database';

const tempDir = useTempDirs();
const freshDatabase = useTempDatabases();

const MiB = 1024 * 1024;

describe('a 50 MB pack', () => {
  it('validates and imports within generous time and memory bounds', () => {
    const file = join(tempDir(), 'large.json');
    writeFileSync(
      file,
      JSON.stringify(buildPack({ prefix: 'big', domains: 20, skillsPerDomain: 50, questionsPerSkill: 125, promptPadding: 40 })),
    );
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(45 * MiB);
    expect(size).toBeLessThan(MAX_PACK_BYTES);

    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const report = validatePackText(readFileSync(file));
    const validateMs = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(report.errors).toEqual([]);
    expect(report.pack!.questions).toHaveLength(125_000);
    // Bounds, not performance targets: a runaway (quadratic walk, unbounded copies) breaks them.
    expect(validateMs).toBeLessThan(60_000);
    expect(heapGrowth).toBeLessThan(1.5 * 1024 * MiB);

    const db = freshDatabase();
    const importStarted = performance.now();
    const result = importValidatedPack(db.sqlite, report, { mode: 'append' });
    expect(performance.now() - importStarted).toBeLessThan(120_000);
    expect(result.counts.questions.inserted).toBe(125_000);
    expect(countRows(db.sqlite, 'questions')).toBe(125_000);
  });
});
