/** Formatting for display: UTC ms in the learner's time zone, percentages, counts. */

/** A UTC-ms instant as local date and time in `timeZone`; an unknown zone falls back to the system's. */
export function formatDateTime(utcMs: number, timeZone: string, locale?: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(utcMs);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(utcMs);
  }
}

/** 0..1 → "40%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

/** 1 → "1 question", 3 → "3 questions", 100000 → "100,000 questions" (in the learner's locale). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** A `YYYY-MM-DD` calendar day as words in the learner's locale, e.g. "Tuesday, 3 March 2026". */
export function formatDay(day: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${day}T00:00:00Z`),
  );
}
