/**
 * A drill's result: the overall score, WPM and duration (marked estimated for a typed answer), the 7 rubric
 * categories with PASS/FLAG as words and the evidence quoted from the answer, what to change, the practice rule, and
 * the change since the previous attempt. A FAILED session says why and offers Try again. All text is shown as text.
 */
import { useEffect } from 'react';
import { evaluatorName } from '../../../shared/drills/evaluator-name';
import type { DrillResult } from '../../../shared/ipc/contract';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { formatDuration, previousAttemptText, responseText } from './drillText';
import { statusText, useDrills } from './drillsStore';
import { SubmissionStatus } from './SubmissionStatus';
import './drills.css';

export function DrillResultScreen({ sessionId }: { sessionId: string }) {
  const result = useDrills((s) => s.results[sessionId] ?? null);
  const loadResult = useDrills((s) => s.loadResult);
  const unreadable = useDrills((s) => s.unreadableResult === sessionId);

  useEffect(() => {
    void loadResult(sessionId);
  }, [loadResult, sessionId]);
  useEffect(() => {
    if (result) useShell.getState().markScreenReady();
  }, [result]);

  return (
    <>
      <p className="breadcrumb">
        <Link to={{ name: 'drills' }}>Drills</Link>
      </p>
      <ScreenHeading title="Drill result">Drill result</ScreenHeading>
      {result === null ? <p>{unreadable ? 'This result could not be opened.' : 'Loading the result…'}</p> : <ResultBody result={result} />}
    </>
  );
}

function ResultBody({ result }: { result: DrillResult }) {
  const submitting = useDrills((s) => s.submitting);
  const retry = useDrills((s) => s.retry);
  const { evaluation, response, question } = result;
  return (
    <>
      <section aria-labelledby="result-question-heading">
        <h2 id="result-question-heading">Question</h2>
        <p className="drill-prompt">{question.prompt}</p>
      </section>
      {evaluation === null ? (
        <section aria-labelledby="result-failed-heading">
          <h2 id="result-failed-heading">{result.session.status === 'FAILED' ? 'The evaluation failed' : statusText(result.session.status)}</h2>
          {result.failure ? <p>{result.failure}</p> : null}
          {result.session.status === 'FAILED' ? (
            <div className="actions">
              {/* aria-disabled, not disabled, while it runs: the focus stays on it (the store ignores a second press). */}
              <button type="button" className="primary" aria-disabled={submitting !== null || undefined} onClick={() => void retry(result.session.id)}>
                Try again
              </button>
            </div>
          ) : null}
          <SubmissionStatus />
        </section>
      ) : (
        <>
          <section aria-labelledby="result-summary-heading">
            <h2 id="result-summary-heading">Summary</h2>
            <dl className="facts">
              <div>
                <dt>Overall score</dt>
                <dd>{evaluation.overallScore} of 100</dd>
              </div>
              <div>
                <dt>Pace</dt>
                <dd>{Math.round(evaluation.wpm)} words a minute{evaluation.durationEstimated ? ' (estimated)' : ''}</dd>
              </div>
              <div>
                <dt>Duration</dt>
                <dd>
                  {formatDuration(evaluation.durationS)}
                  {evaluation.durationEstimated ? ' (estimated from your words, not measured)' : ''}
                </dd>
              </div>
              <div>
                <dt>Words</dt>
                <dd>{evaluation.words}</dd>
              </div>
            </dl>
            <p className="hint">
              Evaluated by {evaluatorName(evaluation.modelUsed)} in {result.session.processingTimeMs ?? 0} ms.
              {result.usedLocalBecause ? ` ${result.usedLocalBecause}` : ''}
              {result.xpGained > 0 ? ` You earned ${result.xpGained} XP.` : ''}
            </p>
          </section>

          <section aria-labelledby="result-previous-heading">
            <h2 id="result-previous-heading">Since your previous attempt</h2>
            {result.previous === null ? (
              <p>This is your first completed attempt at this question.</p>
            ) : (
              <>
                <p>{previousAttemptText(result.previous.scoreChange, result.previous.overallScore)}</p>
                {result.previous.changedVerdicts.length === 0 ? (
                  <p>Every category has the same verdict as last time.</p>
                ) : (
                  <ul>
                    {result.previous.changedVerdicts.map((c) => (
                      <li key={c.name}>
                        {c.name}: {c.from} then, {c.to} now.
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </section>

          <section aria-labelledby="result-categories-heading">
            <h2 id="result-categories-heading">Categories</h2>
            <div className="table-scroll" role="region" aria-labelledby="result-categories-heading" tabIndex={0}>
              <table className="drill-categories">
                <caption className="visually-hidden">The seven categories, each PASS or FLAG, with the evidence from your answer</caption>
                <thead>
                  <tr>
                    <th scope="col">Category</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">What was observed</th>
                    <th scope="col">Evidence from your answer</th>
                  </tr>
                </thead>
                <tbody>
                  {evaluation.categories.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>
                        <span className={c.verdict === 'PASS' ? 'verdict verdict-pass' : 'verdict verdict-flag'}>{c.verdict}</span>
                      </td>
                      <td>{c.note}</td>
                      <td>
                        {c.evidence.length === 0 ? (
                          'Nothing to quote.'
                        ) : (
                          <ul className="evidence">
                            {c.evidence.map((quote, i) => (
                              <li key={i}>
                                <q>{quote}</q>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="result-changes-heading">
            <h2 id="result-changes-heading">What to change</h2>
            {evaluation.whatChanged.length === 0 ? (
              <p>Nothing stood out to change.</p>
            ) : (
              <ol>
                {evaluation.whatChanged.map((change, i) => (
                  <li key={i}>{change}</li>
                ))}
              </ol>
            )}
            <h3>Practice rule</h3>
            <p>{evaluation.practiceRule}</p>
          </section>
        </>
      )}

      <section aria-labelledby="result-answer-heading">
        <h2 id="result-answer-heading">Your answer</h2>
        <p className="hint">{responseText(response)}</p>
        <blockquote className="drill-transcript">{response.transcript}</blockquote>
      </section>

      <div className="actions">
        <Link to={{ name: 'drill', questionId: question.id }}>Drill this question again</Link>
        <Link to={{ name: 'drills' }}>Back to the drills</Link>
      </div>
    </>
  );
}
