/** The Electron host's real wiring, run against a recording fake of `electron`: window options, CSP, navigation, permissions, IPC. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../shared/ipc/contract';
import { electronWireChannel, type ServerFrame } from '../../shared/ipc/wire';
import { appIndexUrl } from '../../electron/main/security';
import { buildPack, packText } from '../content/pack-builder';
import { recorded, FakeStore, fakeSafeStorage, FakeBrowserWindow, startHostOnFake, quitHostOnFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
vi.mock('electron-store', async () => ({ default: (await import('./fake-electron')).FakeStore }));

const appFrame = { url: appIndexUrl, parent: null };
type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: { channel?: string; issues?: Array<{ path: string }> } } };
let nextId = 1;

/** Sends one wire frame as the preload would (ipcRenderer.send) from `window`'s page. */
function sendFrame(frame: Record<string, unknown>, senderFrame: unknown = appFrame, window: FakeBrowserWindow = recorded.windows[0]!): void {
  const listener = recorded.ipcListeners.get(electronWireChannel);
  if (!listener) throw new Error('no wire listener');
  listener({ senderFrame, sender: window.webContents }, frame);
}

/** The frames main sent back to `window` on the wire channel. */
function framesTo(window: FakeBrowserWindow = recorded.windows[0]!): ServerFrame[] {
  return window.webContents.sent.filter(([channel]) => channel === electronWireChannel).map(([, frame]) => frame as ServerFrame);
}

async function invoke(channel: string, input: unknown, senderFrame: unknown = appFrame): Promise<Answer> {
  const id = nextId++;
  sendFrame({ id, channel, input }, senderFrame);
  const reply = await vi.waitFor(() => {
    const found = framesTo().find((frame) => 'result' in frame && frame.id === id);
    if (!found || !('result' in found)) throw new Error(`no answer to ${id}`);
    return found;
  }, { timeout: 10_000 });
  return reply.result as Answer;
}

let userData: string;

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'study-electron-host-'));
  delete process.env.ELECTRON_RENDERER_URL;
  await startHostOnFake(userData);
});

afterAll(async () => {
  // Quitting must close core (the database) before the app really quits.
  const event = await quitHostOnFake();
  expect(event.preventDefault).toHaveBeenCalled();
  expect(recorded.ipcListeners.size).toBe(0);
  rmSync(userData, { recursive: true, force: true });
});

