/**
 * A browser on a web host, as the learner's: its session, got by opening the one-time launch link, and the page's study
 * API over a WebSocket with the page's origin and cookie. Also a host with a fresh data folder for tests of the real core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebHost, type WebHost, type WebHostOptions } from '../../electron/web/server';
import type { StudyApi } from '../../shared/ipc/api';
import { createWebSocketStudyApi, type WebSocketLike, type WebSocketStudyApiOptions } from '../../shared/ipc/ws-client';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET of `path` exactly as given (no URL normalising, so `..` tricks reach the host) on `origin`; redirects are not followed. */
export function httpGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const target = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a fresh launch link and returns the `name=value` of the session cookie it set, for a Cookie header. */
export async function openSession(host: WebHost): Promise<string> {
  const launch = new URL(host.newLaunchUrl());
  const answer = await httpGet(launch.origin, launch.pathname);
  const cookie = [answer.headers['set-cookie'] ?? []].flat()[0];
  if (answer.status !== 303 || !cookie) throw new Error(`The launch link answered ${answer.status} without a session cookie.`);
  return cookie.split(';')[0]!;
}

export interface BrowserApiOptions extends Omit<WebSocketStudyApiOptions, 'createSocket'> {
  /** The socket address and token as the page read them from its config; the host's own by default. */
  url?: string;
  token?: string;
  /** Collects every socket the client opens. */
  sockets?: WebSocket[];
}

/** The page's study API on `host` for the session `cookie` (from openSession). */
export function browserStudyApi(host: WebHost, cookie: string, options: BrowserApiOptions = {}): StudyApi {
  const { url = `${host.url.replace('http', 'ws')}ipc`, token = host.token, sockets, ...clientOptions } = options;
  const origin = host.url.replace(/\/$/, '');
  return createWebSocketStudyApi(url, token, {
    ...clientOptions,
    createSocket: (socketUrl, protocols) => {
      const socket = new WebSocket(socketUrl, protocols, { origin, headers: { Cookie: cookie } });
      sockets?.push(socket);
      return socket as unknown as WebSocketLike;
    },
  });
}

/** A web host on a free port, with a fresh data folder (named from `prefix`) and no renderer, running `createCore`. */
export async function startCoreWebHost(
  prefix: string,
  createCore: NonNullable<WebHostOptions['createCore']>,
): Promise<{ host: WebHost; dataDir: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const host = await startWebHost({ port: 0, dataDir, rendererDir: join(dataDir, 'no-renderer'), createCore });
  return {
    host,
    dataDir,
    close: async () => {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
