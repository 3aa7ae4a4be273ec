/**
 * The library as a WAI-ARIA tree with a roving tab stop and type-ahead. Rows are flat treeitems carrying
 * aria-level/posinset/setsize (the pattern's flat form), which lets long lists render only the rows in view.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type UIEvent } from 'react';
import type { LibraryTree as LibraryTreeData } from '../../../shared/ipc/contract';
import { formatPercent, plural } from '../shell/format';
import { ProgressBar } from '../shell/ProgressBar';
import { useLibrary } from './libraryStore';
import { activeIndex, renderWindow, treeKey, typeAhead, visibleRows, type TreeRow } from './tree';

const rowHeight = 48;
/** Below this many visible rows every row is rendered; above it only the rows in view (plus overscan). */
const virtualizeAbove = 200;
const overscan = 12;
/** Keys typed within this many ms of each other build one type-ahead word. */
const typeAheadPauseMs = 700;

function rowDomId(id: string): string {
  return `tree-row-${id}`;
}

type Props = { tree: LibraryTreeData; labelledBy: string; describedBy: string; onOpenSkill: (skillId: string) => void };

export function LibraryTree({ tree, labelledBy, describedBy, onOpenSkill }: Props) {
  const expanded = useLibrary((s) => s.expanded);
  const activeId = useLibrary((s) => s.activeId);
  const setTreeState = useLibrary((s) => s.setTreeState);
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
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
  }, [virtual, rows, viewport, active]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) setViewport({ top: el.scrollTop, height: el.clientHeight || 720 });
  }, []);

  useLayoutEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    const row = rows[active];
    const el = row ? document.getElementById(rowDomId(row.id)) : null;
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  }, [active, rows]);

  const activate = (nextExpanded: ReadonlySet<string>, nextActiveId: string | null) => {
    focusPending.current = true;
    setTreeState(nextExpanded, nextActiveId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const currentId = rows[active]?.id ?? null;
    const now = performance.now();
    const continuing = now - typed.current.at < typeAheadPauseMs && typed.current.text !== '';
    const outcome = event.key === ' ' && continuing ? ({ kind: 'ignored' } as const) : treeKey(tree, { expanded, activeId: currentId }, event.key);
    // Any navigation key ends a type-ahead word, so the next letter starts a new search.
    if (outcome.kind !== 'ignored') typed.current = { text: '', at: 0 };
    if (outcome.kind === 'state') {
      event.preventDefault();
      activate(outcome.state.expanded, outcome.state.activeId);
      return;
    }
    if (outcome.kind === 'open') {
      event.preventDefault();
      onOpenSkill(outcome.skillId);
      return;
    }
    // Printable characters (not the help key) drive type-ahead; Space only continues a word already begun.
    if (event.key.length === 1 && event.key !== '?' && (event.key !== ' ' || continuing)) {
      const text = (continuing ? typed.current.text : '') + event.key;
      typed.current = { text, at: now };
      const found = typeAhead(rows, active, text);
      event.preventDefault();
      if (found >= 0) activate(expanded, rows[found]!.id);
    }
  };

  const onRowClick = (row: TreeRow) => {
    if (row.kind === 'skill') {
      setTreeState(expanded, row.id);
      onOpenSkill(row.id);
      return;
    }
    const next = new Set(expanded);
    if (row.expanded) next.delete(row.id);
    else next.add(row.id);
    activate(next, row.id);
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (!virtual) return;
    const el = event.currentTarget;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
  };

  return (
    <div className="tree-scroll" ref={scrollRef} onScroll={onScroll}>
      <div
        role="tree"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        className="tree"
        style={{ height: rows.length * rowHeight }}
        onKeyDown={onKeyDown}
      >
        {indices.map((i) => {
          const row = rows[i]!;
          return <TreeItem key={row.id} row={row} top={i * rowHeight} isActive={i === active} onClick={onRowClick} />;
        })}
      </div>
    </div>
  );
}

function TreeItem({ row, top, isActive, onClick }: { row: TreeRow; top: number; isActive: boolean; onClick: (row: TreeRow) => void }) {
  const common = {
    id: rowDomId(row.id),
    role: 'treeitem',
    'aria-level': row.level,
    'aria-posinset': row.posInSet,
    'aria-setsize': row.setSize,
    // Selection follows focus in this single-select tree: the active row is the selected one.
    'aria-selected': isActive,
    tabIndex: isActive ? 0 : -1,
    style: { top, height: rowHeight },
    onClick: () => onClick(row),
  } as const;
  if (row.kind === 'domain') {
    return (
      <div {...common} aria-expanded={row.skillCount > 0 ? row.expanded : undefined} className="tree-row tree-domain">
        <span className="tree-twisty" aria-hidden="true">
          {row.skillCount === 0 ? '' : row.expanded ? '▾' : '▸'}
        </span>
        <span className="tree-title">{row.label}</span>
        <span className="tree-meta">{plural(row.skillCount, 'skill')}</span>
      </div>
    );
  }
  const { skill } = row;
  return (
    <div {...common} className="tree-row tree-skill">
      <span className="tree-title">{row.label}</span>
      <span className="tree-meta">
        {plural(skill.questionCount, 'question')}, {formatPercent(skill.progress)} mastered
      </span>
      <ProgressBar fraction={skill.progress} />
    </div>
  );
}
