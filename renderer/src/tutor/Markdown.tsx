/**
 * A tutor message as Markdown (react-markdown, with GitHub's tables and strikethrough). A reply is untrusted input: raw
 * HTML in it stays visible text (react-markdown turns HTML nodes into text unless a raw-HTML plugin is added, and none
 * is), `javascript:` and other unsafe link targets are emptied by its default URL check, images are shown as their
 * description (never fetched), and links outside the app open in a new window instead of replacing it.
 */
import { memo, type ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { markdownBlocks } from './markdownBlocks';

/**
 * In-app links (`#/…`) stay in the window; anything else opens outside it, without telling it where it came from. A link
 * within the reply (`#…`, a GFM footnote's) is shown as its text: the app's router reads the address's `#` as a screen.
 */
function MessageLink({ href, children }: ComponentProps<'a'>) {
  if (href?.startsWith('#/')) return <a href={href}>{children}</a>;
  if (!href || href.startsWith('#')) return <span>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** An image in a reply could call any server; its description is shown instead. */
function MessageImage({ alt, src }: ComponentProps<'img'>) {
  const description = alt?.trim() || (typeof src === 'string' ? src : '');
  return <span className="md-image">[image: {description}]</span>;
}

/** GitHub's Markdown, as models write it: tables, ~~strikethrough~~, task lists, bare links. */
const plugins = [remarkGfm];

const components: Components = {
  a: MessageLink,
  img: MessageImage,
  // A reply's headings sit one level below the screen's own h1 (the conversation's title), never beside it: a reply's
  // "# Title" must not become a second level-1 heading of the screen for heading navigation.
  h1: ({ children }) => <h2>{children}</h2>,
  h2: ({ children }) => <h3>{children}</h3>,
  h3: ({ children }) => <h4>{children}</h4>,
  h4: ({ children }) => <h5>{children}</h5>,
  h5: ({ children }) => <h6>{children}</h6>,
  // A GFM table wider than the transcript scrolls in its own box (as a code block does), reachable by keyboard.
  table: ({ children }) => (
    <div className="table-scroll" tabIndex={0}>
      <table>{children}</table>
    </div>
  ),
  // A code block scrolls on its own and is reachable by keyboard (axe: scrollable regions must be focusable).
  pre: ({ children }) => (
    <pre tabIndex={0} className="md-code">
      {children}
    </pre>
  ),
};

/** One piece of Markdown; memoized, so a streaming reply's completed blocks are not rendered again for each chunk. */
const MarkdownPart = memo(function MarkdownPart({ text }: { text: string }) {
  return (
    <ReactMarkdown components={components} remarkPlugins={plugins}>
      {text}
    </ReactMarkdown>
  );
});

/**
 * A message's Markdown. While it streams (`streaming`), it is rendered block by block, so each chunk costs about its last
 * block, not the whole reply; once ended, it is rendered whole (a list or a link reference across blocks comes out right).
 */
export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  return (
    <div className="md">
      {streaming ? markdownBlocks(text).map((block, i) => <MarkdownPart key={i} text={block} />) : <MarkdownPart text={text} />}
    </div>
  );
}
