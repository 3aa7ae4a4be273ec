/**
 * The web host: serves the built renderer and the wire protocol over a token-guarded WebSocket, on 127.0.0.1 only; core runs in this process.
 *
 * Who may use it: whoever opens the one-time launch link the host prints at start (`newLaunchUrl()`). Opening it
 * swaps the link's secret for a session cookie (HttpOnly, SameSite=Strict) and the link stops working; the page, the
 * token in it and the WebSocket are only for requests carrying that cookie. Another local process or user, which
 * never saw the terminal, gets the "open the link printed in the terminal" page, not the app.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../../shared/csp';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/ipc/api';
import { decodeBinaryUpload, uploadChunkBytes, type ServerFrame } from '../../shared/ipc/wire';
import {
  tokenMetaName,
  tokenProtocolPrefix,
  uploadTokenHeader,
  webHostProtocol,
  webHostSocketPath,
  webHostUploadPath,
} from '../../shared/ipc/ws-client';
import { createCore, type Core, type CoreOptions } from '../core/app';
import { connectWire, maxUploadingBytes } from '../core/ipc/wire-server';
import { protectDataDir } from '../core/private-data';
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
  /** `http://127.0.0.1:PORT/`: the app for a browser that holds a session cookie, the "open the link" page otherwise. */
  url: string;
  token: string;
  /** A new one-time link (`http://127.0.0.1:PORT/launch/<secret>`) that gives the browser opening it a session. */
  newLaunchUrl(): string;
  close(): Promise<void>;
}

/** Where a launch link points; the secret follows as the last segment. */
export const launchPathPrefix = '/launch/';
/** The app icon, served to every request (the locked page shows it too); the renderer links it. */
const faviconPath = '/favicon.ico';
const faviconFile = join(import.meta.dirname, '../../resources/favicon.ico');

