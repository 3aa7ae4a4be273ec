/**
 * Markdown as a reader shows it, parsed as the app's Markdown view parses it (react-markdown: remark's parser with
 * remark-gfm, i.e. CommonMark and GitHub's extensions). Parsed without React: React's types in the node test project
 * would redeclare the DOM's.
 */
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * The visible text of `markdown` (line breaks as "\n") and the kinds of node it made, in document order (the root, text
 * and a bare address's link aside: GFM links an address by itself, with the same text).
 */
export function visibleMarkdown(markdown: string): { text: string; nodes: string[] } {
  const nodes: string[] = [];
  const textOf = (node: Nodes): string => {
    if (node.type !== 'root' && node.type !== 'text' && node.type !== 'link') nodes.push(node.type);
    if (node.type === 'break') return '\n';
    if ('value' in node) return node.value;
    return 'children' in node ? node.children.map(textOf).join('') : '';
  };
  const text = textOf(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
  return { text, nodes };
}
