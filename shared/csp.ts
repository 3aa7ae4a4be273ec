/** The renderer's Content-Security-Policy, one definition for both hosts (Electron's app:// page and the web host's page). */

export interface CspOptions {
  /** The Vite dev server URL during `npm run dev`: its HMR needs inline scripts/styles and a socket. */
  devServerUrl?: string;
  /** Extra `connect-src` sources, e.g. the web host's ws://127.0.0.1:PORT. */
  connectSources?: readonly string[];
}

/** Only the app's own files, no inline script, no plugins, no framing, no form posts. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerUrl ? new URL(options.devServerUrl) : null;
  const connect = ["'self'", ...(options.connectSources ?? []), ...(dev ? [`ws://${dev.host}`] : [])];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': connect,
    'manifest-src': ["'self'"],
    'worker-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
