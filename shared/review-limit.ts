/**
 * The daily review limit: its bounds, shared by the settings contract and the Settings form (this module has no zod, so
 * the renderer takes them from here), and in words, shared by core (refusing a review session) and Today (saying why
 * there is none).
 */

/** A study day's review limit is a whole number in this range. */
export const dailyReviewLimitRange = { min: 1, max: 1000 } as const;

/** "You have done today's 1 review (…)" or "… today's 20 reviews (…)": the limit in Settings is reached. */
export function dailyLimitReachedText(limit: number): string {
  return `You have done today's ${limit} ${limit === 1 ? 'review' : 'reviews'} (the daily limit in Settings). The rest come back tomorrow.`;
}
