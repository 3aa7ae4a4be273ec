/**
 * Starts core on a data folder, with the stores Electron's core process uses (the host keeps settings and secrets),
 * and prints as one JSON line what the recovery channel and a study write answer: the read-only tests run this as
 * another user (root ignores file modes).
 */
import { createCore } from '../../electron/core/app';
import { dispatch } from '../../electron/core/ipc/handlers';
import { defaultSettings } from '../../electron/core/ports';
import { createMirroredStores } from '../../electron/core/process/stores';

const dataDir = process.argv[2]!;
const skillId = process.argv[3]!;
const core = createCore({
  dataDir,
  host: 'web',
  appVersion: '0.0.0-test',
  ...createMirroredStores({ settings: defaultSettings, values: {}, secrets: {}, secretsRefusal: null }, () => undefined),
  sync: { runInWorkerThread: false },
});
const status = await dispatch(core.handlers, 'recovery:status', {});
const start = await dispatch(core.handlers, 'practice:start', { skillId, mode: 'practice' });
const fresh = await dispatch(core.handlers, 'recovery:startFresh', {});
await core.close();
console.log(JSON.stringify({ status, start, fresh }));
