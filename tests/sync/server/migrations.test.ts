/** The Supabase migrations go up, down and up again cleanly on a fresh database of the real Postgres. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applySupabaseMigrations,
  loadSupabaseMigrations,
  revertSupabaseMigrations,
} from '../../../scripts/stack/migrations';
import { bootstrapDatabase, DEFAULT_MIGRATIONS_DIR, startStack, type Stack } from '../../../scripts/stack/stack';
import { STACK_TIMEOUT_MS } from './helpers';

let stack: Stack;
let client: pg.Client;

// Everything the migrations create in public, as sortable strings.
const SCHEMA_SNAPSHOT = `
  select 'table ' || c.relname || ' rls=' || c.relrowsecurity as item
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'
  union all
  select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
    from information_schema.columns where table_schema = 'public'
  union all
  select 'index ' || indexname from pg_indexes where schemaname = 'public'
  union all
  select 'policy ' || tablename || '.' || policyname || ' ' || cmd || ' ' || array_to_string(roles, ',')
    from pg_policies where schemaname = 'public'
  union all
  select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') definer=' || p.prosecdef
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
  union all
  select 'trigger ' || tgrelid::regclass::text || '.' || tgname
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not t.tgisinternal
  union all
  select 'publication ' || pubname || ' ' || tablename from pg_publication_tables where schemaname = 'public'
  union all
  select 'grant ' || table_name || ' ' || grantee || ' ' || privilege_type
    from information_schema.role_table_grants where table_schema = 'public' and grantee in ('anon', 'authenticated')
  order by 1`;

async function snapshot(): Promise<string[]> {
  return (await client.query<{ item: string }>(SCHEMA_SNAPSHOT)).rows.map((row) => row.item);
}

/** The snapshot plus every public function's full definition (a migration may patch a body in place). */
async function snapshotWithBodies(): Promise<string[]> {
  const bodies = await client.query<{ item: string }>(
    `select pg_get_functiondef(p.oid) as item from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prokind = 'f' order by p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
  return [...(await snapshot()), ...bodies.rows.map((row) => row.item)];
}

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  await stack.query('create database migrations_check');
  const url = new URL(stack.databaseUrl);
  url.pathname = '/migrations_check';
  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await bootstrapDatabase(client);
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await client?.end();
  await stack?.stop();
}, STACK_TIMEOUT_MS);

describe('migrations/supabase', () => {
  it('names every migration with a version and has a down script for each', () => {
    const migrations = loadSupabaseMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    for (const migration of migrations) {
      expect(migration.version).toMatch(/^\d{14}$/);
      expect(migration.downSql.trim().length).toBeGreaterThan(0);
    }
  });

  it('go up, down to nothing, and up again to the same schema', async () => {
    const all = loadSupabaseMigrations(DEFAULT_MIGRATIONS_DIR).map((m) => `${m.version}_${m.name}`);
    expect(await applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).toEqual(all);
    const first = await snapshot();
    expect(first).toContain('table questions rls=true');
    expect(first).toContain('publication supabase_realtime content_version_state');
    expect(first).toContain('function sync_push(items jsonb) definer=false');
    expect(first).toContain('function pull_content(after_updated_at timestamp with time zone, after_id uuid, page_size integer) definer=true');

    expect(await revertSupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).toEqual([...all].reverse());
    expect(await snapshot()).toEqual([]);

    expect(await applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).toEqual(all);
    expect(await snapshot()).toEqual(first);
    // Nothing left to apply.
    expect(await applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).toEqual([]);
  });

  it('reverts the newest migration to exactly the schema and function bodies before it', async () => {
    const migrations = loadSupabaseMigrations(DEFAULT_MIGRATIONS_DIR);
    const newest = migrations.at(-1)!;
    const penultimate = migrations.at(-2)?.version ?? '';
    // The schema as the migrations before the newest leave it, from a folder without the newest.
    const before = mkdtempSync(join(tmpdir(), 'migrations-before-'));
    try {
      mkdirSync(join(before, 'down'));
      for (const m of migrations.slice(0, -1)) {
        const file = `${m.version}_${m.name}.sql`;
        copyFileSync(join(DEFAULT_MIGRATIONS_DIR, file), join(before, file));
        copyFileSync(join(DEFAULT_MIGRATIONS_DIR, 'down', file), join(before, 'down', file));
      }
      await revertSupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR);
      await applySupabaseMigrations(client, before);
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
    const expected = await snapshotWithBodies();

    expect(await applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).toEqual([`${newest.version}_${newest.name}`]);
    const reverted = await revertSupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR, penultimate);
    expect(reverted).toEqual([`${newest.version}_${newest.name}`]);
    expect(await snapshotWithBodies()).toEqual(expected);
    await applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR);
  });

  it('refuses a database that has a migration this folder does not know', async () => {
    await client.query(`insert into supabase_migrations.schema_migrations (version, name) values ('29991231000000', 'future')`);
    await expect(applySupabaseMigrations(client, DEFAULT_MIGRATIONS_DIR)).rejects.toThrow(/29991231000000/);
    await client.query(`delete from supabase_migrations.schema_migrations where version = '29991231000000'`);
  });
});
