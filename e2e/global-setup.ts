/** Playwright global setup: builds the app with electron-vite when out/ is missing or older than its sources. */
import { execFileSync } from 'node:child_process';
import { electronBinaryMissingReason, isBuildStale, repoRoot } from './build-state';

export default function globalSetup(): void {
  if (isBuildStale()) {
    console.log('e2e: building the app (npx electron-vite build)…');
    execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit', timeout: 300_000 });
  }
  const reason = electronBinaryMissingReason();
  if (reason) console.log(`e2e: ${reason}`);
}
