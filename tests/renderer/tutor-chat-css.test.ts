/**
 * A long conversation in a real Chromium with the app's stylesheets: the message box stays reachable with the
 * transcript in view. The transcript was 60vh tall under the header, breadcrumb, heading and buttons, which pushed the
 * message box partly below the fold at 1280×800 and wholly at 800×600; the transcript scrolls on its own, so the
 * conversation and the box must fit in the window together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForFile } from '../helpers/component-page';

const rendererSrc = join(import.meta.dirname, '../../renderer/src');
const css = ['styles.css', 'tutor/tutor.css'].map((file) => readFileSync(join(rendererSrc, file), 'utf8')).join('\n');

const message = (i: number) => `<div class="message message-${i % 2 ? 'tutor' : 'user'}">
  <p class="message-sender"><strong>${i % 2 ? 'Tutor' : 'You'}</strong></p>
  <p class="user-text">Message ${i}: what does a binary digit hold, and why do computers count in twos instead of tens?</p>
</div>`;

// The shell (App.tsx: header with the navigation and the sync bar) around a conversation (ChatScreen.tsx), reduced to what lays them out.
const screenHtml = `<style>${css}</style>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="app-header">
    <div class="header-row">
      <p class="app-name">Study Desk</p>
      <nav aria-label="Main"><ul>${['Today', 'Library', 'Drills', 'Progress', 'Tutor', 'Settings', 'Sync'].map((l) => `<li><a href="#">${l}</a></li>`).join('')}</ul></nav>
      <button type="button">Keyboard shortcuts</button>
    </div>
    <section class="sync-bar" aria-label="Sync status">
      <p class="sync-text"><strong>Sync is not set up.</strong></p>
      <div class="sync-actions"><a href="#">Sync details</a></div>
    </section>
  </header>
  <main id="main" tabindex="-1">
    <p class="breadcrumb"><a href="#">Tutor</a></p>
    <h1 id="screen-heading" tabindex="-1">Binary digits</h1>
    <div class="actions"><button type="button">What the tutor sees</button><button type="button">Export as Markdown</button></div>
    <div class="transcript" role="log" aria-label="Conversation with the tutor" tabindex="0">
      ${Array.from({ length: 40 }, (_, i) => message(i)).join('')}
    </div>
    <p class="offline-note">Offline tutor: hints from this device's content.</p>
    <form class="composer">
      <div class="field">
        <label for="message">Message to the tutor</label>
        <textarea id="message" rows="3"></textarea>
        <p class="hint">Enter sends, Shift+Enter starts a new line, Escape stops a reply.</p>
      </div>
      <div class="actions"><button type="submit" class="primary">Send</button></div>
    </form>
  </main>`;

const browser = browserForFile();

describe('a long conversation with the tutor', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
  ]) {
    it(`keeps the message box and the transcript in a ${viewport.width}×${viewport.height} window together`, async () => {
      const page = await browser().newPage({ viewport });
      await page.setContent(screenHtml);
      // Scrolled to its end, the page shows the message box and its Send button; the transcript must still be whole above them.
      await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
      const box = await page.evaluate<{ top: number; bottom: number; sendBottom: number; transcriptTop: number; transcriptHeight: number; headerBottom: number }>(`(() => {
        const rect = (selector) => document.querySelector(selector).getBoundingClientRect();
        const sticky = getComputedStyle(document.querySelector('.app-header')).position === 'sticky';
        return {
          top: rect('#message').top,
          bottom: rect('#message').bottom,
          sendBottom: rect('.composer button').bottom,
          transcriptTop: rect('.transcript').top,
          transcriptHeight: rect('.transcript').height,
          headerBottom: sticky ? rect('.app-header').bottom : 0,
        };
      })()`);
      await page.close();
      expect(box.bottom).toBeLessThanOrEqual(viewport.height);
      expect(box.sendBottom).toBeLessThanOrEqual(viewport.height);
      // The whole transcript is in view above it, below the header where the header sticks, and still shows a few messages.
      expect(box.transcriptTop).toBeGreaterThanOrEqual(box.headerBottom);
      expect(box.transcriptHeight).toBeGreaterThanOrEqual(150);
    });
  }

  it('shows the message box without scrolling at 1280×800', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(screenHtml);
    const bottom = await page.evaluate<number>(`document.querySelector('.composer button').getBoundingClientRect().bottom`);
    await page.close();
    expect(bottom).toBeLessThanOrEqual(800);
  });
});
