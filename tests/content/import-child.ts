/** Child process of the crash test: imports a pack in chunks and reports each committed chunk, until it is killed. */
import { readFileSync, writeSync } from 'node:fs';
import { importValidatedPackChunked } from '../../electron/core/content/import';
import { validatePackText } from '../../electron/core/content/validate';
import { openDatabase } from '../../electron/core/db/open';
import { createWritePriority } from '../../electron/core/db/write-priority';

const [file, packFile] = process.argv.slice(2);
if (!file || !packFile) throw new Error('usage: import-child DB_FILE PACK_FILE');
const { sqlite } = openDatabase(file);
await importValidatedPackChunked(sqlite, validatePackText(readFileSync(packFile)), {
  mode: 'append',
  // Synchronous write after each committed chunk, then a pause long enough for the parent to kill us mid-import. A
  // learner write "waits" before every row, so each chunk holds one row and the kill lands mid-import at any speed.
  onProgress: ({ written, total }) => writeSync(1, `${written}/${total}\n`),
  priority: { ...createWritePriority(), learnerWaiting: () => true, stepAside: () => new Promise((resolve) => setTimeout(resolve, 20)) },
});
writeSync(1, 'done\n');
