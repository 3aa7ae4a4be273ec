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
