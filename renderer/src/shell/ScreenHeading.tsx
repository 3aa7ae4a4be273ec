/** A screen's h1: takes focus after a navigation, so keyboard and screen reader users start at the new screen's top. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useShell } from './shellStore';

export function ScreenHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focusPending = useShell((s) => s.headingFocusPending);
  useEffect(() => {
    document.title = `${title} – Study Desk`;
  }, [title]);
  useEffect(() => {
    if (!focusPending) return;
    useShell.getState().setHeadingFocusPending(false);
    ref.current?.focus();
  }, [focusPending]);
  return (
    <h1 id="screen-heading" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
