import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/core/app';
import { dispatch } from '../../electron/core/ipc/handlers';
import { useTempDirs } from '../helpers/temp';
import { startWebCore } from '../helpers/web-core';

const tempDir = useTempDirs();


describe('core', () => {
  it('loads the embedded pack on first start only', async () => {
    const dir = tempDir();
    const first = startWebCore(dir);
    const info = await dispatch(first.handlers, 'app:info', {});
    expect(info).toMatchObject({ ok: true, value: { questionCount: 106 } });
    await first.close();
    const second = startWebCore(dir);
    expect(await dispatch(second.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { questionCount: 106 } });
    await second.close();
  });

  it('refuses bad settings with an error naming the field and keeps what was saved', async () => {
    const dir = tempDir();
    const core = startWebCore(dir);
    expect(await dispatch(core.handlers, 'settings:set', { timeZone: 'Europe/Paris', theme: 'dark' })).toMatchObject({ ok: true });

    const unknownZone = await dispatch(core.handlers, 'settings:set', { timeZone: 'Mars/Olympus_Mons' });
    expect(unknownZone).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { path: 'timeZone' } } });
    expect(unknownZone.ok || unknownZone.error.message).toMatch(/^Time zone “Mars\/Olympus_Mons” is not a known time zone/);

    const unknownTheme = await dispatch(core.handlers, 'settings:set', { theme: 'neon' });
    expect(unknownTheme.ok || unknownTheme.error.message).toMatch(/^Theme must be one of: system, light/);
    const unknownField = await dispatch(core.handlers, 'settings:set', { fontSize: 40 });
    expect(unknownField.ok).toBe(false);

    expect(await dispatch(core.handlers, 'settings:get', {})).toMatchObject({ ok: true, value: { timeZone: 'Europe/Paris', theme: 'dark' } });
    await core.close();
    // And after a restart, from the file.
    const reopened = startWebCore(dir);
    expect(await dispatch(reopened.handlers, 'settings:get', {})).toMatchObject({ ok: true, value: { timeZone: 'Europe/Paris', theme: 'dark' } });
    await reopened.close();
  });

  it('answers a dead-letter retry and discard with how many rows they changed and the status after', async () => {
    const dir = tempDir();
    const core = startWebCore(dir);
    const tree = await dispatch(core.handlers, 'library:tree', {});
    if (!tree.ok) throw new Error(tree.error.message);
    const skillId = (tree.value as { domains: Array<{ skills: Array<{ id: string }> }> }).domains[0]!.skills[0]!.id;
    // Two sessions: two queued rows.
    expect(await dispatch(core.handlers, 'practice:start', { skillId, mode: 'practice' })).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'practice:start', { skillId, mode: 'test' })).toMatchObject({ ok: true });
    // Both rows given up on, as the push worker does after a refusal.
    const other = new Database(join(dir, DATABASE_FILE));
    const ids = other.prepare('SELECT id FROM outbox ORDER BY ts_utc_ms, id LIMIT 2').pluck().all() as string[];
    expect(ids).toHaveLength(2);
    other.prepare(`UPDATE outbox SET dead_utc_ms = 1, last_error = 'refused' WHERE id IN (?, ?)`).run(...ids);
    other.close();

    const retried = await dispatch(core.handlers, 'sync:retryDead', { ids: [ids[0]!, crypto.randomUUID()] });
    expect(retried).toMatchObject({ ok: true, value: { changed: 1, status: { deadCount: 1 } } });
    const discarded = await dispatch(core.handlers, 'sync:discardDead', { ids: [ids[1]!] });
    expect(discarded).toMatchObject({ ok: true, value: { changed: 1, status: { deadCount: 0 } } });
    expect(await dispatch(core.handlers, 'sync:discardDead', { ids: [ids[1]!] })).toMatchObject({ ok: true, value: { changed: 0 } });
    await core.close();
  });
});