/** Cookies are per host, not per port: the port in the name keeps two hosts on one machine apart. */
export function sessionCookieName(port: number): string {
  return `study_desk_session_${port}`;
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
  protectDataDir(options.dataDir);
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
  const sessions = createSessions(sessionCookieName(port));
  const uploads = createUploadStore();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      if ((req.url ?? '').split('?')[0] === webHostUploadPath) return uploads.receive(req, res, { hostHeader, origin, token, hasSession: sessions.holds });
      // Resolved per request so a renderer built after start-up is picked up.
      serveStatic(req, res, { hostHeader, csp, realRoot: safeRealpath(options.rendererDir), token, sessions });
    } catch (err) {
      console.error('Study Desk web host: serving a file failed:', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error.');
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, { hostHeader, origin, token, hasSession: sessions.holds });
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
        if (!decoded.ok) return send(ws, { id: null, result: decoded });
        const withBody = uploads.expand(decoded.value);
        if ('error' in withBody) return send(ws, withBody.error);
        for (const frame of withBody.frames) connection.receive(frame);
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
    newLaunchUrl: () => `${origin}${launchPathPrefix}${sessions.newLaunchSecret()}`,
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

/** Bodies POSTed to /upload are held this long for the stream start that names them. */
const uploadHoldMs = 60_000;
/** At most this many bodies held or still arriving at once (each up to the largest upload limit). */
const maxHeldUploads = 2;

interface UploadStore {
  /** POST /upload: checks who sends it (host, origin, session, token) and its size, keeps the body, answers its ref. */
  receive(
    req: IncomingMessage,
    res: ServerResponse,
    expected: { hostHeader: string; origin: string; token: string; hasSession: (req: Pick<IncomingMessage, 'headers'>) => boolean },
  ): void;
  /**
   * A stream start naming a held body (`uploadRef`) becomes the start frame and its upload frames, as if the page had
   * sent them over the socket; the wire connection then checks them like any other. An unknown ref is the stream's error.
   */
  expand(frame: unknown): { frames: unknown[] } | { error: ServerFrame };
}

/** The page's fast path for large bodies (docs/wire-protocol.md): one HTTP POST instead of ~70 WebSocket frames. */
function createUploadStore(): UploadStore {
  const held = new Map<string, Buffer>();
  // Bodies still arriving: each already has its memory (allocated from its stated length).
  let arriving = 0;
  const busy = 'Other uploads are still arriving or waiting to be used; send this one after them.';
  return {
    receive(req, res, expected) {
      const reply = (status: number, body: object): void => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
        res.end(JSON.stringify(body));
      };
      const refuse = (status: number, code: AppError['code'], message: string): void => {
        if (res.headersSent) return;
        reply(status, { error: { code, message } });
        // Whatever is still arriving is not read.
        res.once('finish', () => req.destroy());
      };
      if (req.method !== 'POST') return refuse(405, 'invalid_input', 'Uploads are POSTed.');
      // The same checks as the socket's upgrade: host and origin (other pages, DNS rebinding), then session and token.
      if (req.headers.host !== expected.hostHeader || req.headers.origin !== expected.origin) return refuse(403, 'forbidden', 'Not from this app.');
      const presented = req.headers[uploadTokenHeader];
      if (!expected.hasSession(req) || typeof presented !== 'string' || !sameSecret(presented, expected.token)) {
        return refuse(401, 'forbidden', 'This browser has not opened Study Desk.');
      }
      const declared = Number(req.headers['content-length']);
      if (!Number.isSafeInteger(declared) || declared <= 0) return refuse(411, 'invalid_input', 'An upload states its length (Content-Length).');
      if (declared > maxUploadingBytes) return refuse(413, 'invalid_input', `The upload is ${declared} bytes; at most ${maxUploadingBytes} are accepted.`);
      if (held.size + arriving >= maxHeldUploads) return refuse(429, 'busy', busy);
      // Filled as it arrives (no join at the end), and its own memory: core hands it to the content worker as is.
      const body = Buffer.allocUnsafeSlow(declared);
      let received = 0;
      arriving++;
      let arrived = false;
      const settle = () => {
        if (arrived) return;
        arrived = true;
        arriving--;
      };
      // A page that goes away mid-upload: nothing is kept (an unheard 'error' would stop the host).
      req.on('error', () => undefined);
      req.on('close', settle);
      req.on('data', (part: Buffer) => {
        if (received + part.byteLength > declared) return refuse(400, 'invalid_input', `The upload is longer than the stated ${declared} bytes.`);
        part.copy(body, received);
        received += part.byteLength;
      });
      req.on('end', () => {
        settle();
        if (received !== declared || res.headersSent) return;
        if (held.size >= maxHeldUploads) return refuse(429, 'busy', busy);
        const uploadRef = randomBytes(24).toString('base64url');
        held.set(uploadRef, body);
        setTimeout(() => held.delete(uploadRef), uploadHoldMs).unref();
        reply(200, { uploadRef });
      });
    },
    expand(frame) {
      if (typeof frame !== 'object' || frame === null || !('uploadRef' in frame)) return { frames: [frame] };
      const { uploadRef, ...start } = frame as { uploadRef: unknown; id?: unknown };
      const body = typeof uploadRef === 'string' ? held.get(uploadRef) : undefined;
      if (body === undefined || (frame as { kind?: unknown }).kind !== 'stream') {
        const id = typeof start.id === 'number' || (typeof start.id === 'string' && start.id.length <= 64) ? start.id : null;
        const error: AppError = { code: 'invalid_input', message: 'The stream names an upload this host does not hold (unknown, used, or older than a minute).' };
        return { error: id === null ? { id: null, result: { ok: false, error } } : { kind: 'error', id, error } };
      }
      held.delete(uploadRef as string);
      const frames: unknown[] = [{ ...start, uploadBytes: body.byteLength }];
      for (let offset = 0, seq = 0; offset < body.byteLength; offset += uploadChunkBytes, seq++) {
        frames.push({ kind: 'upload', id: start.id, seq, data: body.subarray(offset, offset + uploadChunkBytes) });
      }
      return { frames };
    },
  };
}

/** The host's sessions: launch secrets not yet used, and the session ids they were swapped for. Both live as long as the host. */
interface Sessions {
  newLaunchSecret(): string;
  /** Swaps an unused launch secret for a new session id; null when the secret is unknown or already used. */
  redeem(secret: string): string | null;
  /** Does this request carry a live session cookie? */
  holds(req: Pick<IncomingMessage, 'headers'>): boolean;
  setCookie(sessionId: string): string;
}

function createSessions(cookieName: string): Sessions {
  const unusedSecrets = new Set<string>();
  const sessionIds = new Set<string>();
  return {
    newLaunchSecret() {
      const secret = randomBytes(32).toString('base64url');
      unusedSecrets.add(secret);
      return secret;
    },
    redeem(secret) {
      const known = [...unusedSecrets].find((candidate) => sameSecret(secret, candidate));
      if (!known) return null;
      unusedSecrets.delete(known);
      const sessionId = randomBytes(32).toString('base64url');
      sessionIds.add(sessionId);
      return sessionId;
    },
    holds(req) {
      const presented = cookieValue(req.headers.cookie, cookieName);
      return presented !== null && [...sessionIds].some((sessionId) => sameSecret(presented, sessionId));
    },
    // No Max-Age: the cookie ends with the browser session, and the session ends with this host anyway.
    setCookie: (sessionId) => `${cookieName}=${sessionId}; HttpOnly; SameSite=Strict; Path=/`,
  };
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return null;
}

