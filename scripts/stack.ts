/** `npm run stack -- start|stop|status`: the local Supabase stand-in for development (state in .data/stack). */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack/stack';

interface StackState {
  pid: number;
  /** The servers' own pids: if the CLI process was killed hard, stop still ends them. */
  serverPids: number[];
  url: string;
  anonKey: string;
  serviceKey: string;
  databaseUrl: string;
}

const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '.data', 'stack');
const STATE_FILE = join(DATA_DIR, 'state.json');
const DEFAULT_PORT = 54321;
const STOP_WAIT_MS = 30_000;

function readState(): StackState | null {
  if (!existsSync(STATE_FILE)) return null;
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StackState;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parsePort(args: string[]): number {
  const index = args.indexOf('--port');
  const raw = index >= 0 ? args[index + 1] : process.env.STACK_PORT;
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

async function start(args: string[]): Promise<void> {
  const existing = readState();
  if (existing && isRunning(existing.pid)) {
    throw new Error(`The stack is already running (pid ${existing.pid}) at ${existing.url}; run "npm run stack -- stop" first`);
  }
  if (existing) await stopOrphans(existing);
  mkdirSync(DATA_DIR, { recursive: true });
  const stack = await startStack({ dataDir: DATA_DIR, port: parsePort(args), quiet: !args.includes('--verbose') });
  const state: StackState = {
    pid: process.pid,
    serverPids: [stack.pids.postgres, stack.pids.postgrest].filter((pid): pid is number => pid !== null),
    url: stack.url,
    anonKey: stack.anonKey,
    serviceKey: stack.serviceKey,
    databaseUrl: stack.databaseUrl,
  };
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
  process.stdout.write(
    [
      'Local Supabase stack is running (Ctrl-C stops it).',
      `  URL:          ${stack.url}`,
      `  anon key:     ${stack.anonKey}`,
      `  service key:  ${stack.serviceKey}`,
      `  database:     ${stack.databaseUrl}`,
      `  tutor model:  ${process.env.TUTOR_LLM_BASE_URL ? `${process.env.TUTOR_LLM_MODEL ?? '(TUTOR_LLM_MODEL not set)'} at ${process.env.TUTOR_LLM_BASE_URL}` : 'none (set TUTOR_LLM_BASE_URL and TUTOR_LLM_MODEL for /functions/v1/tutor and /functions/v1/evaluate)'}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the stack…\n`);
    stack
      .stop()
      .catch((error: unknown) => process.stderr.write(`${String(error)}\n`))
      .finally(() => {
        rmSync(STATE_FILE, { force: true });
        process.exit(0);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Ends servers left behind by a CLI process that died without stopping them, and waits for them to exit. */
async function stopOrphans(state: StackState): Promise<void> {
  const orphans = (state.serverPids ?? []).filter(isRunning);
  for (const pid of orphans) {
    process.stdout.write(`Stopping server process ${pid} left behind by the stack.\n`);
    process.kill(pid, 'SIGINT');
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (orphans.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const pid of orphans.filter(isRunning)) process.kill(pid, 'SIGKILL');
}

async function stop(): Promise<void> {
  const state = readState();
  if (!state || !isRunning(state.pid)) {
    if (state) await stopOrphans(state);
    rmSync(STATE_FILE, { force: true });
    process.stdout.write('The stack is not running.\n');
    return;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isRunning(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isRunning(state.pid)) throw new Error(`The stack (pid ${state.pid}) did not stop within ${STOP_WAIT_MS} ms`);
  await stopOrphans(state);
  rmSync(STATE_FILE, { force: true });
  process.stdout.write('Stopped.\n');
}

async function status(): Promise<void> {
  const state = readState();
  if (!state || !isRunning(state.pid)) {
    process.stdout.write('The stack is not running.\n');
    process.exitCode = 1;
    return;
  }
  const healthy = await fetch(`${state.url}/auth/v1/health`, { signal: AbortSignal.timeout(3000) })
    .then((res) => res.ok)
    .catch(() => false);
  process.stdout.write(
    `Running (pid ${state.pid}, ${healthy ? 'healthy' : 'NOT answering'}) at ${state.url}\n  anon key: ${state.anonKey}\n`,
  );
  if (!healthy) process.exitCode = 1;
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<void>> = { start, stop, status };
const run = command ? commands[command] : undefined;
if (!run) {
  process.stderr.write('Usage: npm run stack -- start [--port N] [--verbose] | stop | status\n');
  process.exit(2);
}
run(args).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
