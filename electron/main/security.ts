/** The Electron host's security policy as pure functions: which URLs may open outside, which may load inside, permissions. */

/** Hosts the app may hand to the system browser; exact host names only, no wildcards. */
export const externalLinkHosts: readonly string[] = ['supabase.com', 'github.com'];

/** The app's own page in a packaged or built run: a privileged custom scheme, never file://. */
export const appScheme = 'app';
export const appHost = 'study';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

const maxUrlLength = 2048;

function parseStrictUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > maxUrlLength) return null;
  // The URL parser silently drops tabs/newlines and trims spaces (`java\nscript:` parses as `javascript:`): refuse them instead.
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || code === 0x5c) return null;
  }
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** May `shell.openExternal` open this URL? https, default port, no credentials, host exactly in the allow-list. */
export function isAllowedExternalUrl(raw: unknown, allowedHosts: readonly string[] = externalLinkHosts): boolean {
  const url = parseStrictUrl(raw);
  if (!url) return false;
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  // `hostname` is lower-cased and punycoded by the parser, so Unicode look-alikes never equal an ASCII entry.
  return allowedHosts.includes(url.hostname);
}

/** May the window navigate to (or a frame load) this URL? Only the app's own scheme and host (or the dev server's origin). */
export function isAppUrl(raw: unknown, appBaseUrl: string): boolean {
  const url = parseStrictUrl(raw);
  const base = parseStrictUrl(appBaseUrl);
  if (!url || !base) return false;
  // Compare scheme and host rather than `origin`: a custom scheme's origin serializes as "null" for every host.
  return url.protocol === base.protocol && url.host === base.host && url.username === '' && url.password === '';
}

/** Permissions the renderer may use; empty because the app needs none (camera, notifications, geolocation, …). */
export const grantedPermissions: readonly string[] = [];

/** Deny by default: anything not listed above is refused. */
export function isPermissionGranted(permission: string): boolean {
  return grantedPermissions.includes(permission);
}
