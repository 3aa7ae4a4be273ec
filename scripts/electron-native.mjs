#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into .electron-native/ (run by `npm run dev`), leaving
 * node_modules/better-sqlite3 built for plain Node so `npm test` keeps working. The main process loads
 * .electron-native/better-sqlite3/build/Release/better_sqlite3.node as `nativeBinding` when build-info.json
 * names the running Electron version. Tries a prebuilt binary first (prebuild-install), then compiles with
 * node-gyp against Electron's headers. Both need the internet the first time; later runs are skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, '.electron-native');
const moduleCopy = join(outDir, 'better-sqlite3');
const addon = join(moduleCopy, 'build/Release/better_sqlite3.node');
const infoFile = join(outDir, 'build-info.json');
const bin = (name) => join(repoRoot, 'node_modules/.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const electronPackageDir = join(repoRoot, 'node_modules/electron');
if (!existsSync(join(electronPackageDir, 'path.txt'))) {
  console.error(
    [
      "Electron's binary is not installed (node_modules/electron/path.txt is missing), so `npm run dev` cannot start.",
      'Either install it with internet access (`node node_modules/electron/install.js`), or run the app in a browser:',
      '  npm start            (builds the renderer and starts the web host, then prints the address to open)',
      '  npm run start:web -- --port 5183 --data-dir .data/web',
    ].join('\n'),
  );
  process.exit(1);
}

const electronVersion = readJson(join(electronPackageDir, 'package.json')).version;
const sqliteVersion = readJson(join(repoRoot, 'node_modules/better-sqlite3/package.json')).version;
const arch = process.env.npm_config_arch || process.arch;
const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch };

if (existsSync(infoFile) && existsSync(addon)) {
  const built = readJson(infoFile);
  if (Object.entries(wanted).every(([key, value]) => built[key] === value)) {
    console.log(`electron-native: better-sqlite3 ${sqliteVersion} already built for Electron ${electronVersion} (${arch}).`);
    process.exit(0);
  }
}

console.log(`electron-native: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch}) into .electron-native/ …`);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// A copy without the Node build, so nothing here can touch node_modules/better-sqlite3.
cpSync(join(repoRoot, 'node_modules/better-sqlite3'), moduleCopy, {
  recursive: true,
  filter: (source) => !source.startsWith(join(repoRoot, 'node_modules/better-sqlite3/build')),
});

// npm exports user config such as `nodedir` to scripts; node-gyp would then build against Node's headers, not Electron's.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(nodedir|target|runtime|disturl|arch)$/i.test(key)));
const run = (command, args) => spawnSync(command, args, { cwd: moduleCopy, env, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

let builtWith = 'prebuild-install';
let ok = run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--verbose']);
if (!ok || !existsSync(addon)) {
  console.log('electron-native: no prebuilt binary; compiling with node-gyp against Electron headers (needs a C++ toolchain).');
  builtWith = 'node-gyp';
  ok = run(bin('node-gyp'), [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
    `--devdir=${join(homedir(), '.electron-gyp')}`,
  ]);
}
if (!ok || !existsSync(addon)) {
  console.error(
    'electron-native: could not build better-sqlite3 for Electron (no network for headers or prebuilt binaries, or no compiler).\n' +
      'The web host does not need it: `npm start` or `npm run start:web`.',
  );
  process.exit(1);
}
writeFileSync(infoFile, `${JSON.stringify({ ...wanted, builtWith, builtAt: new Date().toISOString() }, null, 2)}\n`);
console.log(`electron-native: done (${builtWith}): ${addon}`);
