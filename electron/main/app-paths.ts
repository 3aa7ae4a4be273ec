/** Where the Electron host finds its files in a dev run and in a packaged app. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AppPaths {
  preloadPath: string;
  /** The core process's entry, run with utilityProcess.fork (electron-vite emits it beside the main bundle). */
  coreEntry: string;
  rendererDir: string;
  migrationsDir: string;
  samplePackPath: string;
  /** The app icon for the window. */
  iconPath: string;
  /** better-sqlite3 built for this Electron by scripts/electron-native.mjs; undefined when packaged (electron-builder rebuilds it). */
  nativeBinding: string | undefined;
}

/** Written by scripts/electron-native.mjs next to the addon it built. */
export const nativeBuildDir = '.electron-native';
export const nativeBuildInfoFile = 'build-info.json';
export const nativeAddonRelativePath = 'better-sqlite3/build/Release/better_sqlite3.node';

export function resolveAppPaths(options: {
  isPackaged: boolean;
  /** app.getAppPath(): the repo root in dev, the asar in a packaged app. */
  appPath: string;
  resourcesPath: string;
  /** The folder of the built main bundle (out/main). */
  mainDir: string;
  electronVersion: string | undefined;
}): AppPaths {
  const contentRoot = options.isPackaged ? options.resourcesPath : join(options.appPath, 'resources');
  return {
    preloadPath: join(options.mainDir, '../preload/index.cjs'),
    coreEntry: join(options.mainDir, 'core.js'),
    rendererDir: join(options.mainDir, '../renderer'),
    migrationsDir: options.isPackaged ? join(options.resourcesPath, 'migrations/sqlite') : join(options.appPath, 'migrations/sqlite'),
    samplePackPath: join(contentRoot, 'sample-pack.json'),
    iconPath: join(contentRoot, 'icon.png'),
    nativeBinding: options.isPackaged ? undefined : devNativeBinding(options.appPath, options.electronVersion),
  };
}

/** The dev addon, only when it was built for exactly this Electron version (a stale one would fail to load with an ABI error). */
function devNativeBinding(appPath: string, electronVersion: string | undefined): string | undefined {
  if (!electronVersion) return undefined;
  const dir = join(appPath, nativeBuildDir);
  try {
    const info = JSON.parse(readFileSync(join(dir, nativeBuildInfoFile), 'utf8')) as { electron?: unknown };
    const addon = join(dir, nativeAddonRelativePath);
    return info.electron === electronVersion && existsSync(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}
