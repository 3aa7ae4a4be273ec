import { describe, expect, it } from 'vitest';
import { buildHeatmap, heatmapKey, shadeLevel } from './heatmap';

// 2026-11-02 is a Monday; 2026-10-28 a Wednesday.
const activity = { fromDay: '2026-10-28', toDay: '2026-11-10', days: [{ day: '2026-11-02', reviews: 12 }, { day: '2026-11-03', reviews: 1 }] };

describe('review heatmap layout', () => {
  it('puts every day in its weekday row and week column, Monday first, with shades relative to the busiest day', () => {
    const heatmap = buildHeatmap(activity);
    expect(heatmap.lead).toBe(2);
    expect(heatmap.days).toHaveLength(14);
    expect(heatmap.weeks).toBe(3);
    expect(heatmap.days[0]).toMatchObject({ day: '2026-10-28', weekday: 2, week: 0, reviews: 0, level: 0 });
    expect(heatmap.days[5]).toMatchObject({ day: '2026-11-02', weekday: 0, week: 1, reviews: 12, level: 4 });
    expect(heatmap.days[6]).toMatchObject({ day: '2026-11-03', reviews: 1, level: 1 });
    expect(shadeLevel(6, 12)).toBe(2);
  });

  it('moves by week with Left/Right, by day with Up/Down, clamped to the days shown', () => {
    const heatmap = buildHeatmap(activity);
    expect(heatmapKey(heatmap, 5, 'ArrowRight')).toBe(12);
    expect(heatmapKey(heatmap, 12, 'ArrowRight')).toBe(13);
    expect(heatmapKey(heatmap, 5, 'ArrowLeft')).toBe(0);
    expect(heatmapKey(heatmap, 5, 'ArrowUp')).toBe(4);
    expect(heatmapKey(heatmap, 0, 'ArrowUp')).toBe(0);
    expect(heatmapKey(heatmap, 12, 'Home')).toBe(5);
    expect(heatmapKey(heatmap, 5, 'End')).toBe(12);
    expect(heatmapKey(heatmap, 5, 'End', true)).toBe(13);
    expect(heatmapKey(heatmap, 5, 'x')).toBeNull();
  });
});
