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
