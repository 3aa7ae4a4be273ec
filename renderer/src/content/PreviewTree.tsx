/**
 * The preview's tree, in the library tree's pattern: flat treeitems with aria-level/posinset/setsize, a roving tab stop,
 * type-ahead, and only the rows in view rendered when there are many. The active row is the one shown beside the tree.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';
import { renderWindow, typeAhead } from '../library/tree';
import { previewKey, previewRows, type PreviewNode, type PreviewRow } from './previewTree';

const virtualizeAbove = 200;
const overscan = 12;
const typeAheadPauseMs = 700;

type Props<T> = {
  roots: ReadonlyArray<PreviewNode<T>>;
  labelledBy: string;
  describedBy: string;
  expanded: ReadonlySet<string>;
  activeId: string | null;
  onChange: (expanded: ReadonlySet<string>, activeId: string | null) => void;
  /** Badges and counts after the row's title (part of its accessible name). */
  renderMeta: (node: PreviewNode<T>) => ReactNode;
  rowHeight: number;
};

export function previewRowDomId(id: string): string {
  return `preview-row-${id}`;
}

export function PreviewTree<T>({ roots, labelledBy, describedBy, expanded, activeId, onChange, renderMeta, rowHeight }: Props<T>) {
  const rows = useMemo(() => previewRows(roots, expanded), [roots, expanded]);
  const found = activeId === null ? -1 : rows.findIndex((r) => r.id === activeId);
  const active = rows.length === 0 ? -1 : found === -1 ? 0 : found;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 480 });
  const focusPending = useRef(false);
  const typed = useRef({ text: '', at: 0 });
  const virtual = rows.length > virtualizeAbove;

  const indices = useMemo(() => {
    if (!virtual) return rows.map((_, i) => i);
    const { start, end } = renderWindow(rows.length, rowHeight, viewport.top, viewport.height, overscan);
    const list: number[] = [];
    for (let i = start; i < end; i++) list.push(i);
    if (active >= 0 && (active < start || active >= end)) list.push(active);
    return list;
  }, [virtual, rows, rowHeight, viewport, active]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) setViewport({ top: el.scrollTop, height: el.clientHeight || 480 });
  }, []);

  // A finding chosen in the report, or a key, makes a row active: it takes focus only after a key in the tree.
  useLayoutEffect(() => {
    const row = rows[active];
    const el = row ? document.getElementById(previewRowDomId(row.id)) : null;
    el?.scrollIntoView({ block: 'nearest' });
    if (!focusPending.current) return;
    focusPending.current = false;
    el?.focus();
  }, [active, rows]);

  const change = (nextExpanded: ReadonlySet<string>, nextActiveId: string | null) => {
    focusPending.current = true;
    onChange(nextExpanded, nextActiveId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const now = event.timeStamp;
    const continuing = now - typed.current.at < typeAheadPauseMs && typed.current.text !== '';
    const currentId = rows[active]?.id ?? null;
    const outcome = event.key === ' ' && continuing ? ({ kind: 'ignored' } as const) : previewKey(roots, { expanded, activeId: currentId }, event.key);
    if (outcome.kind === 'state') {
      typed.current = { text: '', at: 0 };
      event.preventDefault();
      change(outcome.state.expanded, outcome.state.activeId);
      return;
    }
    if (event.key.length === 1 && event.key !== '?' && (event.key !== ' ' || continuing)) {
      const text = (continuing ? typed.current.text : '') + event.key;
      typed.current = { text, at: now };
      const index = typeAhead(rows, active, text);
      event.preventDefault();
      if (index >= 0) change(expanded, rows[index]!.id);
    }
  };

  const onRowClick = (row: PreviewRow<T>) => {
    const next = new Set(expanded);
    if (row.expanded === true) next.delete(row.id);
    else if (row.expanded === false) next.add(row.id);
    change(next, row.id);
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (!virtual) return;
    const el = event.currentTarget;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
  };

  return (
    <div className="tree-scroll preview-tree" ref={scrollRef} onScroll={onScroll}>
      <div role="tree" aria-labelledby={labelledBy} aria-describedby={describedBy} className="tree" style={{ height: rows.length * rowHeight }} onKeyDown={onKeyDown}>
        {indices.map((i) => {
          const row = rows[i]!;
          return (
            <div
              key={row.id}
              id={previewRowDomId(row.id)}
              role="treeitem"
              aria-level={row.level}
              aria-posinset={row.posInSet}
              aria-setsize={row.setSize}
              aria-expanded={row.expanded ?? undefined}
              aria-selected={i === active}
              tabIndex={i === active ? 0 : -1}
              className={`tree-row preview-level-${Math.min(row.level, 3)}`}
              style={{ top: i * rowHeight, height: rowHeight }}
              onClick={() => onRowClick(row)}
            >
              <span className="tree-twisty" aria-hidden="true">
                {row.expanded === null ? '' : row.expanded ? '▾' : '▸'}
              </span>
              <span className="tree-title">{row.label}</span>
              <span className="tree-meta">{renderMeta(row.node)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
