/** A store test without a DOM: the renderer's stores reach timers through `window`, so it is stubbed with Node's. */
import { vi } from 'vitest';

export function stubWindowTimers(): void {
  vi.stubGlobal('window', { setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms), clearTimeout: (id: number) => clearTimeout(id) });
}
