/** The content CLI as authors run it: a child process on fixture files, its JSON output and exit codes. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { validationOutputSchema } from '../../shared/content/findings';
import { runGrant } from '../../electron/core/content/grant';
import { runPublish } from '../../electron/core/content/publish';
import { MAX_PACK_BYTES } from '../../electron/core/content/validate';
import { useTempDirs } from '../helpers/temp';
import { buildPack, packText, testUuid } from './pack-builder';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const cli = join(repo, 'electron', 'core', 'content', 'cli.ts');
const fixture = (name: string) => join(repo, 'tests', 'fixtures', 'packs', name);
const tempDir = useTempDirs();

/** `npm run content -- …args`, minus npm: the same tsx entry, without npm's own chatter on stderr. */
function content(...args: string[]) {
  const run = spawnSync(process.execPath, [tsx, cli, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('content validate --json', () => {
  it('exits 1 on the seed samples and lists each hyphenated slug with a suggestion', () => {
    const run = content('validate', fixture('seed-samples.json'), '--json');
    expect(run.code).toBe(1);
    const output = validationOutputSchema.strict().parse(JSON.parse(run.stdout));
    expect(output.ok).toBe(false);
    expect(output.errors.map((e) => [e.path, e.code, e.suggestion])).toEqual([
      ['skills[0].slug', 'invalid_slug', 'linear_equations'],
      ['questions[0].slug', 'invalid_slug', 'x_solve_basic'],
      ['questions[1].slug', 'invalid_slug', 'order_steps'],
    ]);
    expect(output.warnings.map((w) => w.code)).toEqual(['missing_explanation']);
  });

  it('exits 0 on a valid pack, warnings allowed', () => {
    const run = content('validate', fixture('seed-samples-fixed.json'), '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      errors: [],
      warnings: [expect.objectContaining({ path: 'questions[1].explanation', code: 'missing_explanation' })],
    });
    expect(run.stderr).toBe('');
  });

  it('reports every problem of a file at once', () => {
    const run = content('validate', fixture('many-problems.json'), '--json');
    expect(run.code).toBe(1);
    const output = validationOutputSchema.parse(JSON.parse(run.stdout));
    expect(output.errors.map((e) => e.code)).toEqual([
      'invalid_version',
      'duplicate_slug',
      'dangling_reference',
      'solution_index_out_of_range',
      'solution_not_permutation',
      'unknown_question_type',
    ]);
    expect(output.warnings).toHaveLength(4);
  });

  it('exits 2 with one clear line for a file that is not JSON', () => {
    const run = content('validate', fixture('not-json.json'), '--json');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not-json\.json: The file is not valid JSON \(line 2, column \d+\)/);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ path: '', code: 'invalid_json' }] });
    expectNoStackTrace(run.stderr);
  });

  it('refuses a file over the size limit without reading it', () => {
    const file = join(tempDir(), 'huge.json');
    // A sparse file: 64 MiB + 1 byte on paper, nothing on disk.
    const fd = openSync(file, 'w');
    ftruncateSync(fd, MAX_PACK_BYTES + 1);
    closeSync(fd);
    const run = content('validate', file, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at most 64.0 MiB');
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ code: 'too_large' }] });
  });
});

