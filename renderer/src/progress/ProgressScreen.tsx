/**
 * The Progress screen: XP, level, streak, sessions this week, a year of daily reviews, progress per skill (each row
 * links to its skill) and the practice history in local time.
 */
import { useEffect } from 'react';
import { useSettings } from '../settings/settingsStore';
import { formatDateTime, formatPercent, plural } from '../shell/format';
import { Link } from '../shell/Link';
import { ProgressBar } from '../shell/ProgressBar';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { RecentConversations } from '../tutor/RecentConversations';
import { useProgress } from './progressStore';
import { ReviewHeatmap } from './ReviewHeatmap';

export function ProgressScreen() {
  const overview = useProgress((s) => s.overview);
  const loading = useProgress((s) => s.loading);
  const load = useProgress((s) => s.load);
  const timeZone = useSettings((s) => s.settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (overview) useShell.getState().markScreenReady();
  }, [overview]);

  return (
    <>
      <ScreenHeading title="Progress">Progress</ScreenHeading>
      {overview === null ? (
        <p>{loading ? 'Loading your progress…' : 'Your progress could not be loaded.'}</p>
      ) : (
        <>
          <section aria-labelledby="totals-heading">
            <h2 id="totals-heading">Totals</h2>
            <dl className="facts">
              <div>
                <dt>XP</dt>
                <dd>{overview.profile.xp}</dd>
              </div>
              <div>
                <dt>Level</dt>
                <dd>{overview.profile.level}</dd>
              </div>
              <div>
                <dt>Streak</dt>
                <dd>{plural(overview.profile.streak, 'day')}</dd>
              </div>
              <div>
                <dt>Sessions this week</dt>
                <dd>{overview.sessionsThisWeek}</dd>
              </div>
            </dl>
          </section>

          <ReviewHeatmap activity={overview.activity} />

          <section aria-labelledby="skills-heading">
            <h2 id="skills-heading">Skills</h2>
            {overview.skills.length === 0 ? (
              <p>No skills practised yet.</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby="skills-heading" tabIndex={0}>
                <table>
                  <caption className="visually-hidden">Progress per skill</caption>
                  <thead>
                    <tr>
                      <th scope="col">Skill</th>
                      <th scope="col">Domain</th>
                      <th scope="col">Mastered</th>
                      <th scope="col">Correct answers</th>
                      <th scope="col">Last practised</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.skills.map((s) => (
                      <tr key={s.skillId}>
                        <th scope="row">{s.skillAvailable ? <Link to={{ name: 'skill', skillId: s.skillId }}>{s.skillTitle}</Link> : s.skillTitle}</th>
                        <td>{s.domainTitle}</td>
                        <td>
                          <span className="with-bar">
                            {formatPercent(s.progress)} <ProgressBar fraction={s.progress} />
                          </span>
                        </td>
                        <td>
                          {s.correctCount} of {s.attemptCount}
                        </td>
                        <td>{formatDateTime(s.lastAttemptUtcMs, timeZone)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            {overview.history.length === 0 ? (
              <p>No sessions yet.</p>
            ) : (
              <ul className="history">
                {overview.history.map((h) => (
                  <li key={h.sessionId}>
                    <strong>{h.skillTitle}</strong>, {h.mode === 'test' ? 'test' : 'practice'},{' '}
                    {h.score === null ? 'not finished' : `score ${formatPercent(h.score)}`}, started{' '}
                    <time dateTime={new Date(h.startedUtcMs).toISOString()}>{formatDateTime(h.startedUtcMs, timeZone)}</time>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <RecentConversations />
        </>
      )}
    </>
  );
}