/** Why an upgrade is refused (as an HTTP status line), or null to accept: wrong path, host, origin, session or token. */
export function upgradeRefusal(
  req: Pick<IncomingMessage, 'url' | 'headers'>,
  expected: { hostHeader: string; origin: string; token: string; hasSession: (req: Pick<IncomingMessage, 'headers'>) => boolean },
): string | null {
  if ((req.url ?? '').split('?')[0] !== webHostSocketPath) return '404 Not Found';
  // Host and Origin stop other pages and DNS-rebinding attacks; the session cookie and the token stop everything else on this machine.
  if (req.headers.host !== expected.hostHeader || req.headers.origin !== expected.origin) return '403 Forbidden';
  if (!expected.hasSession(req)) return '401 Unauthorized';
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

/** Decodes one socket message into a frame for the wire connection, or the error reply when it is neither JSON text nor a binary upload frame. */
function decodeFrame(data: RawData, isBinary: boolean): Result<unknown> {
  if (isBinary) {
    const upload = decodeBinaryUpload(rawBytes(data));
    if (!upload || typeof upload.header !== 'object' || upload.header === null) {
      return failure({ code: 'invalid_input', message: 'Binary messages carry upload frames only: a 4-byte header length, the JSON header, the bytes.' });
    }
    // The wire connection checks the frame (kind, id, seq, size) like any other.
    return { ok: true, value: { ...upload.header, data: upload.data } };
  }
  try {
    return { ok: true, value: JSON.parse(rawText(data)) };
  } catch {
    return failure({ code: 'invalid_input', message: 'The message is not valid JSON; expected {"id", "channel", "input"}.' });
  }
}

function rawBytes(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
}

function rawText(data: RawData): string {
  return rawBytes(data).toString('utf8');
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
  context: { hostHeader: string; csp: string; realRoot: string | null; token: string; sessions: Sessions },
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
  const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
  if (pathname === faviconPath) return reply(200, readFileSync(faviconFile), contentTypes['.ico'], { 'Cache-Control': 'max-age=86400' });
  if (pathname.startsWith(launchPathPrefix)) {
    const sessionId = context.sessions.redeem(pathname.slice(launchPathPrefix.length));
    // A used link still leads a browser that has a session to the app (the learner clicked it twice).
    if (sessionId) return reply(303, '', undefined, { Location: '/', 'Set-Cookie': context.sessions.setCookie(sessionId), 'Cache-Control': 'no-store' });
    if (context.sessions.holds(req)) return reply(303, '', undefined, { Location: '/', 'Cache-Control': 'no-store' });
    return reply(403, lockedPage('This link was already used, or it is from an earlier start of Study Desk.'), contentTypes['.html'], { 'Cache-Control': 'no-store' });
  }
  if (!context.sessions.holds(req)) return reply(401, lockedPage('This browser has not opened Study Desk yet.'), contentTypes['.html'], { 'Cache-Control': 'no-store' });
  if (!context.realRoot) return reply(503, 'The renderer is not built: run `npx electron-vite build` (or `npm run build`) first.');
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
    const html = readFileSync(file, 'utf8').replace('</head>', `<link rel="icon" href="${faviconPath}"><meta name="${tokenMetaName}" content="${context.token}"></head>`);
    return reply(200, html, contentType, { 'Cache-Control': 'no-store' });
  }
  return reply(200, readFileSync(file), contentType, { 'Cache-Control': 'no-cache' });
}

/** What a browser without a session sees instead of the app: plain HTML, no script, under the same CSP. */
function lockedPage(why: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Study Desk: open the link from the terminal</title><link rel="icon" href="${faviconPath}"></head>
<body>
<main>
<h1>Open Study Desk with the link printed in the terminal</h1>
<p>${why}</p>
<p>Study Desk opens only through the one-time link it printed in the terminal where it was started, so that no other program or user on this computer can use your data. Open that link in this browser. If it was already used, or you closed the browser, press Enter in that terminal for a new link, or restart Study Desk.</p>
</main>
</body>
</html>
`;
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
