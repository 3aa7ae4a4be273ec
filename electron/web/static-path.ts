/** Maps a request path of the web host to a file inside the renderer folder, refusing anything that could leave it. */
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * The file under `root` for a URL pathname, or null for anything suspicious: undecodable escapes, NUL,
 * backslashes, `.`/`..` or empty segments, dot-files. `/` means index.html. Symlinks are checked by the caller (realpath).
 */
export function resolveStaticPath(root: string, pathname: string): string | null {
  if (typeof pathname !== 'string' || !pathname.startsWith('/') || pathname.length > 1024) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded === '/' ? ['index.html'] : decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment.startsWith('.') || segment.includes(':'))) return null;
  const file = join(root, ...segments);
  const inside = relative(root, file);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside) ? file : null;
}

/** A path with no extension in its last segment is a client-side route: the caller answers it with index.html. */
export function isClientRoute(pathname: string): boolean {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.');
}
