/**
 * A WAI-ARIA tree with a roving tab stop and type-ahead, shared by the library and the content preview. Rows are flat
 * treeitems carrying aria-level/posinset/setsize (the pattern's flat form), which lets long trees render only the rows
 * in view. The tree is controlled: the caller keeps which nodes are expanded and which row is active.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';
import { renderWindow } from '../renderWindow';
import { activeIndex, treeKey, treeRows, typeAhead, type TreeNode, type TreeRow } from './treeModel';

/** Below this many visible rows every row is rendered; above it only the rows in view (plus overscan). */
const virtualizeAbove = 200;
const overscan = 12;
/** Keys typed within this many ms of each other build one type-ahead word. */
const typeAheadPauseMs = 700;

type Props<T> = {
  roots: ReadonlyArray<TreeNode<T>>;
  expanded: ReadonlySet<string>;
  activeId: string | null;
  onChange: (expanded: ReadonlySet<string>, activeId: string | null) => void;
  /** Enter, Space or a click on a leaf, after it became the active row. */
  onActivate?: (row: TreeRow<T>) => void;
  labelledBy: string;
  describedBy: string;
  /** Each row's DOM id is this prefix and the node's id. */
  rowIdPrefix: string;
  rowHeight: number;
  /** Classes of the scrolling container, after "tree-scroll". */
  className?: string;
  /** Classes of a row, after "tree-row". */
  rowClassName: (row: TreeRow<T>) => string;
  /** A row's content (its accessible name). */
  renderRow: (row: TreeRow<T>) => ReactNode;
};

/** The open/closed mark of a parent row (empty for a leaf); hidden from assistive technology, which has aria-expanded. */
export function TreeTwisty({ expanded }: { expanded: boolean | null }) {
  return (
    <span className="tree-twisty" aria-hidden="true">
      {expanded === null ? '' : expanded ? '▾' : '▸'}
    </span>
  );
}

export function Tree<T>(props: Props<T>) {
  const { roots, expanded, activeId, onChange, onActivate, labelledBy, describedBy, rowIdPrefix, rowHeight, className, rowClassName, renderRow } = props;
  const rows = useMemo(() => treeRows(roots, expanded), [roots, expanded]);
  const active = activeIndex(rows, activeId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 720 });
  const focusPending = useRef(false);
  const typed = useRef({ text: '', at: 0 });
  const virtual = rows.length > virtualizeAbove;

  const indices = useMemo(() => {
    if (!virtual) return rows.map((_, i) => i);
    const { start, end } = renderWindow(rows.length, rowHeight, viewport.top, viewport.height, overscan);
    const list: number[] = [];
    for (let i = start; i < end; i++) list.push(i);
    // The active row stays rendered even when scrolled away, so Tab can always reach the tree.
    if (active >= 0 && (active < start || active >= end)) list.push(active);
    return list;
  }, [virtual, rows, rowHeight, viewport, active]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) setViewport({ top: el.scrollTop, height: el.clientHeight || 720 });
  }, []);

  // A row that becomes active is scrolled into view however it did (a key, or the caller, e.g. a finding chosen in a
  // report), but new data with the same active row scrolls nothing; it takes focus only after a key or a click here.
  const revealedId = useRef<string | null>(null);
  useLayoutEffect(() => {
    const row = rows[active];
    const el = row ? document.getElementById(rowIdPrefix + row.id) : null;
    const moved = (row?.id ?? null) !== revealedId.current;
    revealedId.current = row?.id ?? null;
    if (moved || focusPending.current) el?.scrollIntoView({ block: 'nearest' });
    if (!focusPending.current) return;
    focusPending.current = false;
    el?.focus();
  }, [active, rows, rowIdPrefix]);

  const change = (nextExpanded: ReadonlySet<string>, nextActiveId: string | null) => {
    // Only a change renders new rows, where the focus request is met; one left for nothing (Home on the first row) would
    // pull the focus back from wherever the user went when new data arrives later.
    focusPending.current = nextActiveId !== (rows[active]?.id ?? null) || nextExpanded !== expanded;
    onChange(nextExpanded, nextActiveId);
  };

  const activateLeaf = (row: TreeRow<T>) => {
    change(expanded, row.id);
    onActivate?.(row);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const now = event.timeStamp;
    const continuing = now - typed.current.at < typeAheadPauseMs && typed.current.text !== '';
    const currentId = rows[active]?.id ?? null;
    const outcome = event.key === ' ' && continuing ? ({ kind: 'ignored' } as const) : treeKey(roots, { expanded, activeId: currentId }, event.key);
    // Any navigation key ends a type-ahead word, so the next letter starts a new search.
    if (outcome.kind !== 'ignored') typed.current = { text: '', at: 0 };
    if (outcome.kind === 'state') {
      event.preventDefault();
      change(outcome.state.expanded, outcome.state.activeId);
      return;
    }
    if (outcome.kind === 'activate') {
      event.preventDefault();
      activateLeaf(rows[active]!);
      return;
    }
    // Printable characters (not the help key) drive type-ahead; Space only continues a word already begun.
    if (event.key.length === 1 && event.key !== '?' && (event.key !== ' ' || continuing)) {
      const text = (continuing ? typed.current.text : '') + event.key;
      typed.current = { text, at: now };
      const index = typeAhead(rows, active, text);
      event.preventDefault();
      if (index >= 0) change(expanded, rows[index]!.id);
    }
  };

  const onRowClick = (row: TreeRow<T>) => {
    if (row.expanded === null) {
      activateLeaf(row);
      return;
    }
    const next = new Set(expanded);
    if (row.expanded) next.delete(row.id);
    else next.add(row.id);
    change(next, row.id);
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (!virtual) return;
    const el = event.currentTarget;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
  };

  return (
    <div className={className ? `tree-scroll ${className}` : 'tree-scroll'} ref={scrollRef} onScroll={onScroll}>
      <div role="tree" aria-labelledby={labelledBy} aria-describedby={describedBy} className="tree" style={{ height: rows.length * rowHeight }} onKeyDown={onKeyDown}>
        {indices.map((i) => {
          const row = rows[i]!;
          return (
            <div
              key={row.id}
              id={rowIdPrefix + row.id}
              role="treeitem"
              aria-level={row.level}
              aria-posinset={row.posInSet}
              aria-setsize={row.setSize}
              aria-expanded={row.expanded ?? undefined}
              // Selection follows focus in this single-select tree: the active row is the selected one.
              aria-selected={i === active}
              tabIndex={i === active ? 0 : -1}
              className={`tree-row ${rowClassName(row)}`}
              style={{ top: i * rowHeight, height: rowHeight }}
              onClick={() => onRowClick(row)}
            >
              {renderRow(row)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
