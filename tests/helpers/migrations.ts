/** An older app's view of the database schema, to test what an upgrade finds. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../../electron/core/db/open';

/** A copy of the migrations folder (in `dir`) holding only the first `count` migrations: an older app's view. */
export function migrationsUpTo(count: number, dir: string): string {
  const copy = join(dir, 'migrations');
  cpSync(defaultMigrationsDir, copy, { recursive: true });
  const journalPath = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return copy;
}
