/** An address that names no screen (a mistyped or outdated link): says so, names it, and offers the way to the library. */
import { useEffect } from 'react';
import { Link } from './Link';
import { ScreenHeading } from './ScreenHeading';
import { useShell } from './shellStore';

export function NotFoundScreen({ hash }: { hash: string }) {
  useEffect(() => {
    useShell.getState().markScreenReady();
  }, []);
  return (
    <>
      <ScreenHeading title="Page not found">Page not found</ScreenHeading>
      {/* The address is whatever the link said: rendered as text. */}
      <p>
        There is no page at the address <code>{hash}</code>. The link that led here may be mistyped or out of date.
      </p>
      <p>
        <Link to={{ name: 'library' }}>Go to the library</Link>
      </p>
    </>
  );
}
