/**
 * The server's AI drill evaluator for PRO accounts: the project's `evaluate` Edge Function
 * (supabase/functions/evaluate), called as the signed-in learner with the request the AI evaluator (evaluate-ai.ts)
 * sends any OpenAI-compatible provider. The function checks the account is PRO, relays to the server's model and names
 * it; the prompt and the validation of the reply stay in evaluate-ai.ts.
 */
import { fetchAsLearner, type LearnerServer } from '../sync/learner-request';
import type { ProviderEndpoint } from '../tutor/provider-client';

/** The function's path on a Supabase project, as Supabase mounts functions. */
export const EVALUATE_FUNCTION_PATH = '/functions/v1/evaluate';

/** The function as a provider endpoint: the learner's token (refreshed once on a 401) where an API key would be. */
export function serverEvaluatorEndpoint(server: Pick<LearnerServer, 'url' | 'anonKey' | 'fetch' | 'tokens'>): ProviderEndpoint {
  return {
    baseUrl: `${server.url.replace(/\/+$/, '')}${EVALUATE_FUNCTION_PATH}`,
    // The function chooses the model and names it in its reply.
    model: '',
    apiKey: null,
    service: 'edge-function',
    functionName: 'evaluate',
    fetch: fetchAsLearner(server),
  };
}
