/** Hostile inputs for the Electron host's URL predicates: what may open externally, what may load in the window. */
import { describe, expect, it } from 'vitest';
import { appIndexUrl, externalLinkHosts, isAllowedExternalUrl, isAppUrl } from '../../electron/main/security';

describe('isAllowedExternalUrl', () => {
  it('allows https links to exactly the allow-listed hosts', () => {
    expect(externalLinkHosts).toContain('supabase.com');
    expect(isAllowedExternalUrl('https://supabase.com/docs')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/org/repo?tab=readme#top')).toBe(true);
    expect(isAllowedExternalUrl('HTTPS://SUPABASE.COM/docs')).toBe(true);
  });

  it.each([
    ['javascript scheme', 'javascript:alert(1)'],
    ['javascript with host-like text', 'javascript://supabase.com/%0aalert(1)'],
    ['file scheme', 'file:///etc/passwd'],
    ['data scheme', 'data:text/html,<script>alert(1)</script>'],
    ['blob scheme', 'blob:https://supabase.com/uuid'],
    ['plain http', 'http://supabase.com/docs'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['app scheme', 'app://study/index.html'],
    ['suffix look-alike', 'https://supabase.com.evil.test/'],
    ['prefix look-alike', 'https://evilsupabase.com/'],
    ['subdomain not listed', 'https://evil.supabase.com/'],
    ['host in path', 'https://evil.test/supabase.com'],
    ['userinfo trick', 'https://supabase.com@evil.test/'],
    ['userinfo with password', 'https://supabase.com:pw@evil.test/'],
    ['credentials on allowed host', 'https://user:pw@supabase.com/'],
    ['backslash trick', 'https://evil.test\\@supabase.com/'],
    ['explicit port', 'https://supabase.com:8443/'],
    ['trailing dot', 'https://supabase.com./'],
    ['IDN look-alike (Cyrillic a)', 'https://supаbase.com/'],
    ['punycode look-alike', 'https://xn--supbase-6ve.com/'],
    ['leading whitespace', ' https://supabase.com/'],
    ['embedded newline', 'https://supa\nbase.com/'],
    ['tab in scheme', 'ht\ttps://supabase.com/'],
    ['javascript split by newline', 'java\nscript:alert(1)'],
    ['empty', ''],
    ['relative', '/docs'],
    ['protocol-relative', '//supabase.com/'],
    ['IP address', 'https://127.0.0.1/'],
    ['very long', `https://supabase.com/${'a'.repeat(5000)}`],
  ])('refuses %s', (_label, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it.each([[undefined], [null], [42], [{ href: 'https://supabase.com/' }], [['https://supabase.com/']]])('refuses non-strings (%j)', (value) => {
    expect(isAllowedExternalUrl(value)).toBe(false);
  });

  it('uses the allow-list it is given, exactly', () => {
    expect(isAllowedExternalUrl('https://docs.example.org/x', ['docs.example.org'])).toBe(true);
    expect(isAllowedExternalUrl('https://example.org/x', ['docs.example.org'])).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('accepts pages of the app itself', () => {
    expect(isAppUrl(appIndexUrl, appIndexUrl)).toBe(true);
    expect(isAppUrl('app://study/assets/index.js', appIndexUrl)).toBe(true);
    expect(isAppUrl('app://study/index.html#/practice', appIndexUrl)).toBe(true);
    expect(isAppUrl('http://localhost:5173/settings', 'http://localhost:5173/')).toBe(true);
  });

  it.each([
    ['another custom-scheme host', 'app://evil/index.html'],
    ['file scheme', 'file:///work/main/out/renderer/index.html'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,hi'],
    ['https site', 'https://supabase.com/'],
    ['userinfo trick', 'app://evil@study/index.html'],
    ['look-alike host', 'app://study.evil/index.html'],
    ['whitespace', ' app://study/index.html'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(isAppUrl(url, appIndexUrl)).toBe(false);
  });

  it('compares the dev server by scheme, host and port', () => {
    const dev = 'http://localhost:5173/';
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost.evil.test:5173/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
