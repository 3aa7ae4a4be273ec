/** Loads the built preload (out/preload/index.cjs) in a VM with a fake contextBridge and checks exactly what it exposes. */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodName } from '../../shared/ipc/api';
import { channels, streams } from '../../shared/ipc/contract';
import { electronWireChannel } from '../../shared/ipc/wire';
import { ensureBuiltPreload } from './build-preload';

type Listener = (...args: unknown[]) => void;

interface Loaded {
  exposed: Map<string, unknown>;
  required: string[];
  /** Frames the preload sent, with the IPC channel they went on. */
  sent: Array<[string, Record<string, unknown>]>;
  listeners: Map<string, Set<Listener>>;
  /** Delivers a frame from main, as ipcRenderer would. */
  deliver(frame: unknown): void;
}

/** `onSend` plays main: it may answer a frame (by calling `deliver`) or throw like a broken IPC. */
function loadPreload(code: string, onSend: (frame: Record<string, unknown>, loaded: Loaded) => void = (frame, loaded) => loaded.deliver({ id: frame.id, result: { ok: true, value: 1 } })): Loaded {
  const loaded: Loaded = {
    exposed: new Map(),
    required: [],
    sent: [],
    listeners: new Map(),
    deliver(frame) {
      for (const listener of loaded.listeners.get(electronWireChannel) ?? []) listener({ sender: 'ipc-event-object' }, frame);
    },
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => loaded.exposed.set(key, value) },
    ipcRenderer: {
      send: (channel: string, frame: Record<string, unknown>) => {
        loaded.sent.push([channel, frame]);
        onSend(frame, loaded);
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
  runInNewContext(code, { require: fakeRequire, module, exports: module.exports, console, Promise, URL, TypeError, setTimeout, clearTimeout, btoa }, { filename: 'index.cjs' });
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
    const expected = [...[...Object.keys(channels), ...Object.keys(streams)].map((c) => methodName(c)), 'on'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('sends exactly the contract channel of each method as a request frame, on the one wire channel', async () => {
    const loaded = loadPreload(code);
    const api = loaded.exposed.get('studyApi') as Record<string, (input?: unknown) => Promise<unknown>>;
    expect(await api.libraryTree!({})).toEqual({ ok: true, value: 1 });
    await api.practiceStart!({ skillId: 'x', mode: 'practice' });
    await api.syncSignIn!();
    expect(loaded.sent.map(([channel]) => channel)).toEqual([electronWireChannel, electronWireChannel, electronWireChannel]);
    expect(loaded.sent.map(([, frame]) => [frame.channel, frame.input])).toEqual([
      ['library:tree', {}],
      ['practice:start', { skillId: 'x', mode: 'practice' }],
      ['sync:signIn', {}],
    ]);
  });

  it('runs a stream: upload frames after the start, chunks to the caller, cancel as a frame', async () => {
    const loaded = loadPreload(code, () => {});
    const api = loaded.exposed.get('studyApi') as { contentImport(input: unknown, options: unknown): { done: Promise<unknown>; cancel(): void } };
    const chunks: unknown[] = [];
    const call = api.contentImport({ mode: 'append' }, { upload: new Uint8Array([1, 2, 3]), onChunk: (chunk: unknown) => chunks.push(chunk) });
    const [[, start], [, upload]] = loaded.sent as [[string, Record<string, unknown>], [string, Record<string, unknown>]];
    expect(start).toMatchObject({ kind: 'stream', stream: 'content:import', input: { mode: 'append' }, uploadBytes: 3 });
    expect(upload).toEqual({ kind: 'upload', id: start.id, seq: 0, data: 'AQID' });
    loaded.deliver({ kind: 'chunk', id: start.id, chunk: { phase: 'importing' } });
    call.cancel();
    expect(loaded.sent[2]?.[1]).toEqual({ kind: 'cancel', id: start.id });
    loaded.deliver({ kind: 'error', id: start.id, error: { code: 'cancelled', message: 'Cancelled.' } });
    expect(await call.done).toEqual({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    expect(chunks).toEqual([{ phase: 'importing' }]);
  });

  it('turns a failing send (IPC failure) into a Result, never a rejection', async () => {
    const loaded = loadPreload(code, () => {
      throw new Error('An object could not be cloned.');
    });
    const api = loaded.exposed.get('studyApi') as Record<string, () => Promise<unknown>>;
    await expect(api.appInfo!()).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('could not be cloned') },
    });
  });

  it('on() listens to contract events only and returns an unsubscribe', () => {
    const loaded = loadPreload(code);
    const api = loaded.exposed.get('studyApi') as { on: (event: string, cb: (payload: unknown) => void) => () => void };
    const received: unknown[] = [];
    const unsubscribe = api.on('sync:status', (payload) => received.push(payload));
    loaded.deliver({ event: 'sync:status', payload: { state: 'idle' } });
    loaded.deliver({ event: 'content:updated', payload: { questionCount: 1, contentVersion: null } });
    expect(received).toEqual([{ state: 'idle' }]);
    unsubscribe();
    loaded.deliver({ event: 'sync:status', payload: { state: 'syncing' } });
    expect(received).toHaveLength(1);

    for (const name of ['library:tree', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 'sync:status ', '']) {
      expect(() => api.on(name, () => {}), name).toThrow(/Unknown event/);
    }
    // The preload listens on its wire channel and nothing else.
    expect([...loaded.listeners.keys()]).toEqual([electronWireChannel]);
  });
});
