/** Undo steps a test registers as it goes (close a server, delete a database), run after each test, newest first. */
import { afterEach } from 'vitest';

export function useCleanups(): (cleanup: () => Promise<void> | void) => void {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}
