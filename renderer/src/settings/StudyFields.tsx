/** The settings that shape studying: when the study day rolls over, FSRS's desired retention, the daily review limit. */
import type { Settings } from '../../../shared/ipc/contract';
import { dailyReviewLimitRange } from '../../../shared/review-limit';

type StudySettings = Pick<Settings, 'rolloverHour' | 'desiredRetention' | 'dailyReviewLimit'>;

const hours = Array.from({ length: 24 }, (_, hour) => hour);
const retentions = Array.from({ length: 30 }, (_, i) => 70 + i);

const { min: fewestReviews, max: mostReviews } = dailyReviewLimitRange;

/** The daily review limit as typed, or null when it is not a whole number in the contract's range. */
export function parseDailyLimit(text: string): number | null {
  const limit = Number(text);
  return text.trim() !== '' && Number.isInteger(limit) && limit >= fewestReviews && limit <= mostReviews ? limit : null;
}

/** What the field says when its text is not a limit; `kept` is the saved limit, which stays until a valid one is saved. */
export const dailyLimitProblem = (kept: number): string =>
  `Reviews per day: enter a whole number from ${fewestReviews} to ${mostReviews}. Until then ${kept} is kept, and nothing on this form is saved.`;

/**
 * The limit's field holds its own text (the form owns it), so it can be cleared and retyped; the form saves only a
 * whole number in the contract's range (1 to 1000).
 */
export function StudyFields({
  value,
  onChange,
  limitText,
  onLimitText,
}: {
  value: StudySettings;
  onChange: (patch: Partial<Omit<StudySettings, 'dailyReviewLimit'>>) => void;
  limitText: string;
  onLimitText: (text: string) => void;
}) {
  const limitValid = parseDailyLimit(limitText) !== null;
  return (
    <fieldset>
      <legend>Studying</legend>
      <div className="field">
        <label htmlFor="rollover-hour">New day starts at</label>
        <select id="rollover-hour" value={value.rolloverHour} aria-describedby="rollover-help" onChange={(e) => onChange({ rolloverHour: Number(e.target.value) })}>
          {hours.map((hour) => (
            <option key={hour} value={hour}>
              {`${String(hour).padStart(2, '0')}:00`}
            </option>
          ))}
        </select>
        <p className="hint" id="rollover-help">
          Reviews due today, today’s XP and your streak count days from this hour in your time zone.
        </p>
      </div>
      <div className="field">
        <label htmlFor="desired-retention">Desired retention</label>
        <select
          id="desired-retention"
          value={Math.round(value.desiredRetention * 100)}
          aria-describedby="retention-help"
          onChange={(e) => onChange({ desiredRetention: Number(e.target.value) / 100 })}
        >
          {retentions.map((percent) => (
            <option key={percent} value={percent}>
              {percent}%
            </option>
          ))}
        </select>
        <p className="hint" id="retention-help">
          A question comes back for review when your chance of recalling it falls to this. Higher means more reviews.
        </p>
      </div>
      <div className="field">
        <label htmlFor="daily-limit">Reviews per day, at most</label>
        <input
          id="daily-limit"
          type="number"
          inputMode="numeric"
          min={fewestReviews}
          max={mostReviews}
          value={limitText}
          aria-invalid={!limitValid || undefined}
          aria-describedby="daily-limit-help"
          onChange={(e) => onLimitText(e.target.value)}
        />
        <p className={limitValid ? 'hint' : 'field-error'} id="daily-limit-help">
          {limitValid ? `A whole number from ${fewestReviews} to ${mostReviews}.` : dailyLimitProblem(value.dailyReviewLimit)}
        </p>
      </div>
    </fieldset>
  );
}
