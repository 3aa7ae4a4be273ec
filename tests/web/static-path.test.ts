/** The web host's static path predicate against traversal and encoding tricks. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isClientRoute, resolveStaticPath } from '../../electron/web/static-path';

const root = '/srv/renderer';

describe('resolveStaticPath', () => {
  it('maps ordinary paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-AbC_1.js')).toBe(join(root, 'assets', 'index-AbC_1.js'));
    expect(resolveStaticPath(root, '/assets/font%20name.woff2')).toBe(join(root, 'assets', 'font name.woff2'));
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2E%2E%2Fetc%2Fpasswd',
    '/assets/%2e%2e%2f%2e%2e%2fetc/passwd',
    '/..%5c..%5cwindows%5cwin.ini',
    '/assets\\..\\..\\x',
    '/%00index.html',
    '/index.html%00.js',
    '/.env',
    '/assets/.git/config',
    '//etc/passwd',
    '/assets//x.js',
    '/C:/Windows/win.ini',
    '/%E0%A4%A',
    'index.html',
    '',
    `/${'a/'.repeat(600)}`,
  ])('refuses %j', (path) => {
    expect(resolveStaticPath(root, path)).toBeNull();
  });

  it('tells client routes from files', () => {
    expect(isClientRoute('/library/skills')).toBe(true);
    expect(isClientRoute('/assets/app.js')).toBe(false);
  });
});
