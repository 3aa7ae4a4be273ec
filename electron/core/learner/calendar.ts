/** Calendar and study days in the learner's time zone, for daily streaks and reviews due today. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of `utcMs` in `timeZone` (falls back to UTC for an unknown zone). */
export function localDay(utcMs: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter.format(utcMs);
}

/** Whole days from day `a` to day `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

// Building a formatter to test a zone costs about half a millisecond: each zone is tested once.
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
  let valid = zoneValidity.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    zoneValidity.set(timeZone, valid);
  }
  return valid;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of `utcMs` in `timeZone` (UTC for an unknown zone). */
function wallClock(utcMs: number, timeZone: string): WallClock {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  let formatter = wallFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(utcMs).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The learner's study day of `utcMs`, `YYYY-MM-DD`: their calendar day, except that a day starts at `rolloverHour`
 * o'clock, not midnight (a review at 1 AM with the default 4 AM rollover still belongs to the evening before).
 * Reviews due today and streak days both count in study days.
 */
export function studyDay(utcMs: number, timeZone: string, rolloverHour: number): string {
  const day = localDay(utcMs, timeZone);
  return wallClock(utcMs, timeZone).hour < rolloverHour ? addDays(day, -1) : day;
}

/** The UTC instant at which study day `day` starts: `rolloverHour`:00 on that date in `timeZone`. */
export function studyDayStart(day: string, timeZone: string, rolloverHour: number): number {
  const wanted = Date.parse(`${day}T00:00:00Z`) + rolloverHour * 3_600_000;
  // Guess the zone's offset at that wall time, then correct once with the offset at the guessed instant (DST edges).
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, timeZone);
    const seen = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    guess += wanted - seen;
  }
  return guess;
}

/** The study day holding `utcMs`, as [start, end) UTC instants. */
export function studyDayBounds(utcMs: number, timeZone: string, rolloverHour: number): { day: string; startMs: number; endMs: number } {
  const day = studyDay(utcMs, timeZone, rolloverHour);
  return { day, startMs: studyDayStart(day, timeZone, rolloverHour), endMs: studyDayStart(addDays(day, 1), timeZone, rolloverHour) };
}
