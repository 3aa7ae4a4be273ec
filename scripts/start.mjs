#!/usr/bin/env node
/**
 * `npm start`: runs the app. With Electron's binary installed it is `npm run dev`; without it (as on machines
 * that cannot download Electron) it builds the app and starts the web host, then prints the address to open.
 * Options for the web host: --port N (default 5183), --data-dir DIR (default .data/web), --no-open, --no-build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      port: { type: 'string', default: '5183' },
      'data-dir': { type: 'string', default: join('.data', 'web') },
      'no-open': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (err) {
  console.error(`npm start: ${err.message}\nUsage: npm start -- [--port N] [--data-dir DIR] [--no-open] [--no-build]`);
  process.exit(2);
}

/** Forwards Ctrl+C / termination to the child and exits with its code. */
function runAttached(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (existsSync(join(repoRoot, 'node_modules/electron/path.txt'))) {
  runAttached(spawn(npm, ['run', 'dev'], { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' }));
} else {
  console.log("Electron's binary is not installed here, so Study Desk runs in your browser through the local web host.");
  if (!options['no-build']) {
    // Always rebuild (a few seconds) so the page never lags behind the sources.
    console.log('Building the app (npx electron-vite build)…');
    const build = spawnSync(npx, ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
    if (build.status !== 0) {
      console.error('npm start: the build failed (see above).');
      process.exit(build.status ?? 1);
    }
  } else if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
    console.error('npm start: --no-build given but out/renderer/index.html does not exist; run `npm run build` first.');
    process.exit(1);
  }
  const cli = join(repoRoot, 'electron/web/cli.ts');
  const host = spawn(process.execPath, ['--import', 'tsx', cli, '--port', options.port, '--data-dir', options['data-dir']], {
    cwd: repoRoot,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let announced = false;
  host.stdout.setEncoding('utf8');
  host.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    // The one-time launch link: opening it gives that browser its session (electron/web/server.ts).
    const url = !announced && /http:\/\/127\.0\.0\.1:\d+\/launch\/[A-Za-z0-9_-]+/.exec(chunk)?.[0];
    if (!url) return;
    announced = true;
    console.log(`\nOpen ${url} in your browser (Chromium, Chrome, Edge or Firefox); it works once. Press Ctrl+C here to stop.`);
    if (!options['no-open']) openInBrowser(url);
  });
  runAttached(host);
}

/** Best effort: a missing opener or display is not an error, the address is printed above. */
function openInBrowser(url) {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const opener = spawn(command, args, { stdio: 'ignore', detached: true });
    opener.on('error', () => {});
    opener.unref();
  } catch {
    // Ignored on purpose: see above.
  }
}
