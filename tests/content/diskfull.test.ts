/** A disk that fills up during an import (simulated with max_page_count): a clear error and nothing half-written. */
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/errors';
import { importPack } from '../../electron/core/content/import';
import { buildPack, packText } from './pack-builder';
import { countRows, dumpContent, useTempDatabases } from './temp-database';

const freshDatabase = useTempDatabases();

describe('disk full during an import', () => {
  it('fails with storage_full, leaves every content table as it was, and the next import works', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack({ withDrillPack: true })), { mode: 'append' });
    const before = dumpContent(db.sqlite);

    // Room for a few more pages only: the large pack below needs hundreds.
    const pages = db.sqlite.pragma('page_count', { simple: true }) as number;
    db.sqlite.pragma(`max_page_count = ${pages + 4}`);
    const large = buildPack({ prefix: 'large', domains: 2, skillsPerDomain: 10, questionsPerSkill: 200, promptPadding: 200, withDrillPack: true });
    large.domains[0]!.title = 'Written first, then rolled back';

    let failure: unknown;
    try {
      importPack(db.sqlite, packText(large), { mode: 'override' });
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('storage_full');
    expect((failure as AppFailure).message).toMatch(/disk is full.*rolled back.*nothing was changed/i);
    expect(db.sqlite.inTransaction).toBe(false);
    expect(dumpContent(db.sqlite)).toEqual(before);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

    // Space freed: the same import now succeeds in full.
    db.sqlite.pragma('max_page_count = 1073741823');
    const result = importPack(db.sqlite, packText(large), { mode: 'override' });
    expect(result.counts.questions.inserted).toBe(4000);
    expect(countRows(db.sqlite, 'questions')).toBe(4 + 4000);
  });
});
