/**
 * Runs one Edge Function for the local stack's gateway (Deno; outside the app's tsc, checked by `deno check`): loads
 * the function's entry, which calls Deno.serve, and exits when its stdin closes, that is when the process that
 * started it is gone, so a stack host that crashed or was killed leaves no function behind.
 */
const entry = Deno.args[0];
if (!entry) {
  console.error('usage: deno run <permissions> function-runner.ts <file URL of the function entry>');
  Deno.exit(2);
}

async function exitWhenParentGoes(): Promise<void> {
  const buffer = new Uint8Array(64);
  while ((await Deno.stdin.read(buffer)) !== null) {
    // The gateway never writes; anything read is ignored.
  }
  Deno.exit(0);
}

void exitWhenParentGoes();
await import(entry);
