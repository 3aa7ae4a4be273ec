/**
 * Who may use the web host: only a browser that opened the one-time launch link printed at start. Everything else on
 * the machine (another process, another user, a second browser) gets neither the page with the token nor the socket.
 * The data folder is the learner's alone (0700, files 0600).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { launchPathPrefix, sessionCookieName, startWebHost, type WebHost } from '../../electron/web/server';
import { browserStudyApi, httpGet, openSession } from './session';

const repoRoot = resolve(import.meta.dirname, '../..');
let host: WebHost;
let dataDir: string;
let rendererDir: string;

beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'study-web-session-')), 'data');
  rendererDir = mkdtempSync(join(tmpdir(), 'study-web-session-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Study Desk</title></head><body></body></html>');
  host = await startWebHost({ port: 0, dataDir, rendererDir });
});

afterAll(async () => {
  await host?.close();
  for (const dir of [join(dataDir, '..'), rendererDir]) rmSync(dir, { recursive: true, force: true });
});

function socket(headers: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}ipc`, ['study-desk.v1', `token.${host.token}`], { origin: host.url.replace(/\/$/, ''), headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

describe('the one-time launch link', () => {
  it('gives the page and its token to no request without a session, only the "open the link" page', async () => {
    for (const path of ['/', '/index.html', '/library/skill/1']) {
      const page = await httpGet(host.url, path);
      expect(page.status, path).toBe(401);
      expect(page.body).toContain('link printed in the terminal');
      expect(page.body).not.toContain(host.token);
      expect(page.body).not.toContain('study-token');
    }
  });

  it('swaps the link once for an HttpOnly, SameSite=Strict session cookie; the page and a reload then work', async () => {
    const launch = new URL(host.newLaunchUrl());
    expect(launch.pathname.startsWith(launchPathPrefix)).toBe(true);
    const first = await httpGet(launch.origin, launch.pathname);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = [first.headers['set-cookie'] ?? []].flat();
    expect(setCookie).toHaveLength(1);
    const [pair, ...attributes] = setCookie[0]!.split(';').map((part) => part.trim());
    expect(pair!.split('=')[0]).toBe(sessionCookieName(Number(launch.port)));
    expect(attributes.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);

    for (let load = 0; load < 2; load++) {
      const page = await httpGet(host.url, '/', { Cookie: pair! });
      expect(page.status).toBe(200);
      expect(page.body).toContain(`<meta name="study-token" content="${host.token}">`);
    }

    // The same link again: dead for anyone without the cookie, a plain redirect for the browser that has it.
    const again = await httpGet(launch.origin, launch.pathname);
    expect(again.status).toBe(403);
    expect(again.body).toContain('already used');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).not.toContain(host.token);
    const sameBrowser = await httpGet(launch.origin, launch.pathname, { Cookie: pair! });
    expect(sameBrowser.status).toBe(303);
    expect(sameBrowser.headers['set-cookie']).toBeUndefined();
  });

  it('refuses made-up and guessed links', async () => {
    for (const path of [`${launchPathPrefix}${'A'.repeat(43)}`, launchPathPrefix, `${launchPathPrefix}../`]) {
      const answer = await httpGet(host.url, path);
      expect(answer.status, path).toBe(403);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
  });

  it('opens the socket only with a live session cookie, on top of origin and token', async () => {
    const cookie = await openSession(host);
    const ws = await socket({ Cookie: cookie });
    ws.close();
    await expect(socket({})).rejects.toThrow(/refused with 401/);
    await expect(socket({ Cookie: `${cookie.split('=')[0]}=forged` })).rejects.toThrow(/refused with 401/);
    // A session of another host (another port) is not one here.
    await expect(socket({ Cookie: `${sessionCookieName(1)}=${cookie.split('=')[1]}` })).rejects.toThrow(/refused with 401/);
  });

  it('lets the browser client of a session call the app', async () => {
    const cookie = await openSession(host);
    const controller = new AbortController();
    const api = browserStudyApi(host, cookie, { signal: controller.signal });
    try {
      expect(await api.appInfo({})).toMatchObject({ ok: true, value: { host: 'web' } });
    } finally {
      controller.abort();
    }
  });
});

describe('the app icon', () => {
  it('is served at /favicon.ico to every browser, with or without a session', async () => {
    const icon = await httpGet(host.url, '/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/x-icon');
    const cookie = await openSession(host);
    expect((await httpGet(host.url, '/favicon.ico', { Cookie: cookie })).status).toBe(200);
    expect((await httpGet(host.url, '/', { Cookie: cookie })).body).toContain('<link rel="icon" href="/favicon.ico">');
  });
});

describe.skipIf(process.platform === 'win32')('the data folder is the learner\'s alone', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('is created 0700, with the database, its WAL and SHM, settings and secrets 0600', async () => {
    const cookie = await openSession(host);
    const controller = new AbortController();
    const api = browserStudyApi(host, cookie, { signal: controller.signal });
    try {
      expect(await api.settingsSet({ theme: 'dark' })).toMatchObject({ ok: true });
    } finally {
      controller.abort();
    }
    expect(modeOf(dataDir)).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['study.sqlite', 'study.sqlite-wal', 'study.sqlite-shm', 'settings.json']));
    for (const name of files) expect(modeOf(join(dataDir, name)), name).toBe(0o600);
  });

  it('tightens a folder that an older version (or a person) left readable', async () => {
    const loose = join(mkdtempSync(join(tmpdir(), 'study-web-loose-')), 'data');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    writeFileSync(join(loose, 'secrets.json'), '{}', { mode: 0o644 });
    chmodSync(join(loose, 'secrets.json'), 0o644);
    const other = await startWebHost({ port: 0, dataDir: loose, rendererDir });
    try {
      expect(modeOf(loose)).toBe(0o700);
      for (const name of readdirSync(loose)) expect(modeOf(join(loose, name)), name).toBe(0o600);
    } finally {
      await other.close();
      rmSync(join(loose, '..'), { recursive: true, force: true });
    }
  });
});

describe('npm run start:web', () => {
  it('prints a launch link that opens a session, and the plain address shows the "open the link" page', async () => {
    const work = mkdtempSync(join(tmpdir(), 'study-web-cli-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'electron/web/cli.ts'), '--port', '0', '--data-dir', join(work, 'data'), '--renderer-dir', rendererDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (output += chunk));
      const launchUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no launch link within 30 s; printed: ${output}`)), 30_000);
        child.stdout.on('data', () => {
          const found = /http:\/\/127\.0\.0\.1:\d+\/launch\/[A-Za-z0-9_-]+/.exec(output)?.[0];
          if (!found) return;
          clearTimeout(timer);
          resolve(found);
        });
      });
      expect(output).toMatch(/one-time link/);
      const launch = new URL(launchUrl);
      expect((await httpGet(launch.origin, '/')).status).toBe(401);
      const opened = await httpGet(launch.origin, launch.pathname);
      expect(opened.status).toBe(303);
      const cookie = [opened.headers['set-cookie'] ?? []].flat()[0]!.split(';')[0]!;
      expect((await httpGet(launch.origin, '/', { Cookie: cookie })).status).toBe(200);
      expect((await httpGet(launch.origin, launch.pathname)).status).toBe(403);
      if (process.platform !== 'win32') {
        expect(statSync(join(work, 'data')).mode & 0o777).toBe(0o700);
        expect(existsSync(join(work, 'data', 'study.sqlite')) && statSync(join(work, 'data', 'study.sqlite')).mode & 0o777).toBe(0o600);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(work, { recursive: true, force: true });
    }
  });
});
