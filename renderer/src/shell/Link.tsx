/** An in-app link: a real anchor with the route's hash, so it works with Enter, middle-click and screen reader link lists. */
import type { ReactNode } from 'react';
import { routeHash, type Route } from './route';

export function Link({ to, children, current }: { to: Route; children: ReactNode; current?: boolean }) {
  return (
    <a href={routeHash(to)} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
