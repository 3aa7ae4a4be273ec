/** The recovery screen's words for the ways out it offers: a backup to restore only when a usable one exists. */
import type { DatabaseProblem } from '../../../shared/ipc/contract';

export type RecoveryChoices = { whatYouCanDo: string; heading: string; intro: string };

/**
 * What the learner can do, said for the buttons the screen shows. A read-only file has Try again, which core's next
 * step names; a damaged or unopenable one has Start fresh, and Restore only with a usable backup (core's next step
 * names both, and Try again, which this screen does not offer for them).
 */
export function recoveryChoices(problem: DatabaseProblem | null, hasBackup: boolean): RecoveryChoices {
  const restoreOrFresh = hasBackup ? 'restore the newest good backup, or start fresh with the built-in content' : 'start fresh with the built-in content';
  const whatYouCanDo =
    problem?.cause === 'read_only'
      ? problem.nextStep
      : problem?.cause === 'unreadable'
        ? `Check that the file and its folder exist and belong to your user, then start Study Desk again. Or ${restoreOrFresh}.`
        : `${restoreOrFresh.charAt(0).toUpperCase()}${restoreOrFresh.slice(1)}.`;
  return hasBackup
    ? { whatYouCanDo, heading: 'Choose how to continue', intro: 'Either way, a copy of the damaged file is kept.' }
    : { whatYouCanDo, heading: 'How to continue', intro: 'There is no usable backup of this file. Starting fresh keeps a copy of the damaged file.' };
}
