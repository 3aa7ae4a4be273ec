/** A skill's progress as a bar; decorative, because the same percentage is always written next to it as text. */
import { formatPercent } from './format';

export function ProgressBar({ fraction }: { fraction: number }) {
  return (
    <span className="progress-bar" aria-hidden="true">
      <span className="progress-fill" style={{ width: formatPercent(fraction) }} />
    </span>
  );
}
