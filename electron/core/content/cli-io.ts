/** Exit codes and output sink shared by the content CLI's commands. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A mistake in how the command was called: reported in one line with exit code 2. */
export class UsageError extends Error {}

export type ParsedCommand<A> = { ok: true; args: A } | { ok: false; exitCode: number };

/** Parses a command's arguments; --help prints its usage and a usage mistake one line, each with its exit code. */
export function parseCommandArgs<A>(
  command: string,
  usageText: string,
  argv: readonly string[],
  parse: (argv: readonly string[]) => A | 'help',
  io: CliOutput,
): ParsedCommand<A> {
  try {
    const args = parse(argv);
    if (args !== 'help') return { ok: true, args };
    io.stdout(`${usageText}\n`);
    return { ok: false, exitCode: EXIT_OK };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`content ${command}: ${err.message}\nRun "npm run content -- ${command} --help" for usage.\n`);
    return { ok: false, exitCode: EXIT_USAGE };
  }
}

export interface CommandOptions<V extends string, F extends string> {
  /** Options given as `--name value` or `--name=value`; absent ones are undefined. */
  values: Partial<Record<V, string>>;
  /** Bare `--name` switches, true when given. */
  flags: Record<F, boolean>;
  /** Everything that is not an option, in order. */
  positional: string[];
}

/**
 * Splits a command's arguments into the options it knows (`--name value`, `--name=value`, bare flags) and
 * positional arguments; 'help' as soon as -h or --help appears. Anything else that starts with "-" is named
 * as an unknown option, and an option without its value says so.
 */
export function parseOptions<V extends string, F extends string>(
  argv: readonly string[],
  spec: { values: readonly V[]; flags: readonly F[] },
): CommandOptions<V, F> | 'help' {
  const values: Partial<Record<V, string>> = {};
  const flags = Object.fromEntries(spec.flags.map((flag) => [flag, false])) as Record<F, boolean>;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq === -1 ? arg : arg.slice(0, eq);
    const name = option.replace(/^--/, '');
    if (option.startsWith('--') && (spec.flags as readonly string[]).includes(name)) {
      if (eq !== -1) throw new UsageError(`${option} takes no value`);
      flags[name as F] = true;
    } else if (option.startsWith('--') && (spec.values as readonly string[]).includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`${option} needs a value`);
      values[name as V] = value;
    } else {
      throw new UsageError(`unknown option ${option}`);
    }
  }
  return { values, flags, positional };
}

/** The Supabase project URL of a server command, without trailing slashes; http or https only. */
export function projectUrlOption(url: string | undefined, command: string): string {
  if (!url) throw new UsageError(`${command} needs --url URL (the Supabase project URL)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError('--url must be http or https');
  return url.replace(/\/+$/, '');
}
