/**
 * Plain text in the tutor's Markdown export: escaped so that a CommonMark + GFM reader (remark's parser with remark-gfm,
 * as the app renders Markdown) shows exactly the text, with no emphasis, link, HTML, entity, heading or list made of it.
 */
import { describe, expect, it } from 'vitest';
import { markdownText } from '../../electron/core/tutor/markdown-text';
import { visibleMarkdown as visible } from '../helpers/visible-markdown';

describe('markdownText', () => {
  it("escapes Markdown's inline syntax and a line's block markers with backslashes", () => {
    expect(markdownText('# x *y* [link](http://a)')).toBe('\\# x \\*y\\* \\[link\\](http\\://a)');
    expect(markdownText('a_b `c` <i> &amp; ~~s~~ | \\')).toBe('a\\_b \\`c\\` \\<i\\> \\&amp; \\~\\~s\\~\\~ \\| \\\\');
    expect(markdownText('- item\n1. first\n2) second\n===\n+ plus')).toBe('\\- item\\\n1\\. first\\\n2\\) second\\\n\\===\\\n\\+ plus');
  });

  it.each([
    '# x *y* [link](http://a)',
    'Use `max_tokens` < 4096 & *not* <b>bold</b>_y_ &amp; ~~gone~~ | a | b |',
    'C# and F# #',
    '**strong** __also__ ![image](http://a/i.png) <http://a> [ref]: http://a',
    'Nothing answers at http://127.0.0.1:9/v1; see www.example.org_x or mail me_too@example.org>now',
  ])('a line reads back as the same text in a paragraph, a heading and emphasis: %s', (text) => {
    expect(visible(markdownText(text))).toEqual({ text, nodes: ['paragraph'] });
    expect(visible(`# ${markdownText(text)}`)).toEqual({ text, nodes: ['heading'] });
    expect(visible(`_${markdownText(text)}_`)).toEqual({ text, nodes: ['paragraph', 'emphasis'] });
  });

  it('keeps line breaks, and nothing at a line start makes a block', () => {
    const text = 'My steps:\n- halve both sides\n1. then check\n\n    indented\n===\n> quoted\n---';
    const shown = visible(markdownText(text));
    expect(shown.nodes.filter((n) => n !== 'break')).toEqual(['paragraph']);
    expect(shown.text).toBe(text.replace('    indented', 'indented'));
  });
});
