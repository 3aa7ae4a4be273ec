/**
 * Reviews per day over the last year, for the Progress heatmap: every answered question (attempt) counts as one
 * review, on the learner's day as the caller counts days (`dayOf`: the same days the streak counts).
 */
import type { ReviewActivity } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';

/** Days shown: a full year of weeks, so the grid has 53 columns like Anki's and GitHub's. */
export const ACTIVITY_DAYS = 371;
/** Every time zone's UTC offset is a whole number of quarter hours, so a quarter-hour bucket never straddles a local midnight. */
const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export function createReviewActivity(sqlite: Sqlite) {
  // Grouped by quarter hour in SQL (at most ~35k rows a year), then into local days here: SQLite knows no time zones.
  const buckets = sqlite.prepare(
    `SELECT ts_utc_ms / ${BUCKET_MS} AS bucket, COUNT(*) AS reviews
     FROM attempts WHERE user_id = ? AND ts_utc_ms >= ? AND ts_utc_ms < ?
     GROUP BY bucket`,
  );

  /** `dayOf(utcMs)` is the learner's `YYYY-MM-DD` day of an instant; it must change only on quarter-hour boundaries. */
  return (userId: string | null, nowMs: number, dayOf: (utcMs: number) => string): ReviewActivity => {
    const toDay = dayOf(nowMs);
    const fromDay = new Date(Date.parse(`${toDay}T00:00:00Z`) - (ACTIVITY_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    const perDay = new Map<string, number>();
    // A day of margin on both sides covers any zone's offset; days outside [fromDay, toDay] are dropped below.
    const rows = buckets.all(userId, Date.parse(`${fromDay}T00:00:00Z`) - DAY_MS, nowMs + DAY_MS) as Array<{ bucket: number; reviews: number }>;
    for (const { bucket, reviews } of rows) {
      const day = dayOf(bucket * BUCKET_MS);
      if (day >= fromDay && day <= toDay) perDay.set(day, (perDay.get(day) ?? 0) + reviews);
    }
    const days = [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, reviews]) => ({ day, reviews }));
    return { fromDay, toDay, days };
  };
}
