/** A signed-in learner's tokens that never expire: the same access token, also after a refresh. */
import type { TokenSource } from '../../electron/core/sync/push';

export function fixedTokens(token: string): TokenSource {
  return { accessToken: async () => token, refreshAfterRejection: async () => token };
}
