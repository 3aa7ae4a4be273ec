/**
 * A tutor message as Markdown (react-markdown). A reply is untrusted input: raw HTML in it stays visible text (react-markdown
 * turns HTML nodes into text unless a raw-HTML plugin is added, and none is), `javascript:` and other unsafe link targets are
 * emptied by its default URL check, images are shown as their description (never fetched), and links outside the app open
 * in a new window instead of replacing it.
 */
import type { ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';

/** In-app links (`#/…`) stay in the window; anything else opens outside it, without telling it where it came from. */
function MessageLink({ href, children }: ComponentProps<'a'>) {
  if (!href) return <span>{children}</span>;
  if (href.startsWith('#')) return <a href={href}>{children}</a>;
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
  // A code block scrolls on its own and is reachable by keyboard (axe: scrollable regions must be focusable).
  pre: ({ children }) => (
    <pre tabIndex={0} className="md-code">
      {children}
    </pre>
  ),
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown components={components}>{text}</ReactMarkdown>
    </div>
  );
}
