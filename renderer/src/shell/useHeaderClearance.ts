/**
 * Keeps `--header-height` on <html> equal to the header's height. The sticky header wraps to two or three rows in a
 * narrow window, or with a long sync error, and then grew taller than a fixed scroll-padding-top: an element reached
 * with Tab scrolled in under it, hidden (WCAG 2.4.11). The stylesheet keeps the padding at this height.
 */
import { useEffect, type RefObject } from 'react';

export function useHeaderClearance(header: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = header.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--header-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--header-height');
    };
  }, [header]);
}
