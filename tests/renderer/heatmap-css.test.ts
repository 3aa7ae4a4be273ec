/**
 * The review heatmap's month labels in a real Chromium with the app's stylesheet: each label starts above the week it
 * names. A label is wider than a week's column, and a flex item is never narrower than its text unless told so, so
 * without `min-width: 0` every label pushed the next ones right (a year later, "Nov" sat above December).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForFile } from '../helpers/component-page';

const css = readFileSync(join(import.meta.dirname, '../../renderer/src/styles.css'), 'utf8');

// The markup ReviewHeatmap renders, reduced to what lays it out: a months row above rows of one cell per week.
function heatmapHtml(monthLabels: string[]): string {
  const months = monthLabels.map((label) => `<span class="heatmap-month">${label}</span>`).join('');
  const cells = monthLabels.map(() => '<span role="gridcell" class="heatmap-cell level-0"></span>').join('');
  return `<style>${css}</style>
    <div class="heatmap-scroll">
      <div class="heatmap-months"><span class="heatmap-weekday"></span>${months}</div>
      <div role="grid" class="heatmap"><div role="row" class="heatmap-row"><span role="rowheader" class="heatmap-weekday">Mon</span>${cells}</div></div>
    </div>`;
}

const browser = browserForFile();

describe('review heatmap month labels', () => {
  it('start above the first week of their month, all year long', async () => {
    // A year's worth: a month's name every four or five weeks, as the Progress screen shows them.
    const labels = Array.from({ length: 53 }, (_, week) => (week % 4 === 1 ? new Date(Date.UTC(2026, (week - 1) / 4, 1)).toUTCString().slice(8, 11) : ''));
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(heatmapHtml(labels));
    const lefts = async (selector: string) =>
      Promise.all((await page.locator(selector).all()).map(async (element) => (await element.boundingBox())?.x));
    const monthLefts = await lefts('.heatmap-month');
    const weekLefts = await lefts('.heatmap-row .heatmap-cell');
    await page.close();
    expect(monthLefts).toHaveLength(53);
    labels.forEach((label, week) => {
      if (label !== '') expect({ label, left: monthLefts[week] }).toEqual({ label, left: weekLefts[week] });
    });
  });
});
