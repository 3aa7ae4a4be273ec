/** A sync client process for the SIGKILL test: signs in, then syncs until the outbox is empty; the test kills it at random. */
import { openDatabase } from '../../../electron/core/db/open';
import { memorySecrets, pendingOutbox, testService } from './helpers';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`push-child needs ${name}`);
  return value;
};

const dbFile = env('SYNC_CHILD_DB');
const { sqlite } = openDatabase(dbFile, { skipMigrations: true });
const service = testService({ dbFile, sqlite, secrets: memorySecrets(), push: { maxBatchCount: 5 } });
await service.configure({ url: env('SYNC_CHILD_URL'), anonKey: env('SYNC_CHILD_ANON_KEY') });
// Tell the test once rows are moving, so its kill lands mid-push.
const pendingAtStart = pendingOutbox(sqlite);
const stopWatching = service.onStatus((status) => {
  if (status.pendingCount < pendingAtStart) {
    process.stdout.write('PUSHING\n');
    stopWatching();
  }
});
await service.signIn({ email: env('SYNC_CHILD_EMAIL'), password: env('SYNC_CHILD_PASSWORD') });
for (let run = 0; run < 200 && pendingOutbox(sqlite) > 0; run++) await service.syncNow();
const left = pendingOutbox(sqlite);
await service.close();
sqlite.close();
process.stdout.write(left === 0 ? 'DRAINED\n' : `LEFT ${left}\n`);
