/** A short run of `npm run soak` in the sync suite: kills and link cuts mid-push lose, duplicate and strand nothing. */
import { describe, expect, it } from 'vitest';
import { defaultSoakOptions, runSoak } from '../../../scripts/soak/soak';

describe('the sync soak, short', () => {
  it('loses, duplicates and strands nothing across kills and cut links mid-push', async () => {
    const report = await runSoak({ ...defaultSoakOptions, kills: 3, partitions: 8, budgetS: 120 });
    expect(report.killsDone).toBe(3);
    expect(report.partitionsDone).toBe(8);
    expect(report.midPush).toBeGreaterThan(0);
    expect(report.drainMs.kill).toHaveLength(3);
    expect(report.drainMs.partition).toHaveLength(8);
    expect({ lost: report.lost, duplicated: report.duplicated, stuck: report.stuck }).toEqual({ lost: 0, duplicated: 0, stuck: 0 });
    expect(report.answers).toBe(11 * defaultSoakOptions.answersPerFault);
  }, 240_000);
});
