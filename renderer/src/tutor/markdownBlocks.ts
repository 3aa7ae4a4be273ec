/**
 * A streaming reply split into its top-level Markdown blocks, so that while it streams only its last, still-growing block
 * is rendered again and the blocks before it stay as they were (each re-render of the whole reply cost time in
 * proportion to all that had arrived, for every chunk).
 */

/** A fence that opens a code block (any indent: one inside a list item is indented too), with its marker. */
const fenceOpen = /^\s*(`{3,}|~{3,})/;

/** A line that begins a list item (bullet, or number and dot or parenthesis). */
const listItem = /^([-*+]|\d{1,9}[.)])(\s|$)/;

/**
 * The text's blocks, in order, joined back they are the text. A block ends at a blank line outside a code fence when
 * the next line starts a new block of its own: not indented (an indented line continues a list item or a code block)
 * and not the next item of a list (a list goes on across blank lines; split, it would show as several lists while it
 * streams).
 */
export function markdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  let fence: string | null = null;
  let afterBlank = false;
  /** Whether the last line that was not indented began a list item: a list item after it continues that list. */
  let inList = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (fence !== null) {
      const marker = fenceOpen.exec(line)?.[1];
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
    } else if (line.trim() === '') {
      afterBlank = true;
    } else {
      const indented = /^\s/.test(line);
      const item = listItem.test(line);
      if (afterBlank && lineStart > start && !indented && !(item && inList)) {
        blocks.push(text.slice(start, lineStart));
        start = lineStart;
      }
      if (!indented) inList = item;
      afterBlank = false;
      fence = fenceOpen.exec(line)?.[1] ?? null;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  blocks.push(text.slice(start));
  return blocks;
}
