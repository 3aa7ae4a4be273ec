/**
 * A year of daily reviews as a heatmap (like Anki's and GitHub's): a WAI-ARIA grid, weekdays as rows and weeks as
 * columns, one tab stop with arrow keys inside, each day named in words ("12 reviews on Tuesday, 3 March 2026").
 * The same figures are offered as a table below it.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ReviewActivity } from '../../../shared/ipc/contract';
import { formatDay, plural } from '../shell/format';
import { buildHeatmap, heatmapKey, type HeatmapDay } from './heatmap';

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Only every other weekday is labelled visibly (as GitHub does); every row is still named for screen readers. */
const visibleWeekday = [true, false, true, false, true, false, true];

export function dayLabel(day: HeatmapDay): string {
  return `${day.reviews === 0 ? 'No reviews' : plural(day.reviews, 'review')} on ${formatDay(day.day)}`;
}

function cellId(index: number): string {
  return `heatmap-day-${index}`;
}

export function ReviewHeatmap({ activity }: { activity: ReviewActivity }) {
  const heatmap = useMemo(() => buildHeatmap(activity), [activity]);
  const [active, setActive] = useState(heatmap.days.length - 1);
  const focusPending = useRef(false);
  const scroller = useRef<HTMLDivElement>(null);
  const total = activity.days.reduce((sum, d) => sum + d.reviews, 0);

  useLayoutEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    const el = document.getElementById(cellId(active));
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active]);

  // A window too narrow for the year scrolls it to its end: the newest weeks, where today is, as the learner looks
  // first (the grid's tab stop, today, is there too). At its start it showed last year's, today out of view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [heatmap]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.metaKey) return;
    const next = heatmapKey(heatmap, active, event.key, event.ctrlKey);
    if (next === null) return;
    event.preventDefault();
    focusPending.current = true;
    setActive(next);
  };

  // Grid rows are weekdays: row w holds, week by week, the day at that weekday (or an empty cell outside the year shown).
  const grid: Array<Array<number | null>> = weekdayNames.map(() => Array<number | null>(heatmap.weeks).fill(null));
  heatmap.days.forEach((day, i) => {
    grid[day.weekday]![day.week] = i;
  });
  const monthLabels = Array.from({ length: heatmap.weeks }, (_, week) => {
    const first = heatmap.days.find((d) => d.week === week && d.day.endsWith('-01'));
    return first ? new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' }).format(Date.parse(`${first.day}T00:00:00Z`)) : '';
  });

  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Reviews per day</h2>
      <p>
        {plural(total, 'review')} on {plural(activity.days.length, 'day')} from {formatDay(activity.fromDay)} to {formatDay(activity.toDay)}.
      </p>
      <p id="heatmap-help" className="hint">
        Arrow keys move between days, Home and End to the ends of a row. Darker squares mean more reviews.
      </p>
      <div className="heatmap-scroll" ref={scroller}>
        <div className="heatmap-months" aria-hidden="true">
          <span className="heatmap-weekday" />
          {monthLabels.map((label, week) => (
            <span key={week} className="heatmap-month">
              {label}
            </span>
          ))}
        </div>
        <div role="grid" aria-labelledby="activity-heading" aria-describedby="heatmap-help" aria-readonly="true" className="heatmap" onKeyDown={onKeyDown}>
          {grid.map((row, weekday) => (
            <div role="row" key={weekday} className="heatmap-row">
              <span role="rowheader" className="heatmap-weekday">
                <span aria-hidden="true">{visibleWeekday[weekday] ? weekdayNames[weekday]!.slice(0, 3) : ''}</span>
                <span className="visually-hidden">{weekdayNames[weekday]}</span>
              </span>
              {row.map((index, week) =>
                index === null ? (
                  <span role="gridcell" key={week} className="heatmap-cell is-outside" />
                ) : (
                  <span
                    role="gridcell"
                    key={week}
                    id={cellId(index)}
                    tabIndex={index === active ? 0 : -1}
                    className={`heatmap-cell level-${heatmap.days[index]!.level}`}
                    onClick={() => setActive(index)}
                  >
                    <span className="visually-hidden">{dayLabel(heatmap.days[index]!)}</span>
                  </span>
                ),
              )}
            </div>
          ))}
        </div>
      </div>
      <p className="heatmap-legend" aria-hidden="true">
        Fewer
        {([0, 1, 2, 3, 4] as const).map((level) => (
          <span key={level} className={`heatmap-cell level-${level}`} />
        ))}
        More
      </p>
      <details className="heatmap-table">
        <summary>Reviews per day as a table</summary>
        {activity.days.length === 0 ? (
          <p>No reviews yet in this period.</p>
        ) : (
          <table>
            <caption>Days with reviews, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Reviews</th>
              </tr>
            </thead>
            <tbody>
              {[...activity.days].reverse().map((d) => (
                <tr key={d.day}>
                  <th scope="row">
                    <time dateTime={d.day}>{formatDay(d.day)}</time>
                  </th>
                  <td>{d.reviews}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}
