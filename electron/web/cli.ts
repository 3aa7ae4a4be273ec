/** `npm run start:web -- --port N --data-dir DIR [--renderer-dir DIR]`: runs the web host until SIGINT/SIGTERM. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toAppError } from '../../shared/errors';
import { startWebHost } from './server';

const repoRoot = resolve(import.meta.dirname, '../..');
export const defaultWebPort = 5183;

export interface WebCliOptions {
  port: number;
  dataDir: string;
  rendererDir: string;
}

/** Parses the command line; throws an Error whose message says which argument is wrong and why. */
export function parseWebCliArgs(argv: readonly string[], cwd = process.cwd()): WebCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const portText = values.port ?? String(defaultWebPort);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535 (0 = any free port), got "${portText}".`);
  return {
    port,
    dataDir: resolve(cwd, values['data-dir'] ?? '.data/web'),
    rendererDir: resolve(cwd, values['renderer-dir'] ?? join(repoRoot, 'out/renderer')),
  };
}

/** The line `npm start` looks for (it opens the link in the browser): the one-time link, and that it is one-time. */
export function launchLinkMessage(launchUrl: string): string {
  return `Open Study Desk: ${launchUrl}\n(a one-time link: it works once, in one browser. Press Enter here for a new one.)`;
}

async function main(): Promise<void> {
  let options: WebCliOptions;
  try {
    options = parseWebCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`start:web: ${(err as Error).message}\nUsage: npm run start:web -- [--port N] [--data-dir DIR] [--renderer-dir DIR]`);
    process.exit(2);
  }
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    console.error(`start:web: no built renderer at ${options.rendererDir}. Run \`npx electron-vite build\` (or \`npm start\`, which builds it) first.`);
    process.exit(1);
  }
  const appVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ ...options, appVersion });
  } catch (err) {
    console.error(`start:web: could not start: ${toAppError(err).message}`);
    process.exit(1);
  }
  console.log(`Study Desk web host ready at ${host.url} (data in ${options.dataDir})`);
  console.log(launchLinkMessage(host.newLaunchUrl()));
  // Enter prints a fresh link, for a browser that lost its session (closed, or another browser).
  if (process.stdin.isTTY) {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', () => console.log(launchLinkMessage(host.newLaunchUrl())));
  }
  const stop = (): void => {
    void host.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('start:web: closing failed:', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) void main();
