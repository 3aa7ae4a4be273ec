/**
 * The Drills screen: the active drill pack's categories and their questions, each with its last score and a mark when
 * an answer to it is unfinished (opening it offers to continue); or why drills are locked.
 */
import { useEffect, useRef } from 'react';
import { plural } from '../shell/format';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { useSync } from '../sync/syncStore';
import { useFormatTime } from '../sync/useFormatTime';
import { evaluatorText, formatDuration, lastScoreText, planCheckText } from './drillText';
import { useDrills } from './drillsStore';
import './drills.css';

export function DrillsScreen() {
  const catalog = useDrills((s) => s.catalog);
  const loading = useDrills((s) => s.loading);
  const loadCatalog = useDrills((s) => s.loadCatalog);
  // The sync status is kept live, so the evaluator's words follow the connection while this screen is open.
  const syncState = useSync((s) => s.status?.state ?? null);
  const offline = syncState === 'offline';
  const formatTime = useFormatTime();

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);
  // Back online (offline, then a state other than syncing: the run reached the server or sync stopped), the catalogue is
  // read again, so the plan is checked with the server and a note that it could not be goes with the offline words.
  const wasOffline = useRef(false);
  useEffect(() => {
    if (offline) wasOffline.current = true;
    else if (wasOffline.current && syncState !== null && syncState !== 'syncing') {
      wasOffline.current = false;
      void loadCatalog();
    }
  }, [offline, syncState, loadCatalog]);
  useEffect(() => {
    if (catalog) useShell.getState().markScreenReady();
  }, [catalog]);

  const planCheck = catalog ? planCheckText(catalog.access, formatTime) : null;
  // Text in the reading order, next to what the level decides (the lock, or the evaluator).
  const planCheckNote = planCheck ? <p>{planCheck}</p> : null;

  return (
    <>
      <ScreenHeading title="Drills">Drills</ScreenHeading>
      {catalog === null ? (
        <p>{loading ? 'Loading the drills…' : 'The drills could not be loaded.'}</p>
      ) : catalog.access.level === 'LOCKED' ? (
        <section aria-labelledby="locked-heading" className="drills-locked">
          <h2 id="locked-heading">Drills are locked</h2>
          <p>{catalog.access.lockedMessage}</p>
          {planCheckNote}
        </section>
      ) : catalog.pack === null ? (
        <>
          <p>No drill pack is active. Import a drill pack, or ask an instructor to activate one.</p>
          {planCheckNote}
        </>
      ) : (
        <>
          <p className="hint">
            Answer interview questions aloud or in writing, then see how your answer did on seven observable points, each with the words it is based on.{' '}
            {evaluatorText(catalog.access.evaluator, offline)}.
          </p>
          {planCheckNote}
          <h2 className="drill-pack-title">{catalog.pack.title}</h2>
          {catalog.pack.description ? <p>{catalog.pack.description}</p> : null}
          {catalog.pack.categories.map((category, index) => (
            <section key={category.name} aria-labelledby={`drill-category-${index}`}>
              <h3 id={`drill-category-${index}`}>
                {category.name} <span className="hint">({plural(category.questions.length, 'question')})</span>
              </h3>
              <ul className="drill-questions">
                {category.questions.map((question) => (
                  <li key={question.id}>
                    <Link to={{ name: 'drill', questionId: question.id }}>
                      {question.prompt}
                      {/* Words in the link's name, so a screen reader's list of links says it too. */}
                      {question.unfinishedAnswer ? (
                        <>
                          {' '}
                          <span className="drill-unfinished-mark">Unfinished answer</span>
                        </>
                      ) : null}
                    </Link>
                    <span className="hint">
                      {' '}
                      About {formatDuration(question.expectedDurationS)}. {lastScoreText(question.lastScore)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </>
  );
}
