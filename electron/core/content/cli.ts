/**
 * The content command line for authors and admins (`npm run content -- …`): validate a pack, or
 * validate and import it into a local database. Exit 0 = fine, 1 = the pack or import failed,
 * 2 = usage or file error; never a stack trace.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../../shared/content/findings';
import { PACK_LIMITS, PACK_SCHEMA_MAJOR } from '../../../shared/content/pack';
import { toAppError } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseOptions, UsageError, type CliOutput } from './cli-io';
import { runGrant } from './grant';
import { importModes, importValidatedPack, type ImportMode, type ImportResult } from './import';
import { runPublish } from './publish';
import { MAX_PACK_BYTES, tooLargeFinding, validatePackText, type ValidationReport } from './validate';

export const usage = `Usage: npm run content -- <command> [options]

Commands:
  validate FILE [--json]
      Check a content pack and report every error and warning.
  import FILE --db PATH [--mode append|override] [--json]
      Validate, then import into the local database at PATH in one transaction
      (all or nothing). append (default) adds what is new and keeps existing rows;
      override replaces rows that match by id or by slug.
  publish FILE --url URL (--service-key KEY | --anon-key KEY --email E --password P) [--json]
      Validate, then upsert the pack to a Supabase project (drafts stay unpublished).
      See "npm run content -- publish --help".
  grant --email E --level LOCKED|BASIC|PRO --url URL --service-key KEY [--json]
      Set an account's drill entitlement (new accounts start LOCKED).
      See "npm run content -- grant --help".

Options:
  --json      Print one JSON object: { "ok", "errors": [...], "warnings": [...] }
              (import adds "packId", "counts", "keptUnpublished").
  -h, --help  Show this help.

Exit codes: 0 valid or imported (warnings allowed), 1 the pack has errors or the
import failed, 2 usage or file error (missing file, not JSON, over the size limit).
Files may be at most ${MAX_PACK_BYTES / (1024 * 1024)} MiB.

Limits (each breach is an error at its path, with a suggestion):
  schema_version  "${PACK_SCHEMA_MAJOR}" or any "${PACK_SCHEMA_MAJOR}.x.y"
  names, titles, slugs, categories  at most ${PACK_LIMITS.titleChars.toLocaleString('en-US')} characters
  prompts, descriptions, choices, steps, explanation bodies, criteria
                  at most ${PACK_LIMITS.textChars.toLocaleString('en-US')} characters
  choices, steps, solution, evaluation_criteria, categories
                  at most ${PACK_LIMITS.listItems} items
  nesting of objects and arrays  at most ${PACK_LIMITS.depth} levels`;

interface ParsedArgs {
  command: 'validate' | 'import' | 'help';
  file: string;
  json: boolean;
  db: string | null;
  mode: ImportMode;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const help: ParsedArgs = { command: 'help', file: '', json: false, db: null, mode: 'append' };
  const parsed = parseOptions(argv, { values: ['db', 'mode'], flags: ['json'] });
  if (parsed === 'help') return help;
  const { values, positional } = parsed;
  const db = values.db ?? null;
  const mode = values.mode ?? 'append';
  if (!(importModes as readonly string[]).includes(mode)) throw new UsageError(`--mode must be append or override, not "${mode}"`);
  const [command, file, ...extra] = positional;
  if (command === undefined) return help;
  if (command !== 'validate' && command !== 'import') throw new UsageError(`unknown command "${command}"`);
  if (file === undefined) throw new UsageError(`${command} needs a FILE`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (command === 'import' && db === null) throw new UsageError('import needs --db PATH');
  if (command === 'validate' && db !== null) throw new UsageError('--db is only for import');
  return { command, file, json: parsed.flags.json, db, mode: mode as ImportMode };
}

/** Runs one command; returns the exit code. Output goes through `out` so tests can run it in-process too. */
export function runContentCli(argv: readonly string[], out: CliOutput): number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.stderr(`content: ${err.message}\nRun "npm run content -- --help" for usage.\n`);
    return EXIT_USAGE;
  }
  if (args.command === 'help') {
    out.stdout(`${usage}\n`);
    return EXIT_OK;
  }

  const loaded = loadPackFile(args.file);
  if ('error' in loaded) {
    out.stderr(`content: ${loaded.error}\n`);
    if (args.json && loaded.finding) out.stdout(`${JSON.stringify(jsonReport([loaded.finding], []))}\n`);
    return EXIT_USAGE;
  }

  const report = validatePackText(loaded.bytes);
  const fileError = report.errors.find((f) => fileErrorCodes.has(f.code));
  if (fileError) {
    // Not a pack at all (not JSON, not UTF-8, too large): a file error, stated in one line.
    out.stderr(`content: ${args.file}: ${fileError.message}\n`);
    if (args.json) out.stdout(`${JSON.stringify(jsonReport(report.errors, report.warnings))}\n`);
    return EXIT_USAGE;
  }

  if (args.command === 'validate' || !report.ok) {
    if (args.json) out.stdout(`${JSON.stringify(jsonReport(report.errors, report.warnings))}\n`);
    else out.stdout(readableReport(args.file, report));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  }

  return runImport(args, report, out);
}

const fileErrorCodes = new Set<Finding['code']>(['invalid_json', 'invalid_encoding', 'too_large']);

