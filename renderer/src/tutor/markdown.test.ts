import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('a tutor message as Markdown', () => {
  it('keeps a script tag and an image with onerror as visible text', () => {
    const html = render('Look: <script>alert(1)</script> and <img src=x onerror="alert(2)">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('renders code blocks, focusable so they scroll by keyboard', () => {
    expect(render('```ts\nconst a = 1 < 2;\n```')).toBe(
      '<div class="md"><pre tabindex="0" class="md-code"><code class="language-ts">const a = 1 &lt; 2;\n</code></pre></div>',
    );
  });

  it('never fetches an image: its description is shown instead', () => {
    const html = render('![a tracker](https://example.com/pixel.png)');
    expect(html).not.toMatch(/<img|preload/i);
    expect(html).toContain('[image: a tracker]');
  });

  it('puts a reply’s headings below the screen’s h1 (the conversation’s title), never a second h1', () => {
    expect(render('# Binary\n\n## Bits\n\n###### Small')).toBe('<div class="md"><h2>Binary</h2>\n<h3>Bits</h3>\n<h6>Small</h6></div>');
  });

  it('empties javascript: links and opens outside links in a new window, in-app links in place', () => {
    expect(render('[x](javascript:alert(1))')).not.toContain('javascript:');
    expect(render('[docs](https://example.com/a)')).toContain('<a href="https://example.com/a" target="_blank" rel="noopener noreferrer">docs</a>');
    expect(render('[question](#/skill/0193)')).toContain('<a href="#/skill/0193">question</a>');
  });

  it('renders a GFM table with header cells in a box that scrolls by keyboard, and strikethrough; raw HTML in a cell stays text', () => {
    const html = render('| Bits | Value |\n| --- | ---: |\n| <b>101</b> | ~~four~~ five |');
    expect(html).toContain('<div class="table-scroll" tabindex="0"><table>');
    expect(html).toContain('<thead><tr><th>Bits</th><th style="text-align:right">Value</th>');
    expect(html).toContain('<td>&lt;b&gt;101&lt;/b&gt;</td>');
    expect(html).toContain('<del>four</del> five');
    expect(html).not.toMatch(/<b>/);
  });

  it('shows a footnote’s links within the reply as text: the router would read their # as a screen', () => {
    const html = render('A bit[^1].\n\n[^1]: Binary digit.');
    expect(html).not.toMatch(/href="#(?!\/)/);
    expect(html).toContain('Binary digit.');
  });
});
