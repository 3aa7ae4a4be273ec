/** The option parser every content command uses (validate/import, publish, grant): what it accepts and how it refuses. */
import { describe, expect, it } from 'vitest';
import { parseOptions, projectUrlOption, UsageError } from '../../electron/core/content/cli-io';

const spec = { values: ['url', 'service-key'], flags: ['json'] } as const;

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error('expected a usage error');
}

describe('parseOptions', () => {
  it('reads --name value and --name=value alike, flags and positional arguments in order', () => {
    expect(parseOptions(['a.json', '--url', 'http://x', '--service-key=k=v', '--json', 'b'], spec)).toEqual({
      values: { url: 'http://x', 'service-key': 'k=v' },
      flags: { json: true },
      positional: ['a.json', 'b'],
    });
    expect(parseOptions([], spec)).toEqual({ values: {}, flags: { json: false }, positional: [] });
  });

  it('names an unknown option, with two dashes or one, and with an inline value', () => {
    expect(usageMessage(() => parseOptions(['--colour'], spec))).toBe('unknown option --colour');
    expect(usageMessage(() => parseOptions(['--colour=red'], spec))).toBe('unknown option --colour');
    expect(usageMessage(() => parseOptions(['-x'], spec))).toBe('unknown option -x');
    expect(usageMessage(() => parseOptions(['-url', 'x'], spec))).toBe('unknown option -url');
  });

  it('says which option misses its value: at the end, or empty after "="', () => {
    expect(usageMessage(() => parseOptions(['--json', '--url'], spec))).toBe('--url needs a value');
    expect(usageMessage(() => parseOptions(['--service-key='], spec))).toBe('--service-key needs a value');
    expect(usageMessage(() => parseOptions(['--url', ''], spec))).toBe('--url needs a value');
  });

  it('refuses a value given to a flag', () => {
    expect(usageMessage(() => parseOptions(['--json=yes'], spec))).toBe('--json takes no value');
  });

  it('answers help as soon as -h or --help comes, before any later mistake', () => {
    expect(parseOptions(['--help', '--colour'], spec)).toBe('help');
    expect(parseOptions(['a', '-h'], spec)).toBe('help');
    expect(usageMessage(() => parseOptions(['--colour', '--help'], spec))).toBe('unknown option --colour');
  });
});

describe('projectUrlOption', () => {
  it('keeps an http(s) URL without trailing slashes and names what is wrong otherwise', () => {
    expect(projectUrlOption('https://example.test//', 'grant')).toBe('https://example.test');
    expect(usageMessage(() => projectUrlOption(undefined, 'publish'))).toBe('publish needs --url URL (the Supabase project URL)');
    expect(usageMessage(() => projectUrlOption('not a url', 'grant'))).toBe('--url "not a url" is not a URL');
    expect(usageMessage(() => projectUrlOption('ftp://x', 'grant'))).toBe('--url must be http or https');
  });
});
