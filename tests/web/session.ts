/** A browser's session on a web host, got the way the learner gets one: by opening the one-time launch link. */
import { request } from 'node:http';
import type { WebHost } from '../../electron/web/server';

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
