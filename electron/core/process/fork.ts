/** The core process under plain Node: `child_process.fork` with the same protocol Electron's utilityProcess uses (tests, benchmarks). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCoreProcess, type CoreProcess, type HostStores } from './host';
import type { StudyApi } from '../../../shared/ipc/api';
import { createWireClient, type WireClient } from '../../../shared/ipc/study-api';
import { defaultSettings } from '../ports';
import type { CoreMessage, CoreProcessOptions } from './protocol';

export const coreProcessEntry = fileURLToPath(new URL('./entry.ts', import.meta.url));

/**
 * Runs the core process under plain Node with `child_process.fork` and the same protocol Electron uses.
 * `execArgv` defaults to loading tsx so the TypeScript entry runs as is (tests, benchmarks).
 */
export async function forkCoreProcess(
  options: CoreProcessOptions,
  stores: HostStores,
  launch: { entry?: string; execArgv?: string[] } = {},
): Promise<CoreProcess & { pid: number }> {
  const child = fork(launch.entry ?? coreProcessEntry, [], { execArgv: launch.execArgv ?? ['--import', 'tsx'], serialization: 'advanced', stdio: 'inherit' });
  const core = await startCoreProcess(
    {
      postMessage: (message) => child.send(message),
      onMessage: (listener) => child.on('message', (message) => listener(message as CoreMessage)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    },
    options,
    stores,
  );
  // The pid lets tests kill it as a crash would.
  return { ...core, pid: child.pid ?? -1 };
}

/** Settings and secrets kept in the parent's memory: the plain-Node host of tests and benchmarks. */
export function createMemoryHostStores(): HostStores & { values: Map<string, unknown>; secretValues: Map<string, string> } {
  let settings = defaultSettings;
  const values = new Map<string, unknown>();
  const secretValues = new Map<string, string>();
  return {
    values,
    secretValues,
    settings: {
      get: () => settings,
      set: (patch) => (settings = { ...settings, ...patch }),
      getValue: <T>(key: string) => values.get(key) as T | undefined,
      setValue: (key, value) => void values.set(key, value),
    },
    secrets: {
      get: (name) => secretValues.get(name) ?? null,
      set: (name, value) => void secretValues.set(name, value),
      delete: (name) => void secretValues.delete(name),
    },
    snapshot: () => ({ settings, values: Object.fromEntries(values), secrets: Object.fromEntries(secretValues), secretsRefusal: null }),
  };
}

/**
 * A renderer's view of a core process: the same StudyApi the preload exposes, over one wire connection
 * (so streams and their chunks belong to it), with core's broadcasts. `disconnect` is a window closing.
 */
export function connectStudyApi(core: CoreProcess): { api: StudyApi; disconnect(): void } {
  let client: WireClient | null = null;
  const connection = core.connect((frame) => client?.receive(frame));
  client = createWireClient({
    send(frame) {
      connection.receive(frame);
      return null;
    },
  });
  const connected = client;
  const stopEvents = core.onEvent((event, payload) => connected.receive({ event, payload }));
  return {
    api: connected.api,
    disconnect() {
      stopEvents();
      connection.close();
      connected.connectionLost('The window was closed.');
    },
  };
}
