/** Loads the built preload (out/preload/index.cjs) in a VM with a fake contextBridge and checks exactly what it exposes. */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodName } from '../../shared/ipc/api';
import { channels, type ChannelName } from '../../shared/ipc/contract';
import { ensureBuiltPreload } from './build-preload';

type Listener = (...args: unknown[]) => void;

interface Loaded {
  exposed: Map<string, unknown>;
  required: string[];
  invokes: Array<[string, unknown]>;
  listeners: Map<string, Set<Listener>>;
}

function loadPreload(code: string, invokeResult: () => Promise<unknown> = () => Promise.resolve({ ok: true, value: 1 })): Loaded {
  const loaded: Loaded = { exposed: new Map(), required: [], invokes: [], listeners: new Map() };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => loaded.exposed.set(key, value) },
    ipcRenderer: {
      invoke: (channel: string, input: unknown) => {
        loaded.invokes.push([channel, input]);
        return invokeResult();
      },
      on: (channel: string, listener: Listener) => {
        const set = loaded.listeners.get(channel) ?? new Set();
        set.add(listener);
        loaded.listeners.set(channel, set);
      },
      removeListener: (channel: string, listener: Listener) => loaded.listeners.get(channel)?.delete(listener),
    },
  };
  const module = { exports: {} };
  // A sandboxed preload may require only a few modules; this one needs `electron` alone.
  const fakeRequire = (name: string) => {
    loaded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the sandboxed preload cannot require ${name}`);
  };
  runInNewContext(code, { require: fakeRequire, module, exports: module.exports, console, Promise, URL, TypeError }, { filename: 'index.cjs' });
  return loaded;
}

let code: string;
beforeAll(async () => {
  code = readFileSync(await ensureBuiltPreload(), 'utf8');
}, 120_000);

describe('the built preload', () => {
  it('requires nothing but electron', () => {
    expect(new Set(loadPreload(code).required)).toEqual(new Set(['electron']));
  });

  it('exposes studyApi alone, with one method per channel plus on, and nothing else', () => {
    const { exposed } = loadPreload(code);
    expect([...exposed.keys()]).toEqual(['studyApi']);
    const api = exposed.get('studyApi') as Record<string, unknown>;
    const expected = [...(Object.keys(channels) as ChannelName[]).map((c) => methodName(c)), 'on'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "appInfo",
        "libraryTree",
        "on",
        "practiceAnswer",
        "practiceEnd",
        "practiceNext",
        "practiceStart",
        "progressOverview",
        "settingsGet",
        "settingsSet",
        "syncConfigure",
        "syncDeadLetters",
        "syncDiscardDead",
        "syncNow",
        "syncRetryDead",
        "syncSignIn",
        "syncSignOut",
        "syncSignUp",
        "syncStatus",
      ]
    `);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invokes exactly the contract channel of each method', async () => {
    const loaded = loadPreload(code);
    const api = loaded.exposed.get('studyApi') as Record<string, (input?: unknown) => Promise<unknown>>;
    await api.libraryTree!({});
    await api.practiceStart!({ skillId: 'x', mode: 'practice' });
    await api.syncSignIn!();
    expect(loaded.invokes).toEqual([
      ['library:tree', {}],
      ['practice:start', { skillId: 'x', mode: 'practice' }],
      ['sync:signIn', {}],
    ]);
  });

  it('turns a rejected invoke (no handler, IPC failure) into a Result, never a rejection', async () => {
    const loaded = loadPreload(code, () => Promise.reject(new Error("No handler registered for 'app:info'")));
    const api = loaded.exposed.get('studyApi') as Record<string, () => Promise<unknown>>;
    await expect(api.appInfo!()).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining("No handler registered for 'app:info'") },
    });
  });

  it('on() listens to contract events only and returns an unsubscribe', () => {
    const loaded = loadPreload(code);
    const api = loaded.exposed.get('studyApi') as { on: (event: string, cb: (payload: unknown) => void) => () => void };
    const received: unknown[] = [];
    const unsubscribe = api.on('sync:status', (payload) => received.push(payload));
    const [listener] = [...(loaded.listeners.get('sync:status') ?? [])];
    listener?.({ sender: 'ipc-event-object' }, { state: 'idle' });
    expect(received).toEqual([{ state: 'idle' }]);
    unsubscribe();
    expect(loaded.listeners.get('sync:status')?.size).toBe(0);

    for (const name of ['library:tree', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 'sync:status ', '']) {
      expect(() => api.on(name, () => {}), name).toThrow(/Unknown event/);
    }
    expect(loaded.listeners.size).toBe(1);
  });
});