describe('content validate (readable report)', () => {
  it('groups findings by severity with their paths and suggestions', () => {
    const run = content('validate', fixture('seed-samples.json'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('3 errors, 1 warning');
    const errorsAt = run.stdout.indexOf('Errors (3):');
    const warningsAt = run.stdout.indexOf('Warnings (1):');
    expect(errorsAt).toBeGreaterThan(-1);
    expect(warningsAt).toBeGreaterThan(errorsAt);
    expect(run.stdout).toContain('skills[0].slug  [invalid_slug]');
    expect(run.stdout).toContain('suggestion: linear_equations');
  });

  it('says what a valid pack holds', () => {
    const run = content('validate', fixture('seed-samples-fixed.json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"seed-samples-fixed" 1.0.0 is valid: 1 domain, 1 skill, 2 questions');
  });
});

describe('usage and file errors', () => {
  it.each([
    [['validate', 'tests/fixtures/packs/does-not-exist.json'], /cannot read .*does-not-exist\.json: no such file/],
    [['validate', 'tests/fixtures/packs'], /is not a file/],
    [['validate'], /validate needs a FILE/],
    [['frobnicate', 'x.json'], /unknown command "frobnicate"/],
    [['validate', 'a.json', '--colour'], /unknown option --colour/],
    [['import', 'tests/fixtures/packs/seed-samples-fixed.json'], /import needs --db PATH/],
    [['import', 'tests/fixtures/packs/seed-samples-fixed.json', '--db', 'x.sqlite', '--mode', 'merge'], /--mode must be append or override/],
  ])('%j exits 2 with a clear message', (args, message) => {
    const run = content(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expectNoStackTrace(run.stderr);
  });

  it('prints help with --help', () => {
    const run = content('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('validate FILE [--json]');
    expect(run.stdout).toContain('import FILE --db PATH [--mode append|override]');
  });
});

describe('content import', () => {
  it('validates, imports, prints counts, and appends on a second run', () => {
    const db = join(tempDir(), 'nested', 'study.sqlite');
    const first = content('import', fixture('seed-samples-fixed.json'), '--db', db, '--json');
    expect(first.code).toBe(0);
    const output = JSON.parse(first.stdout);
    expect(output).toMatchObject({
      ok: true,
      errors: [],
      mode: 'append',
      counts: { domains: { inserted: 1 }, skills: { inserted: 1 }, questions: { inserted: 2, updated: 0, replaced: 0, unchanged: 0, skipped: 0 } },
    });
    expect(output.warnings).toHaveLength(1);

    const readable = content('import', fixture('seed-samples-fixed.json'), '--db', db, '--mode', 'override');
    expect(readable.code).toBe(0);
    // The same file again: written, and counted as its diff would (unchanged).
    expect(readable.stdout).toMatch(/questions\s+0 inserted, 0 updated, 0 replaced, 2 unchanged/);

    const check = new Database(db, { readonly: true });
    try {
      expect(check.prepare('SELECT count(*) FROM questions').pluck().get()).toBe(2);
      expect(check.prepare('SELECT import_mode FROM content_packs ORDER BY imported_utc_ms, id').pluck().all()).toEqual(['append', 'override']);
    } finally {
      check.close();
    }
  });

  it('exits 1 on an invalid pack without creating the database', () => {
    const db = join(tempDir(), 'study.sqlite');
    const run = content('import', fixture('seed-samples.json'), '--db', db, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ code: 'invalid_slug' }, {}, {}] });
    expect(existsSync(db)).toBe(false);
  });

  it('imports a drill pack', () => {
    const dir = tempDir();
    const file = join(dir, 'drills.json');
    writeFileSync(file, packText(buildPack({ withDrillPack: true })));
    const run = content('import', file, '--db', join(dir, 'study.sqlite'), '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).counts.drillQuestions).toEqual({ inserted: 7, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });
  });

  it('exits 1 and names the record when the import clashes with the database, changing nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'study.sqlite');
    const original = buildPack();
    const skill1 = original.skills[1]!.id;
    original.questions.push({ ...original.questions[0]!, id: testUuid('extra'), skill_id: skill1, slug: 'p_q_extra' });
    writeFileSync(join(dir, 'original.json'), packText(original));
    expect(content('import', join(dir, 'original.json'), '--db', db).code).toBe(0);

    const clashing = buildPack({ version: '2.0.0' });
    const moved = clashing.questions.shift()!;
    clashing.questions.push({ ...moved, skill_id: skill1, slug: 'p_q_extra' });
    writeFileSync(join(dir, 'clashing.json'), packText(clashing));
    const run = content('import', join(dir, 'clashing.json'), '--db', db, '--mode', 'override', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ path: 'questions[3]', code: 'conflict' }] });
    expect(run.stderr).toMatch(/^content: import failed: questions\[3\]: this question clashes/);
    expectNoStackTrace(run.stderr);

    const check = new Database(db, { readonly: true });
    try {
      expect(check.prepare('SELECT count(*) FROM content_packs').pluck().get()).toBe(1);
    } finally {
      check.close();
    }
  });
});

describe('the server commands (grant, publish) before any request', () => {
  const captured = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (text: string) => (out.stdout += text), stderr: (text: string) => (out.stderr += text) } };
  };
  const noNetwork = () => Promise.reject(new Error('no request may be made'));

  it.each([
    ['grant', runGrant],
    ['publish', runPublish],
  ] as const)('%s --help prints its usage with exit 0; a usage mistake is one line with exit 2', async (command, run) => {
    const help = captured();
    expect(await run(['--help'], help.io, noNetwork)).toBe(0);
    expect(help.out.stdout).toMatch(/Usage/);
    const wrong = captured();
    expect(await run(['--url', 'ftp://x'], wrong.io, noNetwork)).toBe(2);
    expect(wrong.out.stderr).toMatch(new RegExp(`^content ${command}: .+\\nRun "npm run content -- ${command} --help" for usage\\.\\n$`));
  });

  it.each([
    ['grant', runGrant, ['--email', 'a@b.test', '--lvl=PRO'], 'unknown option --lvl'],
    ['grant', runGrant, ['--email'], '--email needs a value'],
    ['grant', runGrant, ['extra'], 'unexpected argument "extra"'],
    ['publish', runPublish, ['pack.json', '--url'], '--url needs a value'],
    ['publish', runPublish, ['pack.json', '--colour', 'red'], 'unknown option --colour'],
    ['publish', runPublish, ['a.json', 'b.json'], 'unexpected argument "b.json"'],
  ] as const)('%s %j: the option parser\'s "%s", exit 2', async (command, run, argv, message) => {
    const wrong = captured();
    expect(await run(argv, wrong.io, noNetwork)).toBe(2);
    expect(wrong.out.stderr.split('\n')[0]).toBe(`content ${command}: ${message}`);
  });
});
