/**
 * The local stack's Edge Functions: supabase/functions/<name>/index.ts run under Deno (the npm package `deno`), each
 * started on its first call (so the stack starts no faster or slower for having them) and reached by the gateway at
 * /functions/v1/<name>, as on Supabase. Each gets Supabase's variables (SUPABASE_URL, SUPABASE_ANON_KEY) and the
 * stack caller's extra env (the project's model, TUTOR_LLM_*, which `tutor` and `evaluate` share), and only the
 * permissions it needs: network to loopback and to the hosts named in its env, and those variables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FUNCTIONS_DIR = join(repoRoot, 'supabase', 'functions');
/** Loads a function and exits when the gateway's process is gone (its stdin closes). */
export const FUNCTION_RUNNER = join(repoRoot, 'scripts', 'stack', 'deno', 'function-runner.ts');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LISTENING = /listening on (http:\/\/[^\s/]+)\//;
/** A function's name: a folder of supabase/functions (not _shared). */
const FUNCTION_NAME = /^[a-z][a-z0-9_-]*$/;

export interface FunctionHostOptions {
  /** The gateway's own URL (SUPABASE_URL for the functions); asked when a function starts. */
  supabaseUrl: () => string;
  anonKey: string;
  /** Extra variables for every function (e.g. TUTOR_LLM_BASE_URL); setEnv replaces them. */
  env?: Record<string, string>;
  log: (message: string) => void;
}

export interface FunctionHost {
  /** Proxies one request to /functions/v1/<name>/<rest>, starting the function if needed; the answer streams unbuffered. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** Replaces the extra env; running functions stop, so the next call starts them with it. */
  setEnv(env: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

interface RunningFunction {
  child: ChildProcess;
  origin: string;
}

/** The Deno binary the npm package `deno` installed, or DENO_BIN. */
export function denoBinary(): string {
  const fromEnv = process.env.DENO_BIN;
  if (fromEnv) return fromEnv;
  const binary = join(dirname(createRequire(import.meta.url).resolve('deno/package.json')), process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (!existsSync(binary)) {
    throw new Error(`The Deno binary is missing at ${binary}: run "npm ci" (the deno package installs it), or set DENO_BIN.`);
  }
  return binary;
}

/** Hosts a function may reach: loopback (the gateway, a local model) and the host of every URL in its env. */
function allowedHosts(env: Record<string, string>): string[] {
  const hosts = new Set(['127.0.0.1', 'localhost']);
  for (const value of Object.values(env)) {
    if (!/^https?:\/\//.test(value)) continue;
    try {
      hosts.add(new URL(value).host);
    } catch {
      // Not a URL after all: nothing to allow.
    }
  }
  return [...hosts];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export function createFunctionHost(options: FunctionHostOptions): FunctionHost {
  let extraEnv = { ...options.env };
  const running = new Map<string, Promise<RunningFunction>>();
  let closed = false;

  function start(name: string, entry: string): Promise<RunningFunction> {
    const prefix = name.toUpperCase().replace(/-/g, '_');
    // <NAME>_FUNCTION_PORT 0: the function listens on a free port and prints it (function-kit.ts's serveFunction).
    const env = { SUPABASE_URL: options.supabaseUrl(), SUPABASE_ANON_KEY: options.anonKey, ...extraEnv, [`${prefix}_FUNCTION_PORT`]: '0' };
    const args = [
      'run',
      // No npm or remote modules and no lock file: the functions import only their own files, so nothing is fetched.
      '--no-npm',
      '--no-lock',
      '--cached-only',
      `--allow-net=${allowedHosts(env).join(',')}`,
      // Supabase's variables, the project's model (TUTOR_LLM_*) and each function's own prefix (EVALUATE_* for
      // `evaluate`), also the optional ones left unset.
      `--allow-env=${[...new Set(['SUPABASE_*', 'TUTOR_LLM_*', `${prefix}_*`, ...Object.keys(env)])].join(',')}`,
      // The runner's dynamic import of the entry reads the functions' folder, and nothing else.
      `--allow-read=${FUNCTIONS_DIR}`,
      FUNCTION_RUNNER,
      pathToFileURL(entry).href,
    ];
    const child = spawn(denoBinary(), args, {
      cwd: FUNCTIONS_DIR,
      // Only what the function is given, plus where Deno keeps its cache and finds its home.
      env: { ...env, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DENO_DIR: process.env.DENO_DIR ?? join(tmpdir(), 'study-desk-deno'), NO_COLOR: '1' },
      // stdin stays open while this process lives: the runner exits when it closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const started = new Promise<RunningFunction>((resolveStart, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The ${name} function did not start within ${START_TIMEOUT_MS} ms: ${output}`));
      }, START_TIMEOUT_MS);
      const collect = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output = (output + text).slice(-4000);
        options.log(`[function ${name}] ${text.trimEnd()}`);
        const match = LISTENING.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveStart({ child, origin: match[1] });
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        running.delete(name);
        reject(new Error(`The ${name} function exited (${signal ?? `code ${code}`}) before it listened: ${output}`));
      });
    });
    return started;
  }

  function ensure(name: string): Promise<RunningFunction> {
    let pending = running.get(name);
    if (!pending) {
      const entry = join(FUNCTIONS_DIR, name, 'index.ts');
      if (!existsSync(entry)) return Promise.reject(new FunctionMissing(name));
      pending = start(name, entry);
      running.set(name, pending);
      pending.catch(() => running.delete(name));
    }
    return pending;
  }

  async function stopAll(): Promise<void> {
    const all = [...running.values()];
    running.clear();
    await Promise.all(all.map((pending) => pending.then(({ child }) => stopChild(child), () => undefined)));
  }

  return {
    handle(req, res, url) {
      const [, name = '', rest = ''] = /^\/functions\/v1\/([^/]*)(\/.*)?$/.exec(url.pathname) ?? [];
      if (closed || !FUNCTION_NAME.test(name)) {
        sendJson(res, 404, { code: 'not_found', message: `No function at ${url.pathname}` });
        return;
      }
      ensure(name).then(
        ({ origin }) => {
          const target = new URL(origin);
          const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host };
          const upstream = httpRequest(
            { hostname: target.hostname, port: target.port, method: req.method, path: `/${name}${rest}${url.search}`, headers },
            (upstreamRes) => {
              // Headers at once and each chunk as it comes: replies stream through without buffering.
              res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
              res.flushHeaders();
              upstreamRes.pipe(res);
            },
          );
          upstream.on('error', (error) => {
            if (!res.headersSent) sendJson(res, 502, { code: 'function_unreachable', message: `The ${name} function is unreachable: ${error.message}` });
            else res.destroy(error);
          });
          // A caller that goes away cancels the function's request (and so the model's).
          res.on('close', () => {
            if (!res.writableFinished) upstream.destroy();
          });
          req.pipe(upstream);
        },
        (error: unknown) => {
          if (error instanceof FunctionMissing) sendJson(res, 404, { code: 'not_found', message: error.message });
          else sendJson(res, 503, { code: 'function_not_started', message: (error as Error).message });
        },
      );
    },
    async setEnv(env) {
      extraEnv = { ...env };
      await stopAll();
    },
    async close() {
      closed = true;
      await stopAll();
    },
  };
}

class FunctionMissing extends Error {
  constructor(name: string) {
    super(`No function named ${name}: supabase/functions/${name}/index.ts does not exist.`);
  }
}
