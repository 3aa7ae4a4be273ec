/** Pure logic of the library tree: flattening domains → skills into visible rows, keyboard moves and type-ahead. */
import type { LibraryTree } from '../../../shared/ipc/contract';

type Domain = LibraryTree['domains'][number];
type Skill = Domain['skills'][number];

export type TreeRow =
  | { kind: 'domain'; id: string; label: string; level: 1; posInSet: number; setSize: number; expanded: boolean; skillCount: number; domain: Domain }
  | { kind: 'skill'; id: string; label: string; level: 2; posInSet: number; setSize: number; parentId: string; skill: Skill };

/** The rows a learner can see: every domain, and the skills of expanded domains, in order. */
export function visibleRows(tree: LibraryTree, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const domainCount = tree.domains.length;
  tree.domains.forEach((domain, d) => {
    const isExpanded = expanded.has(domain.id) && domain.skills.length > 0;
    rows.push({
      kind: 'domain',
      id: domain.id,
      label: domain.title,
      level: 1,
      posInSet: d + 1,
      setSize: domainCount,
      expanded: isExpanded,
      skillCount: domain.skills.length,
      domain,
    });
    if (!isExpanded) return;
    domain.skills.forEach((skill, s) => {
      rows.push({
        kind: 'skill',
        id: skill.id,
        label: skill.title,
        level: 2,
        posInSet: s + 1,
        setSize: domain.skills.length,
        parentId: domain.id,
        skill,
      });
    });
  });
  return rows;
}

export type TreeKeyState = { expanded: ReadonlySet<string>; activeId: string | null };

/** What a key press asks for: a new state, opening a skill, or nothing (let the key through). */
export type TreeKeyOutcome =
  | { kind: 'state'; state: TreeKeyState }
  | { kind: 'open'; skillId: string }
  | { kind: 'ignored' };

function withExpanded(expanded: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(expanded);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/** Index of the active row, falling back to the first row when the active one is hidden or unset. */
export function activeIndex(rows: readonly TreeRow[], activeId: string | null): number {
  if (rows.length === 0) return -1;
  const i = activeId === null ? -1 : rows.findIndex((r) => r.id === activeId);
  return i === -1 ? 0 : i;
}

/** The WAI-ARIA tree keyboard pattern (navigation keys only; printable characters go to `typeAhead`). */
export function treeKey(tree: LibraryTree, state: TreeKeyState, key: string): TreeKeyOutcome {
  const rows = visibleRows(tree, state.expanded);
  const i = activeIndex(rows, state.activeId);
  const row = rows[i];
  if (!row) return { kind: 'ignored' };
  const moveTo = (index: number): TreeKeyOutcome => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
    return target ? { kind: 'state', state: { ...state, activeId: target.id } } : { kind: 'ignored' };
  };
  switch (key) {
    case 'ArrowDown':
      return moveTo(i + 1);
    case 'ArrowUp':
      return moveTo(i - 1);
    case 'Home':
      return moveTo(0);
    case 'End':
      return moveTo(rows.length - 1);
    case 'ArrowRight':
      if (row.kind === 'skill' || row.skillCount === 0) return { kind: 'state', state };
      if (!row.expanded) return { kind: 'state', state: { ...state, expanded: withExpanded(state.expanded, row.id, true) } };
      return moveTo(i + 1);
    case 'ArrowLeft':
      if (row.kind === 'skill') return { kind: 'state', state: { ...state, activeId: row.parentId } };
      if (row.expanded) return { kind: 'state', state: { ...state, expanded: withExpanded(state.expanded, row.id, false) } };
      return { kind: 'state', state };
    case 'Enter':
    case ' ':
      // Space acts as Enter on a row; LibraryTree keeps it for type-ahead while a typed word is under way.
      if (row.kind === 'skill') return { kind: 'open', skillId: row.id };
      return { kind: 'state', state: { ...state, expanded: withExpanded(state.expanded, row.id, !row.expanded) } };
    case '*':
      // Expands every sibling of the active row; all domains are siblings at level 1.
      return { kind: 'state', state: { ...state, expanded: new Set(tree.domains.map((d) => d.id)) } };
    default:
      return { kind: 'ignored' };
  }
}

/**
 * Type-ahead: the next visible row after the active one whose label starts with `typed`.
 * Typing one character repeatedly cycles through the rows starting with it.
 */
export function typeAhead(rows: ReadonlyArray<{ label: string }>, activeIdx: number, typed: string): number {
  if (rows.length === 0 || typed === '') return -1;
  const needle = typed.toLocaleLowerCase();
  const sameChar = [...needle].every((c) => c === needle[0]);
  const search = sameChar && needle.length > 1 ? needle[0]! : needle;
  // A fresh single character or a cycling repeat starts after the active row; a growing word starts at it.
  const startOffset = needle.length === 1 || sameChar ? 1 : 0;
  for (let n = 0; n < rows.length; n++) {
    const index = (activeIdx + startOffset + n + rows.length) % rows.length;
    if (rows[index]!.label.toLocaleLowerCase().startsWith(search)) return index;
  }
  return -1;
}

/** The window of rows to render for a scroll position; always includes the active row so it keeps its tab stop. */
export function renderWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end };
}
