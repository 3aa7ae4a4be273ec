/** Applies and reverts the Supabase migrations (`<14-digit version>_<name>.sql` + `down/<same>.sql`) in order. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';

export interface SupabaseMigration {
  version: string;
  name: string;
  upSql: string;
  downSql: string;
}

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;

/** Reads the migrations of `dir` in version order; every one must have its down script. */
export function loadSupabaseMigrations(dir: string): SupabaseMigration[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.sql'));
  const migrations = files.map((entry) => {
    const match = FILE_NAME.exec(entry.name);
    if (!match) {
      throw new Error(`${join(dir, entry.name)}: a migration must be named <14-digit version>_<snake_case_name>.sql`);
    }
    const downPath = join(dir, 'down', entry.name);
    if (!existsSync(downPath)) {
      throw new Error(`${join(dir, entry.name)}: its down script ${downPath} is missing`);
    }
    return {
      version: match[1] as string,
      name: match[2] as string,
      upSql: readFileSync(join(dir, entry.name), 'utf8'),
      downSql: readFileSync(downPath, 'utf8'),
    };
  });
  migrations.sort((a, b) => a.version.localeCompare(b.version));
  migrations.forEach((migration, index) => {
    if (index > 0 && migrations[index - 1]?.version === migration.version) {
      throw new Error(`${dir}: two migrations share version ${migration.version}`);
    }
  });
  return migrations;
}

// The Supabase CLI's own history table, so a database migrated here looks the same to `supabase migration list`.
const HISTORY_DDL = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (
    version text primary key,
    name text,
    statements text[]
  );`;

async function appliedVersions(client: Client): Promise<string[]> {
  await client.query(HISTORY_DDL);
  const result = await client.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations order by version',
  );
  return result.rows.map((row) => row.version);
}

async function inTransaction(client: Client, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** Applies the pending migrations, each in its own transaction; refuses a history this folder does not explain. */
export async function applySupabaseMigrations(client: Client, dir: string): Promise<string[]> {
  const migrations = loadSupabaseMigrations(dir);
  const applied = await appliedVersions(client);
  const known = new Set(migrations.map((m) => m.version));
  const unknown = applied.filter((version) => !known.has(version));
  if (unknown.length > 0) {
    throw new Error(`The database has migrations that ${dir} does not have: ${unknown.join(', ')}`);
  }
  const latestApplied = applied.at(-1) ?? '';
  const pending = migrations.filter((m) => !applied.includes(m.version));
  const outOfOrder = pending.filter((m) => m.version < latestApplied);
  if (outOfOrder.length > 0) {
    throw new Error(
      `Migrations older than the applied ${latestApplied} are not applied: ${outOfOrder.map((m) => m.version).join(', ')}`,
    );
  }
  for (const migration of pending) {
    await inTransaction(client, async () => {
      try {
        await client.query(migration.upSql);
      } catch (error) {
        throw new Error(`Migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`);
      }
      await client.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
  }
  return pending.map((m) => `${m.version}_${m.name}`);
}

/** Reverts applied migrations newest first, down to (but not including) `toVersion`; all of them by default. */
export async function revertSupabaseMigrations(client: Client, dir: string, toVersion = ''): Promise<string[]> {
  const migrations = loadSupabaseMigrations(dir);
  const applied = new Set(await appliedVersions(client));
  const toRevert = migrations.filter((m) => applied.has(m.version) && m.version > toVersion).reverse();
  for (const migration of toRevert) {
    await inTransaction(client, async () => {
      try {
        await client.query(migration.downSql);
      } catch (error) {
        throw new Error(`Down script of ${migration.version}_${migration.name} failed: ${(error as Error).message}`);
      }
      await client.query('delete from supabase_migrations.schema_migrations where version = $1', [migration.version]);
    });
  }
  return toRevert.map((m) => `${m.version}_${m.name}`);
}