function loadPackFile(file: string): { bytes: Buffer } | { error: string; finding?: Finding } {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return { error: `${file} is not a file` };
    size = stats.size;
  } catch (err) {
    return { error: `cannot read ${file}: ${describeFsError(err)}` };
  }
  // Refuse an oversized file before reading a byte of it.
  const tooLarge = tooLargeFinding(size);
  if (tooLarge) return { error: `${file}: ${tooLarge.message}`, finding: tooLarge };
  try {
    return { bytes: readFileSync(file) };
  } catch (err) {
    return { error: `cannot read ${file}: ${describeFsError(err)}` };
  }
}

function describeFsError(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message : String(err);
}

function runImport(args: ParsedArgs, report: ValidationReport, out: CliOutput): number {
  let result: ImportResult;
  let opened: ReturnType<typeof openDatabase>;
  try {
    opened = openDatabase(resolve(args.db!));
  } catch (err) {
    const error = toAppError(err);
    out.stderr(`content: cannot open the database ${args.db}: ${error.message}\n`);
    if (args.json) out.stdout(`${JSON.stringify(jsonReport([{ path: '', code: error.code, message: error.message }], report.warnings))}\n`);
    return EXIT_USAGE;
  }
  try {
    result = importValidatedPack(opened.sqlite, report, { mode: args.mode });
  } catch (err) {
    const error = toAppError(err);
    out.stderr(`content: import failed: ${error.message}\n`);
    // A clash names the record it happened at (details.path); other failures concern the whole file.
    const details = error.details as { path?: unknown } | undefined;
    const path = typeof details?.path === 'string' ? details.path : '';
    if (args.json) out.stdout(`${JSON.stringify(jsonReport([{ path, code: error.code, message: error.message }], report.warnings))}\n`);
    return EXIT_FAILED;
  } finally {
    opened.sqlite.close();
  }
  if (args.json) {
    out.stdout(
      `${JSON.stringify({
        ...jsonReport([], result.warnings),
        packId: result.packId,
        pack: result.pack,
        mode: result.mode,
        counts: result.counts,
        keptUnpublished: result.keptUnpublished,
      })}\n`,
    );
  } else out.stdout(readableImport(args, result));
  return EXIT_OK;
}

/** A finding as printed in JSON; import failures use AppError codes (storage_full, conflict, …). */
type PrintedFinding = Omit<Finding, 'code'> & { code: string };

function jsonReport(errors: PrintedFinding[], warnings: PrintedFinding[]) {
  return { ok: errors.length === 0, errors, warnings };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function formatFindings(title: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const lines = findings.map((f) => {
    const where = f.path === '' ? '(file)' : f.path;
    const fix = f.suggestion === undefined ? '' : `\n      suggestion: ${f.suggestion}`;
    return `  ${where}  [${f.code}]\n      ${f.message}${fix}`;
  });
  return `${title} (${findings.length}):\n${lines.join('\n')}\n\n`;
}

function readableReport(file: string, report: ValidationReport): string {
  const head = `${file}: ${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')}\n\n`;
  const body = formatFindings('Errors', report.errors) + formatFindings('Warnings', report.warnings);
  if (!report.ok) return `${head}${body}The pack is not valid: fix the errors above (nothing was imported).\n`;
  const pack = report.pack!;
  const contents = `${plural(pack.domains.length, 'domain')}, ${plural(pack.skills.length, 'skill')}, ${plural(pack.questions.length, 'question')}${pack.drill_pack ? `, ${plural(pack.drill_pack.questions.length, 'drill question')}` : ''}`;
  return `${head}${body}The pack "${pack.pack.name}" ${pack.pack.version} is valid: ${contents}.\n`;
}

function readableImport(args: ParsedArgs, result: ImportResult): string {
  // Each mode's own outcomes: append skips what exists, override updates, replaces or leaves it unchanged.
  const row = (label: string, c: ImportResult['counts']['domains']) =>
    `  ${label.padEnd(16)}${c.inserted} inserted, ${
      result.mode === 'append' ? `${c.skipped} skipped` : `${c.updated} updated, ${c.replaced} replaced, ${c.unchanged} unchanged`
    }\n`;
  const { counts, keptUnpublished } = result;
  return (
    formatFindings('Warnings', result.warnings) +
    `Imported "${result.pack.name}" ${result.pack.version} (${result.mode}) into ${args.db}:\n` +
    row('domains', counts.domains) +
    row('skills', counts.skills) +
    row('questions', counts.questions) +
    row('drill questions', counts.drillQuestions) +
    (keptUnpublished.domains + keptUnpublished.skills > 0
      ? `  kept as drafts by the publish rule (nothing published under them): ${plural(keptUnpublished.domains, 'domain')}, ${plural(keptUnpublished.skills, 'skill')}\n`
      : '') +
    `  pack record ${result.packId}, sha256 ${result.pack.sha256}\n`
  );
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // Real paths on both sides, so a symlinked checkout still runs.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}


/** Every command: publish talks to a server, so the whole CLI answers asynchronously. */
export async function runContentCommand(argv: readonly string[], out: CliOutput): Promise<number> {
  if (argv[0] === 'grant') return runGrant(argv.slice(1), out);
  return argv[0] === 'publish' ? runPublish(argv.slice(1), out) : runContentCli(argv, out);
}

if (isEntryPoint()) {
  try {
    process.exitCode = await runContentCommand(process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  } catch (err) {
    // Last resort: still one clear line, never a stack trace.
    process.stderr.write(`content: unexpected error: ${toAppError(err).message}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
