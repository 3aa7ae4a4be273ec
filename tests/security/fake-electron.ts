/** A recording stand-in for the `electron` module (and electron-store), so the host's real wiring runs under plain Node. */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, vi, type Mock } from 'vitest';
import { coreProcessEntry } from '../../electron/core/process/fork';

type Listener = (...args: unknown[]) => unknown;

export const recorded = {
  windows: [] as FakeBrowserWindow[],
  ipcListeners: new Map<string, Listener>(),
  /** Paths the host asked utilityProcess.fork to run; each really runs the core entry in a Node child. */
  utilityForks: [] as string[],
  permissionRequestHandler: null as Listener | null,
  permissionCheckHandler: null as Listener | null,
  headersReceived: null as Listener | null,
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  openedExternally: [] as string[],
  errorBoxes: [] as string[],
  messageBoxes: [] as string[],
  /** What Menu.setApplicationMenu was given: the built template, or null; undefined while never called. */
  applicationMenu: undefined as { template: unknown[] } | null | undefined,
  quitCalls: 0,
  userDataDir: '',
  appPath: '',
  singleInstance: true,
};

let nextWebContentsId = 1;

class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  sent: Array<[string, unknown]> = [];
  windowOpenHandler: Listener | null = null;
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return recorded.windows;
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    fakeApp.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 900, height: 700 };
  }
}

let resolveReady: () => void = () => {};
const readyPromise = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

class FakeApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock(): boolean {
    return recorded.singleInstance;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return recorded.userDataDir;
  }
  setPath(name: string, path: string): void {
    if (name !== 'userData') throw new Error(`unexpected setPath(${name})`);
    recorded.userDataDir = path;
  }
  getAppPath(): string {
    return recorded.appPath;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  quit(): void {
    recorded.quitCalls++;
  }
}
export const fakeApp = new FakeApp();
export const makeReady = (): void => resolveReady();

/**
 * Starts the real Electron host on this fake (the test file mocks `electron` and `electron-store` with it), with its
 * userData in `userDataDir`, and waits until the app is ready. Set anything else the host reads (a packaged app's
 * resources) before.
 */
export async function startHostOnFake(userDataDir: string): Promise<void> {
  recorded.userDataDir = userDataDir;
  recorded.appPath = fileURLToPath(new URL('../..', import.meta.url));
  const { startElectronHost } = await import('../../electron/main/host');
  const host = startElectronHost();
  makeReady();
  await host.ready;
}

/** Quits as the system would (before-quit) and waits until the host really quits; returns the event it was given. */
export async function quitHostOnFake(): Promise<{ preventDefault: Mock }> {
  const event = { preventDefault: vi.fn() };
  fakeApp.emit('before-quit', event);
  await vi.waitFor(() => expect(recorded.quitCalls).toBeGreaterThan(0), { timeout: 5000 });
  return event;
}

/** Encrypts by reversing: enough to see that stored values are not the plain secret. */
export const fakeSafeStorage = {
  backend: 'gnome_libsecret' as 'basic_text' | 'gnome_libsecret',
  available: true,
  isEncryptionAvailable: () => fakeSafeStorage.available,
  getSelectedStorageBackend: () => fakeSafeStorage.backend,
  encryptString: (value: string) => Buffer.from([...value].reverse().join(''), 'utf8'),
  decryptString: (buffer: Buffer) => [...buffer.toString('utf8')].reverse().join(''),
};

export const electronModule = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    on: (channel: string, listener: Listener) => {
      if (recorded.ipcListeners.has(channel)) throw new Error(`second listener for ${channel}`);
      recorded.ipcListeners.set(channel, listener);
    },
    removeAllListeners: (channel: string) => recorded.ipcListeners.delete(channel),
  },
  utilityProcess: { fork: fakeUtilityFork },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => (recorded.permissionRequestHandler = handler),
      setPermissionCheckHandler: (handler: Listener) => (recorded.permissionCheckHandler = handler),
      webRequest: { onHeadersReceived: (handler: Listener) => (recorded.headersReceived = handler) },
    },
  },
  shell: {
    openExternal: (url: string) => {
      recorded.openedExternally.push(url);
      return Promise.resolve();
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (menu: { template: unknown[] } | null) => (recorded.applicationMenu = menu),
  },
  dialog: {
    showErrorBox: (_title: string, message: string) => recorded.errorBoxes.push(message),
    showMessageBox: (_window: unknown, options: { message: string }) => {
      recorded.messageBoxes.push(options.message);
      return Promise.resolve({ response: 0, checkboxChecked: false });
    },
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  net: { fetch: async (url: string) => new Response(await readFile(fileURLToPath(url))) },
  safeStorage: fakeSafeStorage,
};

/** electron-store stand-in: an in-memory key-value store with the same get/set/delete. */
export class FakeStore {
  static instances: FakeStore[] = [];
  readonly data = new Map<string, unknown>();
  constructor(readonly options: unknown) {
    FakeStore.instances.push(this);
  }
  get(key: string): unknown {
    return this.data.get(key);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
}

/**
 * utilityProcess.fork stand-in: runs the real core-process entry in a Node child (the built core.js needs
 * Electron), and speaks to it like a UtilityProcess: postMessage, 'message' with the data, 'exit' with the code.
 */
function fakeUtilityFork(modulePath: string): EventEmitter & { postMessage(message: unknown): void; kill(): boolean } {
  recorded.utilityForks.push(modulePath);
  const child = fork(coreProcessEntry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'inherit' });
  const utility = Object.assign(new EventEmitter(), {
    postMessage: (message: unknown) => void child.send(message as object),
    kill: () => child.kill('SIGKILL'),
  });
  child.on('message', (message) => utility.emit('message', message));
  child.on('exit', (code) => utility.emit('exit', code ?? -1));
  return utility;
}
