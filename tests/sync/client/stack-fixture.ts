/** The set-up every stack-backed sync client test shares: a local stack, a fault proxy in front of it and a temp folder. */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Sqlite } from '../../../electron/core/db/open';
import type { SyncService } from '../../../electron/core/sync/service';
import type { StackOptions } from '../../../scripts/stack/stack';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { publishPracticePack, startTestStack, tempDir, type TestStack } from './helpers';

export interface StackFixture {
  readonly stack: TestStack;
  readonly proxy: FaultProxy;
  readonly dir: string;
  /** Closes this client (service, then database) after the test, whatever the test's outcome. */
  closeAfterTest(client: { service: SyncService; sqlite: Sqlite }): void;
}

/**
 * Registers beforeAll/afterAll for the file, and an afterEach that lets the proxy pass again and closes the test's
 * clients; read the fields inside tests (they are set once beforeAll ran).
 */
export function useStackWithProxy(name: string, options: Omit<StackOptions, 'dataDir' | 'quiet'> = {}): StackFixture {
  let stack: TestStack | undefined;
  let proxy: FaultProxy | undefined;
  let dir: string | undefined;
  const clients: Array<{ service: SyncService; sqlite: Sqlite }> = [];
  beforeAll(async () => {
    stack = await startTestStack(options);
    await publishPracticePack(stack);
    proxy = await startFaultProxy(stack.url);
    dir = tempDir(name);
  }, 120_000);
  afterEach(async () => {
    await proxy?.setFault({ fault: { mode: 'pass' } });
    for (const { service, sqlite } of clients.splice(0)) {
      await service.close();
      sqlite.close();
    }
  });
  afterAll(async () => {
    await proxy?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use the fixture inside tests.`);
    return value;
  };
  return {
    get stack() {
      return ready(stack, 'The stack');
    },
    get proxy() {
      return ready(proxy, 'The fault proxy');
    },
    get dir() {
      return ready(dir, 'The temp folder');
    },
    closeAfterTest: (client) => void clients.push(client),
  };
}
