/**
 * The drill part of the Progress screen: drill sessions this week and a score trend per category, drawn as a small
 * line chart (hidden from screen readers) with the same scores in a table as its text alternative.
 */
import type { DrillProgress } from '../../../shared/ipc/contract';
import { formatDateTime } from '../shell/format';
import './drills.css';

const WIDTH = 240;
const HEIGHT = 60;

/** The chart's points: x spread evenly over the width, y from score 0 (bottom) to 100 (top). */
export function trendPoints(scores: number[]): Array<{ x: number; y: number }> {
  const step = scores.length > 1 ? WIDTH / (scores.length - 1) : 0;
  return scores.map((score, i) => ({ x: Math.round(i * step * 10) / 10, y: Math.round((HEIGHT - (score / 100) * HEIGHT) * 10) / 10 }));
}

export function DrillProgressSection({ progress, timeZone }: { progress: DrillProgress; timeZone: string }) {
  return (
    <section aria-labelledby="drill-progress-heading">
      <h2 id="drill-progress-heading">Drills</h2>
      <dl className="facts">
        <div>
          <dt>Drill sessions this week</dt>
          <dd>{progress.sessionsThisWeek}</dd>
        </div>
      </dl>
      {progress.trend.length === 0 ? (
        <p>No completed drills yet.</p>
      ) : (
        progress.trend.map((trend, index) => {
          const points = trendPoints(trend.points.map((p) => p.score));
          const headingId = `drill-trend-${index}`;
          return (
            <div key={trend.category} className="score-trend">
              <h3 id={headingId}>Score trend: {trend.category}</h3>
              <svg viewBox={`-4 -4 ${WIDTH + 8} ${HEIGHT + 8}`} width={WIDTH + 8} height={HEIGHT + 8} aria-hidden="true" focusable="false">
                <line className="axis" x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
                <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} />
                {points.map((p, i) => (
                  <circle key={i} cx={p.x} cy={p.y} r={3} />
                ))}
              </svg>
              <div className="table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
                <table>
                  <caption className="visually-hidden">Overall scores in {trend.category}, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Completed</th>
                      <th scope="col">Score</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trend.points.map((p) => (
                      <tr key={p.sessionId}>
                        <td>{formatDateTime(p.completedUtcMs, timeZone)}</td>
                        <td>{Math.round(p.score)} of 100</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          );
        })
      )}
    </section>
  );
}