describe('the main window', () => {
  it('starts with no error and one window on the app page', () => {
    expect(recorded.errorBoxes).toEqual([]);
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]?.loadedUrl).toBe(appIndexUrl);
  });

  it('is isolated, sandboxed, without Node, with web security and the built preload', () => {
    const prefs = recorded.windows[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('registers app:// as a secure standard scheme', () => {
    expect(recorded.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(recorded.protocolHandlers.has('app')).toBe(true);
  });

  it('sends a strict CSP with every response', () => {
    let headers: Record<string, string[]> = {};
    recorded.headersReceived?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (result: { responseHeaders: Record<string, string[]> }) => {
      headers = result.responseHeaders;
    });
    const csp = headers['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('remembers its bounds when closed', () => {
    recorded.windows[0]?.emit('close');
    expect(FakeStore.instances[0]?.get('windowBounds')).toEqual({ x: 10, y: 20, width: 900, height: 700 });
  });
});

describe('navigation, new windows and permissions', () => {
  const contents = () => recorded.windows[0]!.webContents;

  it('denies every new window and opens only allow-listed https links outside', () => {
    const handler = contents().windowOpenHandler!;
    expect(handler({ url: 'https://supabase.com/docs' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://supabase.com.evil.test/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://study/index.html' })).toEqual({ action: 'deny' });
    expect(recorded.openedExternally).toEqual(['https://supabase.com/docs']);
  });

  it.each(['will-navigate', 'will-redirect'])('%s away from the app is prevented', (eventName) => {
    for (const url of ['https://evil.test/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://evil/index.html', 'http://localhost:5173/']) {
      const event = { preventDefault: vi.fn() };
      contents().emit(eventName, event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const inside = { preventDefault: vi.fn() };
    contents().emit(eventName, inside, 'app://study/index.html#/library');
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses webviews', () => {
    const event = { preventDefault: vi.fn() };
    contents().emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown-permission'])('denies the %s permission', (permission) => {
    const callback = vi.fn();
    recorded.permissionRequestHandler?.({}, permission, callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheckHandler?.({}, permission, 'app://study', {})).toBe(false);
  });

  it("grants the microphone (media, audio only) to the app's own page, in both handlers", () => {
    const callback = vi.fn();
    recorded.permissionRequestHandler?.({}, 'media', callback, { requestingUrl: appIndexUrl, securityOrigin: 'app://study/', isMainFrame: true, mediaTypes: ['audio'] });
    expect(callback).toHaveBeenCalledWith(true);
    expect(recorded.permissionCheckHandler?.({}, 'media', 'app://study', { mediaType: 'audio', requestingUrl: appIndexUrl, securityOrigin: 'app://study/', isMainFrame: true })).toBe(true);
  });

  it.each([
    ['the camera', 'media', { requestingUrl: appIndexUrl, isMainFrame: true, mediaTypes: ['video'] }],
    ['camera and microphone together', 'media', { requestingUrl: appIndexUrl, isMainFrame: true, mediaTypes: ['audio', 'video'] }],
    ['media naming no type', 'media', { requestingUrl: appIndexUrl, isMainFrame: true, mediaTypes: [] }],
    ['another origin', 'media', { requestingUrl: 'https://evil.test/', isMainFrame: true, mediaTypes: ['audio'] }],
    ['another app:// host', 'media', { requestingUrl: 'app://evil/index.html', isMainFrame: true, mediaTypes: ['audio'] }],
    ['a file:// page', 'media', { requestingUrl: 'file:///tmp/index.html', isMainFrame: true, mediaTypes: ['audio'] }],
    ['the app page embedded by another origin', 'media', { requestingUrl: appIndexUrl, securityOrigin: 'https://evil.test/', isMainFrame: true, mediaTypes: ['audio'] }],
    ['a subframe', 'media', { requestingUrl: appIndexUrl, isMainFrame: false, mediaTypes: ['audio'] }],
    ['notifications from the app page', 'notifications', { requestingUrl: appIndexUrl, isMainFrame: true }],
    ['display capture from the app page', 'display-capture', { requestingUrl: appIndexUrl, isMainFrame: true, mediaTypes: ['audio'] }],
  ])('refuses %s when requested', (_what, permission, details) => {
    const callback = vi.fn();
    recorded.permissionRequestHandler?.({}, permission, callback, details);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it.each([
    ['the camera', 'media', 'app://study', { mediaType: 'video', requestingUrl: appIndexUrl }],
    ['an unknown media type', 'media', 'app://study', { mediaType: 'unknown', requestingUrl: appIndexUrl }],
    ['the microphone for another origin', 'media', 'https://evil.test', { mediaType: 'audio', requestingUrl: 'https://evil.test/' }],
    ['the microphone for the app page inside another origin', 'media', 'app://study', { mediaType: 'audio', requestingUrl: appIndexUrl, securityOrigin: 'https://evil.test/' }],
    ['the microphone from another URL under the app origin', 'media', 'app://study', { mediaType: 'audio', requestingUrl: 'https://evil.test/' }],
    ['clipboard from the app page', 'clipboard-read', 'app://study', { requestingUrl: appIndexUrl }],
  ])('refuses %s when checked', (_what, permission, origin, details) => {
    expect(recorded.permissionCheckHandler?.({}, permission, origin, details)).toBe(false);
  });
});

describe('IPC', () => {
  it('listens on the one wire channel, and runs core in a utility process from the built core entry', () => {
    expect([...recorded.ipcListeners.keys()]).toEqual([electronWireChannel]);
    expect(recorded.utilityForks).toHaveLength(1);
    expect(recorded.utilityForks[0]).toMatch(/[\\/]core\.js$/);
  });

  it('answers the app page with a Result from core', async () => {
    const result = await invoke('app:info', {});
    expect(result).toMatchObject({ ok: true, value: { host: 'electron', version: '0.1.0-test', dataDir: userData } });
  });

  it.each([
    ['a foreign page', { url: 'https://evil.test/', parent: null }],
    ['a sub-frame of the app', { url: appIndexUrl, parent: appFrame }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['no frame (destroyed)', null],
  ])('refuses calls from %s on every channel', async (_label, frame) => {
    for (const channel of Object.keys(channels)) {
      const result = await invoke(channel, {}, frame);
      expect(result, channel).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Only the Study Desk window') } });
    }
  });

  const malformed: unknown[] = [
    'string',
    42,
    [],
    { unexpected: true },
    { sessionId: 'not-a-uuid', skillId: 7, mode: 'exam', ids: [], questionId: {}, answer: null, url: 'x', email: 'x', theme: 'neon' },
  ];
  it('answers malformed input on every channel with an invalid_input AppError naming the field (its key in details), never a throw', async () => {
    for (const channel of Object.keys(channels)) {
      for (const input of malformed) {
        const result = await invoke(channel, input);
        expect(result.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
        expect(result.error?.code, `${channel} ${JSON.stringify(input)}`).toBe('invalid_input');
        expect(result.error?.details?.channel).toBe(channel);
      }
    }
    // Every channel names an unexpected key, and every missing required field, by name.
    for (const [channel, { input }] of Object.entries(channels)) {
      const unexpected = await invoke(channel, { unexpectedField: 1 });
      expect(unexpected.error?.message, channel).toContain('unexpectedField');
      const shape = (input as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
      const required = Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success).map(([key]) => key);
      if (required.length === 0) continue;
      const missing = await invoke(channel, {});
      const paths = missing.error?.details?.issues?.map((issue) => issue.path);
      for (const key of required) expect(paths, `${channel} ${key}`).toContain(key);
      expect(missing.error?.message, channel).toMatch(/ is missing[.;]/);
    }
    const named = await invoke('practice:start', { skillId: 'nope', mode: 'practice' });
    expect(named.error?.message).toContain('Skill must be an id');
    expect(named.error?.details?.issues?.map((issue) => issue.path)).toEqual(['skillId']);
    const nested = await invoke('practice:answer', { sessionId: crypto.randomUUID(), questionId: crypto.randomUUID(), answer: { order: ['x'] } });
    expect(nested.error?.message).toMatch(/^Answer /);
    expect(nested.error?.details?.issues?.[0]?.path).toMatch(/^answer/);
  });

  it('keeps settings set through IPC in electron-store, in main', async () => {
    await invoke('settings:set', { theme: 'dark' });
    // Core writes through to main over the parent port: the store is main's.
    await vi.waitFor(() => expect((FakeStore.instances[0]?.get('settings') as { theme?: string } | undefined)?.theme).toBe('dark'));
  });

  it('refuses a stream from a foreign frame with an error on its id', async () => {
    const id = nextId++;
    sendFrame({ kind: 'stream', id, stream: 'content:import', input: { mode: 'append' }, uploadBytes: 10 }, { url: 'https://evil.test/', parent: null });
    await vi.waitFor(() => expect(framesTo()).toContainEqual({ kind: 'error', id, error: expect.objectContaining({ code: 'forbidden' }) }));
  });

  it('delivers a stream to the window that started it only, and a closed window ends only its own connection', async () => {
    const other = new FakeBrowserWindow({});
    const body = Buffer.from(packText(buildPack({ prefix: 'elec', questionsPerSkill: 3 })));
    const id = nextId++;
    sendFrame({ kind: 'stream', id, stream: 'content:import', input: { mode: 'append' }, uploadBytes: body.byteLength });
    sendFrame({ kind: 'upload', id, seq: 0, data: body.toString('base64') });
    const done = await vi.waitFor(() => {
      const found = framesTo().find((frame) => 'kind' in frame && frame.kind === 'done' && frame.id === id);
      if (!found) throw new Error('no done yet');
      return found;
    }, { timeout: 10_000 });
    expect(done).toMatchObject({ value: { counts: { questions: { inserted: 6 } } } });
    // Received, validated, importing, then how many rows are written so far: all of this stream's, to this window.
    const phases = framesTo()
      .filter((frame) => 'kind' in frame && frame.kind === 'chunk' && frame.id === id)
      .map((frame) => (frame as { chunk: { phase: string } }).chunk.phase);
    expect(phases.slice(0, 3)).toEqual(['received', 'validated', 'importing']);
    expect(phases.slice(3).every((phase) => phase === 'importing')).toBe(true);
    // The other window hears the global broadcast, but none of the stream's frames.
    await vi.waitFor(() => expect(framesTo(other)).toContainEqual({ event: 'content:updated', payload: expect.objectContaining({ questionCount: expect.any(Number) }) }));
    expect(framesTo(other).filter((frame) => 'kind' in frame)).toEqual([]);
    other.webContents.emit('destroyed');
    expect(await invoke('app:info', {})).toMatchObject({ ok: true });
    recorded.windows.splice(recorded.windows.indexOf(other), 1);
  });
});

describe('secrets through safeStorage', () => {
  it('refuses to store a secret when the backend is the plain-text fallback', async () => {
    const { createSafeStorageSecretStore } = await import('../../electron/main/secrets');
    const store = new FakeStore({});
    const secrets = createSafeStorageSecretStore(fakeSafeStorage, store);
    secrets.set('refresh_token', 'abc123');
    expect(JSON.stringify(store.get('secrets'))).not.toContain('abc123');
    expect(secrets.get('refresh_token')).toBe('abc123');

    fakeSafeStorage.backend = 'basic_text';
    try {
      expect(() => secrets.set('refresh_token', 'def')).toThrow(/plain text/);
      expect(secrets.get('refresh_token')).toBeNull();
    } finally {
      fakeSafeStorage.backend = 'gnome_libsecret';
    }
    fakeSafeStorage.available = false;
    try {
      expect(() => secrets.set('x', 'y')).toThrow(expect.objectContaining({ code: 'secret_storage_unavailable' }));
    } finally {
      fakeSafeStorage.available = true;
    }
    secrets.delete('refresh_token');
    expect(secrets.get('refresh_token')).toBeNull();
  });
});
