/** The sync pieces that need no server: backoff delays, Retry-After, and a service that is not configured. */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { nextDelay, parseRetryAfter, type BackoffPolicy } from '../../../electron/core/sync/backoff';
import { createSyncService } from '../../../electron/core/sync/service';
import { systemClock } from '../../../electron/core/ports';
import { memorySecrets, memorySettings, openClientDb, recordAttempts, tempDir } from './helpers';

const policy: BackoffPolicy = { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 600_000 };
const dir = tempDir('sync-units');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nextDelay', () => {
  it('grows exponentially within [base/2, base·2^(n-1)] and never passes the cap', () => {
    expect(nextDelay(1, undefined, () => 0, policy)).toBe(500);
    expect(nextDelay(1, undefined, () => 1, policy)).toBe(1000);
    expect(nextDelay(4, undefined, () => 1, policy)).toBe(8000);
    expect(nextDelay(4, undefined, () => 0, policy)).toBe(500);
    expect(nextDelay(40, undefined, () => 1, policy)).toBe(60_000);
    expect(nextDelay(1_000_000, undefined, () => 0.5, policy)).toBeLessThanOrEqual(60_000);
  });

  it('spreads retries with jitter', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = new Set(Array.from({ length: 50 }, () => nextDelay(6, undefined, random, policy)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it("treats the server's Retry-After as a floor, clamped to maxRetryAfterMs", () => {
    expect(nextDelay(1, 30_000, () => 0, policy)).toBe(30_000);
    expect(nextDelay(10, 1000, () => 1, policy)).toBe(60_000);
    expect(nextDelay(1, 10 * 3600_000, () => 0, policy)).toBe(600_000);
    expect(nextDelay(0, -5, () => 0, policy)).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('a sync service that is not configured', () => {
  it('is disabled, touches no network and keeps the queue', async () => {
    const db = openClientDb(dir, 'disabled.sqlite');
    recordAttempts(db.sqlite, 3);
    const calls: string[] = [];
    const service = createSyncService({
      dbFile: db.file,
      sqlite: db.sqlite,
      settings: memorySettings(),
      secrets: memorySecrets(),
      clock: systemClock,
      runInWorkerThread: false,
      debounceMs: 0,
      fetch: async (input) => {
        calls.push(String(input));
        throw new Error('no network expected');
      },
    });
    // One session of 3 answers: its start and end, and an attempt, memory state, progress and profile snapshot per answer.
    expect(service.status()).toMatchObject({ state: 'disabled', configured: false, pendingCount: 2 + 3 * 4, signedInEmail: null });
    service.trigger('start');
    service.trigger('manual');
    await expect(service.syncNow()).rejects.toMatchObject({ code: 'not_configured' });
    await expect(service.signIn({ email: 'a@example.test', password: 'secret-pass' })).rejects.toMatchObject({ code: 'not_configured' });
    await expect(service.configure({ url: 'not a url', anonKey: 'k' })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
    await service.close();
    db.sqlite.close();
  });
});
