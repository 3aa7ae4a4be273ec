import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';
import { markdownBlocks } from './markdownBlocks';

const reply = [
  '# Bits',
  '',
  'A bit holds 0 or 1.',
  'Eight make a byte.',
  '',
  '```ts',
  'const a = 1;',
  '',
  'const b = 2;',
  '```',
  '',
  '- one',
  '',
  '- two',
  '  still two',
  '',
  '    indented code',
  '',
  '> a quote',
  '',
  'The end.',
].join('\n');

describe('a streaming reply split into its top-level blocks', () => {
  it('splits at blank lines, never inside a code fence, a list or an indented continuation; joined back it is the text', () => {
    const blocks = markdownBlocks(reply);
    expect(blocks).toEqual([
      '# Bits\n\n',
      'A bit holds 0 or 1.\nEight make a byte.\n\n',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n',
      '- one\n\n- two\n  still two\n\n    indented code\n\n',
      '> a quote\n\n',
      'The end.',
    ]);
    expect(blocks.join('')).toBe(reply);
  });

  it('keeps the blocks before the last as they were while text arrives (only the last one grows)', () => {
    for (let end = 1; end < reply.length; end++) {
      const before = markdownBlocks(reply.slice(0, end));
      const after = markdownBlocks(reply.slice(0, end + 1));
      expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
    }
  });

  it('keeps an unclosed fence open to the end, as the whole text would', () => {
    expect(markdownBlocks('Look:\n\n```\ncode\n\nmore')).toEqual(['Look:\n\n', '```\ncode\n\nmore']);
  });

  it('renders, block by block, what the whole text renders', () => {
    const whole = renderToStaticMarkup(createElement(Markdown, { text: reply }));
    const streamed = renderToStaticMarkup(createElement(Markdown, { text: reply, streaming: true }));
    expect(streamed.replaceAll('>\n<', '><')).toBe(whole.replaceAll('>\n<', '><'));
  });
});
