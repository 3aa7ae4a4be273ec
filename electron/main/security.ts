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

/** What Electron says about a permission request (`setPermissionRequestHandler`'s details), as far as the policy reads it. */
export interface PermissionRequestDetails {
  requestingUrl?: string;
  securityOrigin?: string;
  isMainFrame?: boolean;
  /** For 'media': what the page asks for ('audio', 'video'). */
  mediaTypes?: readonly string[];
}

/** What Electron says about a permission check (`setPermissionCheckHandler`'s details), as far as the policy reads it. */
export interface PermissionCheckDetails {
  requestingUrl?: string;
  securityOrigin?: string;
  isMainFrame?: boolean;
  /** For 'media': 'audio', 'video' or 'unknown'. */
  mediaType?: string;
}

/**
 * The one permission the app uses is the microphone, to record spoken drill answers: 'media' with audio only (never
 * video), asked by the app's own page in its main frame. Everything else (camera, notifications, geolocation, …, and
 * any other origin) is refused.
 */
export function isPermissionRequestGranted(permission: string, details: PermissionRequestDetails, appBaseUrl: string): boolean {
  if (permission !== 'media' || details.isMainFrame !== true) return false;
  const types = details.mediaTypes ?? [];
  if (types.length === 0 || !types.every((type) => type === 'audio')) return false;
  return isAppUrl(details.requestingUrl, appBaseUrl) && (details.securityOrigin === undefined || isAppUrl(details.securityOrigin, appBaseUrl));
}

/** The check counterpart (Chromium asks before enumerating or opening devices): the microphone for the app's own page only. */
export function isPermissionCheckGranted(permission: string, requestingOrigin: string, details: PermissionCheckDetails, appBaseUrl: string): boolean {
  if (permission !== 'media' || details.mediaType !== 'audio') return false;
  if (!isAppUrl(requestingOrigin, appBaseUrl)) return false;
  return (details.securityOrigin === undefined || isAppUrl(details.securityOrigin, appBaseUrl)) && (details.requestingUrl === undefined || isAppUrl(details.requestingUrl, appBaseUrl));
}
