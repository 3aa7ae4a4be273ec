/**
 * A single-select listbox that renders only the rows in view, so a report of thousands of findings scrolls smoothly.
 * Rows have a fixed height; each option carries aria-setsize/aria-posinset, so a screen reader hears "12 of 1,000"
 * although most options are not in the DOM. One tab stop (roving focus, which follows selection): arrows, Page Up/Down,
 * Home/End move; Enter or Space (or a click) chooses.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';
import { renderWindow } from '../components/renderWindow';

/** Below this many rows every row is rendered; above it only the rows in view (plus overscan). */
const virtualizeAbove = 200;
const overscan = 10;

type Props = {
  id: string;
  labelledBy: string;
  describedBy?: string;
  count: number;
  rowHeight: number;
  /** The scrolling viewport's height in px (the list is shorter when it has fewer rows). */
  viewportHeight: number;
  rowKey: (index: number) => string;
  renderRow: (index: number) => ReactNode;
  active: number;
  onActiveChange: (index: number) => void;
  onChoose: (index: number) => void;
};

export function optionDomId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

export function VirtualListbox({ id, labelledBy, describedBy, count, rowHeight, viewportHeight, rowKey, renderRow, active, onActiveChange, onChoose }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const focusPending = useRef(false);
  const current = Math.max(0, Math.min(count - 1, active));
  const virtual = count > virtualizeAbove;
  const height = Math.min(viewportHeight, count * rowHeight);

  const indices = useMemo(() => {
    const { start, end } = virtual ? renderWindow(count, rowHeight, scrollTop, viewportHeight, overscan) : { start: 0, end: count };
    const list: number[] = [];
    for (let i = start; i < end; i++) list.push(i);
    // The active row stays rendered when scrolled away, so Tab always reaches the list.
    if (count > 0 && (current < start || current >= end)) list.push(current);
    return list;
  }, [virtual, count, rowHeight, scrollTop, viewportHeight, current]);

  useLayoutEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    const el = document.getElementById(optionDomId(id, current));
    el?.focus({ preventScroll: true });
    // Scroll the row into view by arithmetic: the browser's scrollIntoView would also scroll the page.
    const scroller = scrollRef.current;
    if (!scroller) return;
    const top = current * rowHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + rowHeight - scroller.clientHeight;
  }, [current, id, rowHeight]);

  const moveTo = (index: number) => {
    focusPending.current = true;
    onActiveChange(Math.max(0, Math.min(count - 1, index)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || count === 0) return;
    const page = Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: count - 1 };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onChoose(current);
    }
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (virtual) setScrollTop(event.currentTarget.scrollTop);
  };

  return (
    <div className="listbox-scroll" ref={scrollRef} onScroll={onScroll} style={{ height }}>
      <div
        id={id}
        role="listbox"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        className="listbox"
        style={{ height: count * rowHeight }}
        onKeyDown={onKeyDown}
      >
        {indices.map((i) => (
          <div
            key={rowKey(i)}
            id={optionDomId(id, i)}
            role="option"
            aria-selected={i === current}
            aria-setsize={count}
            aria-posinset={i + 1}
            tabIndex={i === current ? 0 : -1}
            className="listbox-option"
            style={{ top: i * rowHeight, height: rowHeight }}
            onClick={() => {
              moveTo(i);
              onChoose(i);
            }}
          >
            {renderRow(i)}
          </div>
        ))}
      </div>
    </div>
  );
}
