/** Pure logic of the review heatmap: days laid out in week columns (Monday first), shade levels and arrow-key moves. */
import type { ReviewActivity } from '../../../shared/ipc/contract';

const DAY_MS = 86_400_000;

export type HeatmapDay = { day: string; reviews: number; level: 0 | 1 | 2 | 3 | 4; week: number; weekday: number };

export type Heatmap = {
  /** Every day from `fromDay` to `toDay`, in order; index = position in the grid's reading order by date. */
  days: HeatmapDay[];
  weeks: number;
  /** Offset of `fromDay` in its week (0 = Monday): grid cells before it are empty. */
  lead: number;
  maxReviews: number;
};

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayString(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** Shade 0 for no reviews, then four steps up to the busiest day, so one heavy day does not wash out the rest. */
export function shadeLevel(reviews: number, maxReviews: number): HeatmapDay['level'] {
  if (reviews <= 0 || maxReviews <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((reviews / maxReviews) * 4))) as HeatmapDay['level'];
}

export function buildHeatmap(activity: ReviewActivity): Heatmap {
  const first = dayNumber(activity.fromDay);
  const last = dayNumber(activity.toDay);
  const reviewsByDay = new Map(activity.days.map((d) => [d.day, d.reviews]));
  const maxReviews = activity.days.reduce((max, d) => Math.max(max, d.reviews), 0);
  // 1 January 1970 was a Thursday: weekday 3 when Monday is 0.
  const lead = (((first + 3) % 7) + 7) % 7;
  const days: HeatmapDay[] = [];
  for (let n = first; n <= last; n++) {
    const day = dayString(n);
    const reviews = reviewsByDay.get(day) ?? 0;
    const slot = lead + (n - first);
    days.push({ day, reviews, level: shadeLevel(reviews, maxReviews), week: Math.floor(slot / 7), weekday: slot % 7 });
  }
  return { days, weeks: Math.ceil((lead + days.length) / 7), lead, maxReviews };
}

/** The day index a key moves to in the grid (rows are weekdays, columns weeks), clamped to the days shown; null for other keys. */
export function heatmapKey(heatmap: Heatmap, index: number, key: string, ctrlKey = false): number | null {
  const last = heatmap.days.length - 1;
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  const day = heatmap.days[index];
  if (!day) return null;
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 7);
    case 'ArrowLeft':
      return clamp(index - 7);
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index - 1);
    case 'Home':
      // Home: the first day of this row (weekday); Ctrl+Home: the first day shown. End likewise.
      return ctrlKey ? 0 : firstInRow(heatmap, day.weekday);
    case 'End':
      return ctrlKey ? last : lastInRow(heatmap, day.weekday);
    default:
      return null;
  }
}

function firstInRow(heatmap: Heatmap, weekday: number): number {
  return heatmap.days.findIndex((d) => d.weekday === weekday);
}

function lastInRow(heatmap: Heatmap, weekday: number): number {
  for (let i = heatmap.days.length - 1; i >= 0; i--) if (heatmap.days[i]!.weekday === weekday) return i;
  return heatmap.days.length - 1;
}
