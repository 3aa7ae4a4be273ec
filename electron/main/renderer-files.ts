/** The built renderer's files, indexed once at start-up so the app:// protocol serves exact matches and nothing else. */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** URL path (`/assets/index-abc.js`) → absolute file. Regular files only: symlinks and dot-files are never served. */
export function indexRendererFiles(root: string, maxFiles = 10_000): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, urlPrefix: string): void => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') || files.size >= maxFiles) continue;
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path, `${urlPrefix}${name}/`);
      else if (stat.isFile()) files.set(`${urlPrefix}${name}`, path);
    }
  };
  // A missing build leaves the index empty: every request gets a 404 instead of the host failing to start.
  if (existsSync(root)) walk(root, '/');
  return files;
}

/** The file for a request path: an exact entry, `/` → index.html, and an extension-less path (a client route) → index.html. */
export function rendererFileFor(files: ReadonlyMap<string, string>, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const exact = files.get(decoded === '/' ? '/index.html' : decoded);
  if (exact) return exact;
  const lastSegment = decoded.slice(decoded.lastIndexOf('/') + 1);
  return lastSegment.includes('.') ? null : (files.get('/index.html') ?? null);
}
