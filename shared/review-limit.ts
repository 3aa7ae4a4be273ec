/** The daily review limit in words, shared by core (refusing a review session) and Today (saying why there is none). */

/** "You have done today's 1 review (…)" or "… today's 20 reviews (…)": the limit in Settings is reached. */
export function dailyLimitReachedText(limit: number): string {
  return `You have done today's ${limit} ${limit === 1 ? 'review' : 'reviews'} (the daily limit in Settings). The rest come back tomorrow.`;
}
