/**
 * Text the app does not write (a pack's prompts, choices, steps and names) in a real Chromium with the app's
 * stylesheets: a word thousands of characters long wraps inside the window instead of making the page tens of
 * thousands of pixels wide (a fieldset and a flex or grid item are never narrower than their longest word unless told).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { browserForFile } from '../helpers/component-page';

const rendererSrc = join(import.meta.dirname, '../../renderer/src');
const css = ['styles.css', 'content/content.css'].map((file) => readFileSync(join(rendererSrc, file), 'utf8')).join('\n');
const longWord = 'x'.repeat(3000);

// The markup of a multiple-choice question, a reorder question and the preview's layout, reduced to what lays them out.
const screenHtml = `<style>${css}</style>
  <main id="main">
    <h1>Pack ${longWord}</h1>
    <div class="preview-layout">
      <div role="tree"><div role="treeitem">Skill ${longWord}</div></div>
      <section>
        <form class="question">
          <fieldset>
            <legend class="prompt">${longWord}</legend>
            <div class="choices">
              <label class="choice"><input type="radio" name="c"><kbd class="choice-key">1</kbd><span class="choice-text">${longWord}</span></label>
              <label class="choice"><input type="radio" name="c"><kbd class="choice-key">2</kbd><span class="choice-text">short</span></label>
            </div>
          </fieldset>
        </form>
        <div class="question">
          <p class="prompt">${longWord}</p>
          <ol class="reorder-list">
            <li class="reorder-item">
              <button type="button" class="reorder-step"><span class="reorder-pos">1.</span> ${longWord}</button>
              <span class="reorder-buttons"><button type="button">Move up</button><button type="button">Move down</button></span>
            </li>
          </ol>
        </div>
      </section>
    </div>
  </main>`;

const browser = browserForFile();

// Page scripts are strings: these tests compile without the DOM's types.
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

describe('a very long word in pack text', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
  ]) {
    it(`wraps inside a ${viewport.width}-pixel window`, async () => {
      const page = await browser().newPage({ viewport });
      await page.setContent(screenHtml);
      const width = await pageWidth(page);
      // Each of them, not only the page: a box wider than its column would overlap the next one.
      const widest = await page.evaluate<number>(
        `Math.max(...[...document.querySelectorAll('h1, legend, .choice, .reorder-step, [role="treeitem"]')].map((el) => el.getBoundingClientRect().right))`,
      );
      await page.close();
      expect(width).toBeLessThanOrEqual(viewport.width);
      expect(widest).toBeLessThanOrEqual(viewport.width);
    });
  }

  it('still leaves a table’s words whole (its wrapper scrolls instead)', async () => {
    const page = await browser().newPage({ viewport: { width: 800, height: 600 } });
    // A column of long sentences beside short headers: squeezed, the headers would break inside their words.
    const headers = ['Questions', 'Mastered', 'Attempts', 'Accuracy'];
    await page.setContent(
      `<style>${css}</style><main><table><tr><th>Skill</th>${headers.map((h) => `<th>${h}</th>`).join('')}</tr>` +
        `<tr><td>${'a long skill description '.repeat(40)}</td>${headers.map(() => '<td>12</td>').join('')}</tr></table></main>`,
    );
    const linesPerHeader = await page.evaluate<number[]>(
      `[...document.querySelectorAll('th')].slice(1).map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      })`,
    );
    await page.close();
    expect(linesPerHeader).toEqual([1, 1, 1, 1]);
  });
});
