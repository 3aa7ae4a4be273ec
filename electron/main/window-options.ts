/** The main window's BrowserWindow options and remembered bounds, kept pure so tests can assert them without Electron. */
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, Rectangle } from 'electron';
import { z } from 'zod';

export const defaultWindowSize = { width: 1200, height: 800 };
const minimumSize = { width: 640, height: 480 };

export interface WindowBuild {
  /** app.isPackaged: a learner's install, where DevTools stay closed. */
  packaged: boolean;
  /** The app icon (resources/icon.png), for the title bar and task switcher. */
  iconPath: string;
}

export function mainWindowOptions(preloadPath: string, build: WindowBuild, bounds: Partial<Rectangle> = {}): BrowserWindowConstructorOptions {
  return {
    ...defaultWindowSize,
    ...bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    title: 'Study Desk',
    icon: build.iconPath,
    // Shown on 'ready-to-show' so the learner never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // A packaged app gives no one a console into the page (and so into the learner's session); dev runs keep it.
      devTools: !build.packaged,
    },
  };
}

/**
 * The packaged app's menu: Electron's default one has View → Toggle Developer Tools (Ctrl+Shift+I) and reload
 * shortcuts. This one keeps only quitting, editing (copy, paste, undo) and window handling.
 */
export function packagedMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return [{ role: platform === 'darwin' ? 'appMenu' : 'fileMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}

const savedBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(minimumSize.width).max(20_000),
  height: z.number().int().min(minimumSize.height).max(20_000),
});

/**
 * The saved bounds when they are well-formed and their title bar is still on one of the displays'
 * work areas (a monitor may have been unplugged); otherwise nothing, and the window opens centred.
 */
export function restorableBounds(saved: unknown, workAreas: readonly Rectangle[]): Rectangle | undefined {
  const parsed = savedBoundsSchema.safeParse(saved);
  if (!parsed.success) return undefined;
  const bounds = parsed.data;
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: 40 };
  const visible = workAreas.some((area) => overlap(titleBar, area) >= 100 * 20);
  return visible ? bounds : undefined;
}

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}
