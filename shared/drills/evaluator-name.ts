/** Who evaluated a drill answer, as recorded and in words; free of zod, so the renderer can use it. */
const localModelPrefix = 'local-rules-';
/** What an evaluation by the local rules of `version` records as its model. */
export const localModelUsed = (version: string): string => `${localModelPrefix}${version}`;

/** Who evaluated, in words: the local rules (by their version) or the provider's model, as recorded in `modelUsed`. */
export function evaluatorName(modelUsed: string): string {
  return modelUsed.startsWith(localModelPrefix)
    ? `the local rules on this device (version ${modelUsed.slice(localModelPrefix.length)})`
    : `the model ${modelUsed}`;
}
