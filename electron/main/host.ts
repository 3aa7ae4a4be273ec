/**
 * The Electron host's lifecycle: one instance, one locked-down window on the app:// page, core in a
 * utilityProcess with the window's wire frames routed to it, clean shutdown. Main keeps the window,
 * security, settings and safeStorage; the database and sync live in the core process.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, screen, session, shell, utilityProcess, type WebContents } from 'electron';
import Store from 'electron-store';
import { toAppError } from '../../shared/errors';
import { electronWireChannel } from '../../shared/ipc/wire';
import { startCoreProcess, type CoreProcess } from '../core/process/host';
import { resolveAppPaths } from './app-paths';
import { electronHostStores, utilityCoreChild } from './core-process';
import { routeWireFrames } from './ipc';
import { indexRendererFiles, rendererFileFor } from './renderer-files';
import { contentSecurityPolicy } from '../../shared/csp';
import { appHost, appIndexUrl, appScheme, isAllowedExternalUrl, isAppUrl, isPermissionCheckGranted, isPermissionRequestGranted } from './security';
import { electronStoreName, keepUnreadableConfig, type KeyValueStore } from './settings';
import { privateFileMode, protectDataDir } from '../core/private-data';
import { mainWindowOptions, packagedMenuTemplate, restorableBounds } from './window-options';

const windowBoundsKey = 'windowBounds';

export interface ElectronHost {
  /** Resolves once the window is created (or the app decided to quit). */
  ready: Promise<void>;
}

export function startElectronHost(): ElectronHost {
  // Must happen before 'ready': makes app:// a secure, standard origin the renderer can load from.
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

  // Test runs give each launch its own folder; the single-instance lock is per userData folder, so set it first.
  const testUserData = !app.isPackaged ? process.env.STUDY_DESK_USER_DATA_DIR : undefined;
  if (testUserData) app.setPath('userData', testUserData);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve() };
  }

  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const appBaseUrl = devServerUrl ?? appIndexUrl;
  const csp = contentSecurityPolicy(devServerUrl ? { devServerUrl } : {});
  const paths = resolveAppPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    mainDir: fileURLToPath(new URL('.', import.meta.url)),
    electronVersion: process.versions.electron,
  });
  let mainWindow: BrowserWindow | null = null;
  let core: CoreProcess | null = null;
  let unregisterIpc: (() => void) | null = null;
  let shutDown = false;
  let shuttingDown = false;

  const openExternally = (url: string): void => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  };

  // Applies to every web contents the app ever creates, so no window or frame escapes the policy.
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
    const guardNavigation = (event: { preventDefault(): void }, url: string): void => {
      if (isAppUrl(url, appBaseUrl)) return;
      event.preventDefault();
      openExternally(url);
    };
    contents.on('will-navigate', guardNavigation);
    contents.on('will-redirect', guardNavigation);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  const ready = app.whenReady().then(async () => {
    // userData holds the settings, the encrypted secrets and (through core) the database: owner-only, before any of them.
    protectDataDir(app.getPath('userData'));
    if (app.isPackaged) Menu.setApplicationMenu(Menu.buildFromTemplate(packagedMenuTemplate(process.platform)));
    const unreadableConfigNotice = keepUnreadableConfig(app.getPath('userData'), Date.now());
    const store = new Store<Record<string, unknown>>({ name: electronStoreName, clearInvalidConfig: true, configFileMode: privateFileMode }) as unknown as KeyValueStore;
    lockDownSession(csp, appBaseUrl);
    // In dev the page comes from Vite's server; the built files may not exist yet.
    if (!devServerUrl) serveRenderer(paths.rendererDir, csp);
    try {
      const child = utilityProcess.fork(paths.coreEntry, [], { serviceName: 'Study Desk core', stdio: 'inherit' });
      core = await startCoreProcess(
        utilityCoreChild(child),
        {
          dataDir: app.getPath('userData'),
          host: 'electron',
          appVersion: app.getVersion(),
          migrationsDir: paths.migrationsDir,
          samplePackPath: paths.samplePackPath,
          ...(paths.nativeBinding ? { nativeBinding: paths.nativeBinding } : {}),
          // electron-vite emits the sync and content workers as their own entries beside this bundle (electron.vite.config.ts).
          workerEntry: fileURLToPath(new URL('./worker.js', import.meta.url)),
          contentWorkerEntry: fileURLToPath(new URL('./content-worker.js', import.meta.url)),
        },
        electronHostStores(store, safeStorage),
      );
    } catch (err) {
      dialog.showErrorBox('Study Desk cannot start', toAppError(err).message);
      shutDown = true;
      app.quit();
      return;
    }
    const startedCore = core;
    startedCore.onExit((code) => {
      dialog.showErrorBox('Study Desk stopped', `The part of Study Desk that keeps your data stopped unexpectedly (code ${String(code)}). Nothing acknowledged was lost; start the app again.`);
      shutDown = true;
      app.quit();
    });
    unregisterIpc = routeWireFrames(ipcMain, startedCore, (url) => isAppUrl(url, appBaseUrl));
    // Global broadcasts (sync status, content updated) go to every window.
    startedCore.onEvent((event, payload) => {
      for (const window of BrowserWindow.getAllWindows()) {
        if (!window.webContents.isDestroyed()) window.webContents.send(electronWireChannel, { event, payload });
      }
    });
    mainWindow = createMainWindow(store, paths.preloadPath, appBaseUrl, startedCore);
    if (unreadableConfigNotice) {
      void dialog.showMessageBox(mainWindow, { type: 'warning', title: 'Study Desk: please sign in again', message: unreadableConfigNotice, buttons: ['OK'] });
    }
    app.on('activate', () => {
      if (!mainWindow) mainWindow = createMainWindow(store, paths.preloadPath, appBaseUrl, startedCore);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Hold the quit until core has closed the database and stopped its workers.
  app.on('before-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    unregisterIpc?.();
    void (core?.close() ?? Promise.resolve())
      .catch((err: unknown) => console.error('Study Desk: closing core failed:', err))
      .finally(() => {
        shutDown = true;
        app.quit();
      });
  });

  function createMainWindow(store: KeyValueStore, preloadPath: string, url: string, startedCore: CoreProcess): BrowserWindow {
    const bounds = restorableBounds(store.get(windowBoundsKey), screen.getAllDisplays().map((display) => display.workArea));
    const window = new BrowserWindow(mainWindowOptions(preloadPath, { packaged: app.isPackaged, iconPath: paths.iconPath }, bounds));
    window.once('ready-to-show', () => window.show());
    window.on('focus', () => startedCore.windowFocused());
    window.on('close', () => store.set(windowBoundsKey, window.getNormalBounds()));
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    void window.loadURL(url);
    return window;
  }

  return { ready };
}

/** Deny every permission but the app page's microphone, and send the CSP with every response the default session receives. */
function lockDownSession(csp: string, appBaseUrl: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionRequestGranted(permission, details, appBaseUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionCheckGranted(permission, requestingOrigin, details, appBaseUrl),
  );
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/** app://study/… serves exactly the built renderer's files, with the CSP and nosniff on each response. */
function serveRenderer(rendererDir: string, csp: string): void {
  const files = indexRendererFiles(rendererDir);
  if (!files.has('/index.html')) console.error(`Study Desk: no built renderer at ${rendererDir}; run \`npm run build\`.`);
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost ? rendererFileFor(files, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
