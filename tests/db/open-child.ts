/** Opens a database file and prints the outcome as one JSON line: the read-only tests run this as another user. */
import { openDatabase } from '../../electron/core/db/open';
import { toAppError } from '../../shared/errors';

const file = process.argv[2]!;
try {
  openDatabase(file).sqlite.close();
  console.log(JSON.stringify({ ok: true }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, ...toAppError(err) }));
}
