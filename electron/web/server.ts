/** The web host: serves the built renderer and the wire protocol over a token-guarded WebSocket, on 127.0.0.1 only; core runs in this process. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../../shared/csp';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/ipc/api';
import type { ServerFrame } from '../../shared/ipc/wire';
import { tokenMetaName, tokenProtocolPrefix, webHostProtocol, webHostSocketPath } from '../../shared/ipc/ws-client';
import { createCore, type Core, type CoreOptions } from '../core/app';
import { connectWire } from '../core/ipc/wire-server';
import { createFileSecretStore } from './secrets';
import { createFileSettingsStore } from './settings';
import { isClientRoute, resolveStaticPath } from './static-path';

export const webHostAddress = '127.0.0.1';

export interface WebHostOptions {
  /** 0 picks any free port. */
  port: number;
  dataDir: string;
  /** The built renderer (out/renderer); its index.html gets the token injected. */
  rendererDir: string;
  appVersion?: string;
  /** Fixed token for tests; otherwise 32 random bytes per start. */
  token?: string;
  /** Passed through to createCore (e.g. a fake clock, another sample pack). */
  coreOptions?: Partial<Omit<CoreOptions, 'dataDir' | 'host'>>;
  /** Replaces createCore, for tests that inject faults. */
  createCore?: (options: CoreOptions) => Core;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The WebSocket's message limit; bigger bodies travel as upload frames (docs/wire-protocol.md). */
const maxMessageBytes = 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw new Error('The web host token must be 16-256 URL-safe characters.');
  const core = (options.createCore ?? createCore)({
    settings: createFileSettingsStore(options.dataDir),
    secrets: createFileSecretStore(options.dataDir),
    appVersion: options.appVersion ?? '0.0.0',
    ...options.coreOptions,
    dataDir: options.dataDir,
    host: 'web',
  });

  const server = createServer();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(webHostProtocol) ? webHostProtocol : false),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, webHostAddress, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await core.close();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const hostHeader = `${webHostAddress}:${port}`;
  const origin = `http://${hostHeader}`;
  const csp = contentSecurityPolicy({ connectSources: [`ws://${hostHeader}`] });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      // Resolved per request so a renderer built after start-up is picked up.
      serveStatic(req, res, { hostHeader, csp, realRoot: safeRealpath(options.rendererDir), token });
    } catch (err) {
      console.error('Study Desk web host: serving a file failed:', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error.');
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, { hostHeader, origin, token });
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      // One wire connection per socket: stream chunks and answers go back on the socket that asked.
      const connection = connectWire(core.handlers, (frame) => send(ws, frame));
      ws.on('close', () => connection.close());
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const decoded = decodeFrame(data, isBinary);
        if (decoded.ok) connection.receive(decoded.value);
        else send(ws, { id: null, result: decoded });
      });
    });
  });

  const unsubscribe = core.onEvent((event, payload) => {
    for (const ws of sockets) send(ws, { event, payload });
  });

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/`,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const ws of sockets) ws.terminate();
        wss.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await core.close();
      })();
      return closing;
    },
  };
}

/** Why an upgrade is refused (as an HTTP status line), or null to accept: wrong path, host, origin or token. */
export function upgradeRefusal(req: Pick<IncomingMessage, 'url' | 'headers'>, expected: { hostHeader: string; origin: string; token: string }): string | null {
  if ((req.url ?? '').split('?')[0] !== webHostSocketPath) return '404 Not Found';
  // Host and Origin stop other pages and DNS-rebinding attacks; the token stops everything else on this machine.
  if (req.headers.host !== expected.hostHeader || req.headers.origin !== expected.origin) return '403 Forbidden';
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim());
  const presented = offered.find((protocol) => protocol.startsWith(tokenProtocolPrefix))?.slice(tokenProtocolPrefix.length);
  if (!offered.includes(webHostProtocol) || !presented || !sameSecret(presented, expected.token)) return '401 Unauthorized';
  return null;
}

function sameSecret(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decodes one socket message into a frame for the wire connection, or the error reply when it is not JSON text. */
function decodeFrame(data: RawData, isBinary: boolean): Result<unknown> {
  if (isBinary) return failure({ code: 'invalid_input', message: 'Binary messages are not accepted; send JSON text.' });
  try {
    return { ok: true, value: JSON.parse(rawText(data)) };
  } catch {
    return failure({ code: 'invalid_input', message: 'The message is not valid JSON; expected {"id", "channel", "input"}.' });
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function failure(error: AppError): Result<unknown> {
  return { ok: false, error };
}

/** Sends one frame; a value JSON cannot encode (a BigInt, a cycle) becomes an internal error on the same id, never a crash. */
function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (err) {
    const id = 'id' in frame ? frame.id : null;
    const what = 'event' in frame ? `the ${frame.event} event` : 'the answer';
    const error: AppError = { code: 'internal', message: `Could not encode ${what}: ${(err as Error).message}` };
    text = JSON.stringify('kind' in frame ? { kind: 'error', id, error } : { id, result: failure(error) });
  }
  ws.send(text);
}

function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  context: { hostHeader: string; csp: string; realRoot: string | null; token: string },
): void {
  const headers: Record<string, string> = {
    'Content-Security-Policy': context.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  const reply = (status: number, body: string | Buffer, contentType = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...headers, ...extra, 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.headers.host !== context.hostHeader) return reply(421, 'This server only answers to its own address.');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method not allowed.', undefined, { Allow: 'GET, HEAD' });
  if (!context.realRoot) return reply(503, 'The renderer is not built: run `npx electron-vite build` (or `npm run build`) first.');
  const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
  if (pathname === webHostSocketPath) return reply(426, 'This path only accepts WebSocket upgrades.');
  let file = resolveStaticPath(context.realRoot, pathname);
  if (!file) return reply(404, 'Not found.');
  if (!isRegularFileInside(file, context.realRoot)) {
    if (!isClientRoute(pathname)) return reply(404, 'Not found.');
    file = resolveStaticPath(context.realRoot, '/index.html');
    if (!file || !isRegularFileInside(file, context.realRoot)) return reply(503, 'The renderer has no index.html.');
  }
  const contentType = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (extname(file) === '.html') {
    const html = readFileSync(file, 'utf8').replace('</head>', `<meta name="${tokenMetaName}" content="${context.token}"></head>`);
    return reply(200, html, contentType, { 'Cache-Control': 'no-store' });
  }
  return reply(200, readFileSync(file), contentType, { 'Cache-Control': 'no-cache' });
}

/** Follows symlinks and checks the real file is still inside the renderer folder. */
function isRegularFileInside(file: string, realRoot: string): boolean {
  const real = safeRealpath(file);
  return real !== null && real.startsWith(`${realRoot}${sep}`) && statSync(real).isFile();
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
