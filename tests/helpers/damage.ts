/** Ways a database file gets damaged on a real disk, done to a closed file (its WAL checkpointed by the close). */
import { closeSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Cuts the file to `fraction` of its size, as an interrupted copy or a full disk would leave it. */
export function truncateDatabase(file: string, fraction = 0.5): void {
  truncateSync(file, Math.floor(statSync(file).size * fraction));
}

/** Overwrites one b-tree page of `table` with garbage, as a bad sector or a stray write would. Returns its number. */
export function overwritePageOf(file: string, table: string): number {
  const probe = new Database(file, { readonly: true });
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  const pageno = probe.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 2").pluck().get(table) as number;
  probe.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return pageno;
}
