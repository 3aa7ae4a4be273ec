/**
 * Today, the first screen: a first-run welcome, the unfinished session to continue, the reviews due today with Start,
 * skills to start, and the streak and today's XP.
 */
import { useEffect } from 'react';
import { levelProgressText } from '../../../shared/levels';
import { dailyLimitReachedText } from '../../../shared/review-limit';
import { usePractice } from '../practice/practiceStore';
import { useSettings } from '../settings/settingsStore';
import { plural } from '../shell/format';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { useToday } from './todayStore';

export function TodayScreen() {
  const today = useToday((s) => s.today);
  const loading = useToday((s) => s.loading);
  const load = useToday((s) => s.load);
  const settings = useSettings((s) => s.settings);
  const startReview = usePractice((s) => s.startReview);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (today && settings) useShell.getState().markScreenReady();
  }, [today, settings]);

  return (
    <>
      <ScreenHeading title="Today">Today</ScreenHeading>
      {settings && !settings.welcomeDismissed ? <Welcome /> : null}
      {!today ? (
        // The error region says why a load failed; this says what is missing, instead of "Loading…" for ever.
        <p>{loading ? 'Loading…' : 'What is due today could not be loaded.'}</p>
      ) : (
        <>
          {today.unfinishedSession ? (
            <section aria-labelledby="continue-heading" className="today-card">
              <h2 id="continue-heading">Continue where you left off</h2>
              <p>
                {today.unfinishedSession.mode === 'review'
                  ? 'Review'
                  : today.unfinishedSession.mode === 'test'
                    ? `Test on ${today.unfinishedSession.skillTitle}`
                    : today.unfinishedSession.skillTitle}
                :{' '}
                {today.unfinishedSession.answeredCount} of {plural(today.unfinishedSession.questionCount, 'question')} answered.
              </p>
              <p>
                <Link to={{ name: 'practice', sessionId: today.unfinishedSession.id }}>Continue the session</Link>
              </p>
            </section>
          ) : null}

          <section aria-labelledby="reviews-heading" className="today-card">
            <h2 id="reviews-heading">Reviews due today</h2>
            {today.reviews.availableNow > 0 ? (
              <>
                <p>
                  {plural(today.reviews.availableNow, 'question')} to review now
                  {today.reviews.dueToday > today.reviews.availableNow ? ` (${today.reviews.dueToday} due; the daily limit is ${today.reviews.dailyLimit})` : ''}.
                </p>
                {/* Not disabled while the session starts: a disabled button drops the focus to the page's body, where a
                    start that fails would leave the learner. The store ignores a press while busy. */}
                <button type="button" className="primary" onClick={() => void startReview()}>
                  Start reviews
                </button>
              </>
            ) : today.reviews.dueToday > 0 ? (
              <p>{dailyLimitReachedText(today.reviews.dailyLimit)}</p>
            ) : (
              <p>Nothing is due. Questions you answer come back here when you are about to forget them.</p>
            )}
            <p className="hint">
              Reviews are scheduled by FSRS from your past answers: each question returns when your chance of recalling it falls to
              your desired retention.
            </p>
          </section>

          {today.suggestedSkills.length > 0 ? (
            <section aria-labelledby="new-skills-heading" className="today-card">
              <h2 id="new-skills-heading">Start something new</h2>
              <ul>
                {today.suggestedSkills.map((skill) => (
                  <li key={skill.skillId}>
                    <Link to={{ name: 'skill', skillId: skill.skillId }}>{skill.skillTitle}</Link> ({skill.domainTitle},{' '}
                    {plural(skill.questionCount, 'question')})
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section aria-labelledby="day-heading" className="today-card">
            <h2 id="day-heading">Your day</h2>
            <dl className="facts">
              <div>
                <dt>Streak</dt>
                <dd>{plural(today.streak, 'day')}</dd>
              </div>
              <div>
                <dt>XP today</dt>
                <dd>{today.xpToday}</dd>
              </div>
              <div>
                <dt>Level {today.level}</dt>
                <dd>{levelProgressText(today.xp)}</dd>
              </div>
            </dl>
          </section>
        </>
      )}
    </>
  );
}

/** The first-run welcome: one dismissible panel, remembered on this device once dismissed. */
function Welcome() {
  const save = useSettings((s) => s.save);
  const saving = useSettings((s) => s.saving);
  const dismiss = async () => {
    if (saving) return;
    if (await save({ welcomeDismissed: true })) {
      useShell.getState().announce('Welcome closed.');
      document.getElementById('screen-heading')?.focus();
    }
  };
  return (
    <section aria-labelledby="welcome-heading" className="today-card welcome">
      <h2 id="welcome-heading">Welcome to Study Desk</h2>
      <ul>
        <li>Everything works offline: your answers are saved on this device first.</li>
        <li>
          Questions are in the <Link to={{ name: 'library' }}>Library</Link>: pick a skill, then practise or take a test.
        </li>
        <li>
          Interview drills, answered typed or spoken, are on the <Link to={{ name: 'drills' }}>Drills</Link> screen.
        </li>
        <li>The Tutor, in the main menu, answers questions about what you study.</li>
        <li>
          To use several devices, set up <Link to={{ name: 'sync' }}>Sync</Link> with your server; until then nothing leaves this
          device.
        </li>
        <li>This Today screen shows what to review and what to start next.</li>
      </ul>
      {/* aria-disabled while saving, not disabled: a disabled button drops the focus to <body>, and a failure leaves it there. */}
      <button type="button" aria-disabled={saving || undefined} onClick={() => void dismiss()}>
        Got it, hide this welcome
      </button>
    </section>
  );
}
