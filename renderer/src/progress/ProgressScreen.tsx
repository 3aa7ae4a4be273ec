/**
 * The Progress screen: XP, level, streak, practice, test and review sessions this week, a year of daily reviews, drills (sessions this week and a
 * score trend per category), progress per skill (each row links to its skill) and the history of practice and drill
 * sessions in local time.
 */
import { useEffect } from 'react';
import type { DrillProgress, ProgressOverview } from '../../../shared/ipc/contract';
import { DrillProgressSection } from '../drills/DrillProgress';
import { useDrills } from '../drills/drillsStore';
import { useSettings } from '../settings/settingsStore';
import { formatDateTime, formatPercent, plural } from '../shell/format';
import { Link } from '../shell/Link';
import { ProgressBar } from '../shell/ProgressBar';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { RecentConversations } from '../tutor/RecentConversations';
import { sessionModeWords } from './history';
import { useProgress } from './progressStore';
import { ReviewHeatmap } from './ReviewHeatmap';

const HISTORY_LENGTH = 20;

type HistoryEntry =
  | { kind: 'practice'; startedUtcMs: number; item: ProgressOverview['history'][number] }
  | { kind: 'drill'; startedUtcMs: number; item: DrillProgress['history'][number] };

function drillStatusWords(status: DrillProgress['history'][number]['status']): string {
  return status === 'FAILED' ? 'evaluation failed' : status === 'STARTED' ? 'not submitted' : 'being evaluated';
}

export function ProgressScreen() {
  const overview = useProgress((s) => s.overview);
  const failed = useProgress((s) => s.failed);
  const load = useProgress((s) => s.load);
  const drillProgress = useDrills((s) => s.progress);
  const loadDrillProgress = useDrills((s) => s.loadProgress);
  const timeZone = useSettings((s) => s.settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  useEffect(() => {
    void load();
    void loadDrillProgress();
  }, [load, loadDrillProgress]);
  useEffect(() => {
    if (overview) useShell.getState().markScreenReady();
  }, [overview]);

  // Practice and drill sessions in one history, newest first.
  const history: HistoryEntry[] = [
    ...(overview?.history ?? []).map((item) => ({ kind: 'practice' as const, startedUtcMs: item.startedUtcMs, item })),
    ...(drillProgress?.history ?? []).map((item) => ({ kind: 'drill' as const, startedUtcMs: item.startedUtcMs, item })),
  ]
    .sort((a, b) => b.startedUtcMs - a.startedUtcMs)
    .slice(0, HISTORY_LENGTH);

  return (
    <>
      <ScreenHeading title="Progress">Progress</ScreenHeading>
      {overview === null ? (
        // Not "could not be loaded" before the first load has even started (the effect runs after the first render).
        <p>{failed ? 'Your progress could not be loaded.' : 'Loading your progress…'}</p>
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
                {/* Named apart from "Drill sessions this week" below: it counts every mode the history lists but drills. */}
                <dt>Practice, test and review sessions this week</dt>
                <dd>{overview.sessionsThisWeek}</dd>
              </div>
            </dl>
          </section>

          <ReviewHeatmap activity={overview.activity} />

          {drillProgress ? <DrillProgressSection progress={drillProgress} timeZone={timeZone} /> : null}

          <section aria-labelledby="skills-heading">
            <h2 id="skills-heading">Skills</h2>
            {overview.skills.length === 0 ? (
              <p>No skills practised yet.</p>
            ) : (
              // Named by the table's caption: named by the heading, it repeated the "Skills" region it sits in.
              <div className="table-scroll" role="region" aria-labelledby="skills-table-caption" tabIndex={0}>
                <table>
                  <caption id="skills-table-caption" className="visually-hidden">
                    Progress per skill
                  </caption>
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
            {history.length === 0 ? (
              <p>No sessions yet.</p>
            ) : (
              <ul className="history">
                {history.map((h) =>
                  h.kind === 'practice' ? (
                    <li key={h.item.sessionId}>
                      <strong>{h.item.skillTitle}</strong>
                      {sessionModeWords(h.item.mode)},{' '}
                      {h.item.score === null ? 'not finished' : `score ${formatPercent(h.item.score)}`}, started{' '}
                      <time dateTime={new Date(h.startedUtcMs).toISOString()}>{formatDateTime(h.startedUtcMs, timeZone)}</time>
                    </li>
                  ) : (
                    <li key={h.item.sessionId}>
                      <strong>Drill</strong>:{' '}
                      {h.item.status === 'COMPLETED' || h.item.status === 'FAILED' ? (
                        <Link to={{ name: 'drill-result', sessionId: h.item.sessionId }}>{h.item.questionPrompt}</Link>
                      ) : (
                        h.item.questionPrompt
                      )}
                      , {h.item.score === null ? drillStatusWords(h.item.status) : `score ${Math.round(h.item.score)} of 100`}, started{' '}
                      <time dateTime={new Date(h.startedUtcMs).toISOString()}>{formatDateTime(h.startedUtcMs, timeZone)}</time>
                    </li>
                  ),
                )}
              </ul>
            )}
          </section>

          <RecentConversations />
        </>
      )}
    </>
  );
}
