/** The main window's BrowserWindow options and remembered bounds, kept pure so tests can assert them without Electron. */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { z } from 'zod';

export const defaultWindowSize = { width: 1200, height: 800 };
const minimumSize = { width: 640, height: 480 };

export function mainWindowOptions(preloadPath: string, bounds: Partial<Rectangle> = {}): BrowserWindowConstructorOptions {
  return {
    ...defaultWindowSize,
    ...bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    title: 'Study Desk',
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
    },
  };
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
