/**
 * `npm run content -- grant --email E --level LOCKED|BASIC|PRO --url URL --service-key KEY`: the admin command that
 * sets an account's drill entitlement (there is no payment system). It calls admin_set_entitlement, which only the
 * service role may run. Exit 0 = granted, 1 = the server refused (no such account, bad key), 2 = usage error.
 */
import { toAppError } from '../../../shared/errors';
import { entitlementLevels, type EntitlementLevel } from '../drills/entitlement';
import { requestJson, type FetchFn } from '../sync/http';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, parseOptions, projectUrlOption, UsageError, type CliOutput } from './cli-io';

export const grantUsage = `Usage: npm run content -- grant --email EMAIL --level LOCKED|BASIC|PRO --url URL --service-key KEY [--json]

Sets the drill entitlement of the account with EMAIL on the Supabase project at URL. New accounts start
LOCKED (no drills); BASIC gets drills with the local evaluator; PRO also the AI evaluator. Needs the
project's service role key (or SUPABASE_SERVICE_ROLE_KEY set). Devices see the new level within an hour,
or at once after signing in again.`;

const REQUEST_TIMEOUT_MS = 30_000;

interface GrantArgs {
  email: string;
  level: EntitlementLevel;
  url: string;
  serviceKey: string;
  json: boolean;
}

function parseGrantArgs(argv: readonly string[]): GrantArgs | 'help' {
  const parsed = parseOptions(argv, { values: ['email', 'level', 'url', 'service-key'], flags: ['json'] });
  if (parsed === 'help') return 'help';
  const { values, flags, positional } = parsed;
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const { email, level } = values;
  const serviceKey = values['service-key'] ?? process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (!email) throw new UsageError('grant needs --email EMAIL (the account to change)');
  if (!level || !(entitlementLevels as readonly string[]).includes(level)) {
    throw new UsageError(`--level must be one of ${entitlementLevels.join(', ')}${level ? `, not "${level}"` : ''}`);
  }
  const url = projectUrlOption(values.url, 'grant');
  if (!serviceKey) throw new UsageError('grant needs --service-key KEY (the service role key)');
  return { email, level: level as EntitlementLevel, url, serviceKey, json: flags.json };
}

/** Runs `grant` with the arguments after the word "grant"; returns the exit code. */
export async function runGrant(argv: readonly string[], io: CliOutput, fetchFn: FetchFn = globalThis.fetch): Promise<number> {
  const parsed = parseCommandArgs('grant', grantUsage, argv, parseGrantArgs, io);
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args;
  try {
    const outcome = await requestJson<{ id: string; email: string; entitlement_level: EntitlementLevel }>(fetchFn, {
      method: 'POST',
      url: `${args.url}/rest/v1/rpc/admin_set_entitlement`,
      headers: { apikey: args.serviceKey, Authorization: `Bearer ${args.serviceKey}` },
      body: JSON.stringify({ account_email: args.email, level: args.level }),
      timeoutMs: REQUEST_TIMEOUT_MS,
      nowMs: Date.now(),
    });
    if (outcome.kind !== 'ok') {
      const hint = outcome.kind === 'unauthorized' || (outcome.kind === 'refused' && outcome.status === 403) ? ' (is KEY the service role key?)' : '';
      throw new Error(`the server refused: ${outcome.message}${hint}`);
    }
    const granted = outcome.body;
    if (args.json) io.stdout(`${JSON.stringify({ ok: true, ...granted })}\n`);
    else io.stdout(`${granted.email} (${granted.id}) is now ${granted.entitlement_level} on ${args.url}.\n`);
    return EXIT_OK;
  } catch (err) {
    const error = toAppError(err);
    if (args.json) io.stdout(`${JSON.stringify({ ok: false, errors: [{ path: '', code: error.code, message: error.message }] })}\n`);
    io.stderr(`content grant: ${error.message}\n`);
    return EXIT_FAILED;
  }
}
