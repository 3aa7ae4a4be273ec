/**
 * The active drill pack pull against malformed answers: a loopback HTTP server answers rpc/active_drill_pack as
 * PostgREST would, then wrongly (other shapes, a bad checksum, missing categories, not JSON, HTTP 500). Each bad answer
 * is refused with an error naming what was wrong, and the pack already active on this device stays, unchanged, on a
 * real SQLite file.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pullActiveDrillPack, SERVER_DRILL_PACK_KEY, type DrillPackPullContext } from '../../electron/core/drills/pack-pull';
import { activeDrillPack } from '../../electron/core/drills/packs';
import { useCleanups } from '../helpers/cleanups';
import { ManualClock } from '../helpers/clock';
import { rejectionOf } from '../helpers/failures';
import { startLoopbackHttp } from '../helpers/loopback-http';
import { fixedTokens } from '../helpers/tokens';
import { buildPack, packText, testUuid } from '../content/pack-builder';
import { dumpContent, useTempDatabases, type TempDatabase } from '../content/temp-database';

const cleanup = useCleanups();
const freshDatabase = useTempDatabases();

/** The server's answer to the next pull: a status and a raw body. */
type Answer = { status: number; body: string };

async function activePackEndpoint(): Promise<{ url: string; answer: Answer }> {
  const endpoint = { url: '', answer: { status: 200, body: 'null' } };
  const http = await startLoopbackHttp((req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (req.url !== '/rest/v1/rpc/active_drill_pack' || req.headers.authorization !== 'Bearer learner-token') {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: `no route ${req.url}` }));
      return;
    }
    res.statusCode = endpoint.answer.status;
    res.end(endpoint.answer.body);
  });
  cleanup(http.close);
  endpoint.url = http.url;
  return endpoint;
}

/** The pack as active_drill_pack returns it (the server's content_packs row). */
function serverPack(version: string, updatedUtcMs: number) {
  const file = packText(buildPack({ name: 'server-drills', version, prefix: 'server', withDrillPack: true }));
  return {
    id: testUuid('server-drill-pack'),
    name: 'server-drills',
    version,
    description: null,
    schema_version: '1',
    content: buildPack({ prefix: 'server', withDrillPack: true }).drill_pack!,
    checksum: createHash('sha256').update(file).digest('hex'),
    file_size: Buffer.byteLength(file),
    updated_utc_ms: updatedUtcMs,
  };
}

function context(db: TempDatabase, url: string, clock: ManualClock): DrillPackPullContext {
  return {
    sqlite: db.sqlite,
    url,
    anonKey: 'anon-key',
    fetch: globalThis.fetch,
    tokens: fixedTokens('learner-token'),
    now: () => clock.now(),
    timeoutMs: 5_000,
  };
}

function stored(db: TempDatabase) {
  return {
    content: dumpContent(db.sqlite),
    stamp: db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck().get(SERVER_DRILL_PACK_KEY),
  };
}

const good = serverPack('2.0.0', 1_000);
const { categories: _dropped, ...metadataWithoutCategories } = good.content.metadata;

describe('pullActiveDrillPack with a malformed answer', () => {
  it.each<[string, Answer, RegExp]>([
    ['a list instead of the pack', { status: 200, body: JSON.stringify([serverPack('3.0.0', 2_000)]) }, /\(root\): Invalid input: expected object, received array/],
    ['a string', { status: 200, body: JSON.stringify('active') }, /\(root\): Invalid input: expected object, received string/],
    ['a checksum that is not a SHA-256', { status: 200, body: JSON.stringify({ ...serverPack('3.0.0', 2_000), checksum: 'abc123' }) }, /checksum: not a SHA-256/],
    [
      'a drill pack without categories',
      { status: 200, body: JSON.stringify({ ...serverPack('3.0.0', 2_000), content: { ...good.content, metadata: metadataWithoutCategories } }) },
      /content\.metadata\.categories: /,
    ],
    [
      'a question in no category of the pack',
      {
        status: 200,
        body: JSON.stringify({ ...serverPack('3.0.0', 2_000), content: { ...good.content, questions: [{ ...good.content.questions[0]!, category: 'charm' }] } }),
      },
      /content\.questions\[0\]\.category: category "charm" is not one of the pack's categories/,
    ],
    ['a pack without its id', { status: 200, body: JSON.stringify({ ...serverPack('3.0.0', 2_000), id: undefined }) }, /id: /],
    ['a body that is not JSON', { status: 200, body: '{"id": "oops' }, /Pulling the active drill pack failed: The server sent an unreadable answer \(HTTP 200\)/],
    ['HTTP 500', { status: 500, body: JSON.stringify({ message: 'function active_drill_pack() crashed' }) }, /Pulling the active drill pack failed: HTTP 500: function active_drill_pack\(\) crashed/],
  ])('%s: an error naming what is wrong; the active pack and everything stored stay as they were', async (_name, answer, problem) => {
    const db = freshDatabase();
    const clock = new ManualClock(10_000);
    const endpoint = await activePackEndpoint();
    endpoint.answer = { status: 200, body: JSON.stringify(good) };
    expect(await pullActiveDrillPack(context(db, endpoint.url, clock))).toBe(true);
    expect(activeDrillPack(db.sqlite)).toMatchObject({ id: good.id, packVersion: '2.0.0', categories: good.content.metadata.categories });
    const before = stored(db);

    clock.advance(60_000);
    endpoint.answer = answer;
    const failure = await rejectionOf(pullActiveDrillPack(context(db, endpoint.url, clock)));
    expect(failure.message).toMatch(problem);
    expect(failure.message.length).toBeLessThan(700);
    expect(stored(db)).toEqual(before);
    expect(activeDrillPack(db.sqlite)?.id).toBe(good.id);

    // A good answer afterwards is taken as usual: nothing was left half-done.
    endpoint.answer = { status: 200, body: JSON.stringify(serverPack('3.0.0', 3_000)) };
    expect(await pullActiveDrillPack(context(db, endpoint.url, clock))).toBe(true);
    expect(activeDrillPack(db.sqlite)).toMatchObject({ id: good.id, packVersion: '3.0.0' });
  });

  it('a malformed pack on a device without any active pack stores nothing', async () => {
    const db = freshDatabase();
    const endpoint = await activePackEndpoint();
    const before = stored(db);
    endpoint.answer = { status: 200, body: JSON.stringify({ ...good, checksum: '' }) };
    const failure = await rejectionOf(pullActiveDrillPack(context(db, endpoint.url, new ManualClock(5_000))));
    expect(failure.message).toMatch(/^The server's active drill pack cannot be used on this device: .*checksum: not a SHA-256/);
    expect(stored(db)).toEqual(before);
    expect(activeDrillPack(db.sqlite)).toBeNull();
  });
});
