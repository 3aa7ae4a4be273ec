/**
 * Plain text in the tutor's Markdown export (a conversation's title, a reply's reason, the learner's own message: all
 * plain text on screen) as Markdown that shows exactly that text. Markdown's inline syntax characters are
 * backslash-escaped, so "# x *y* [link](http://a)" is not read as emphasis, a link, raw HTML, an entity or a heading's
 * closing hashes; so is what would start a block at a line's start (a list item, a setext underline), and a
 * line's indent (indented code) is dropped. Line breaks stay (as hard breaks, so they never end the paragraph or the
 * emphasis around the text). A reply's own text is Markdown the tutor wrote and is not passed through this.
 */
export function markdownText(text: string): string {
  return text
    .trim()
    .split(/\r\n?|\n/)
    .map((line) =>
      line
        .trimStart()
        .replace(/[\\`*_[\]<>#&~|]/g, '\\$&')
        // GFM's parser would read a bare address (http://…, www.…) with a following escape's backslash as
        // part of it (shown): breaking the trigger leaves the escape alone. Readers still link the address, same text.
        .replace(/:\/\//g, '\\://')
        .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`)
        .replace(/^[-+=]/, '\\$&')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .join('\\\n');
}
