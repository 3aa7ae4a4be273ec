/**
 * Pure logic of the app's trees (the library's domains → skills, the content preview's records): flattening nodes of any
 * depth into visible rows, the WAI-ARIA tree keys, and type-ahead. Nodes carry their own data; the tree never looks at it.
 */

export type TreeNode<T> = { id: string; label: string; data: T; children: ReadonlyArray<TreeNode<T>> };

export type TreeRow<T> = {
  id: string;
  label: string;
  level: number;
  posInSet: number;
  setSize: number;
  parentId: string | null;
  /** Null for a leaf (no children); otherwise whether its children are shown. */
  expanded: boolean | null;
  node: TreeNode<T>;
};

/** The visible rows: every root, and the children of expanded nodes, depth first. */
export function treeRows<T>(roots: ReadonlyArray<TreeNode<T>>, expanded: ReadonlySet<string>): Array<TreeRow<T>> {
  const rows: Array<TreeRow<T>> = [];
  const walk = (nodes: ReadonlyArray<TreeNode<T>>, level: number, parentId: string | null) => {
    nodes.forEach((node, i) => {
      const open = node.children.length > 0 ? expanded.has(node.id) : null;
      rows.push({ id: node.id, label: node.label, level, posInSet: i + 1, setSize: nodes.length, parentId, expanded: open, node });
      if (open) walk(node.children, level + 1, node.id);
    });
  };
  walk(roots, 1, null);
  return rows;
}

/** The ids of a node's ancestors, root first, so a node deep in the tree can be revealed; null when it is not in the tree. */
export function ancestorsOf<T>(roots: ReadonlyArray<TreeNode<T>>, id: string): string[] | null {
  const path: string[] = [];
  const find = (nodes: ReadonlyArray<TreeNode<T>>): boolean => {
    for (const node of nodes) {
      if (node.id === id) return true;
      path.push(node.id);
      if (find(node.children)) return true;
      path.pop();
    }
    return false;
  };
  return find(roots) ? path : null;
}

/** Index of the active row, falling back to the first row when the active one is hidden or unset. */
export function activeIndex(rows: ReadonlyArray<{ id: string }>, activeId: string | null): number {
  if (rows.length === 0) return -1;
  const i = activeId === null ? -1 : rows.findIndex((r) => r.id === activeId);
  return i === -1 ? 0 : i;
}

export type TreeKeyState = { expanded: ReadonlySet<string>; activeId: string | null };

/** What a key press asks for: a new state, activating a leaf (Enter/Space), or nothing (let the key through). */
export type TreeKeyOutcome = { kind: 'state'; state: TreeKeyState } | { kind: 'activate'; id: string } | { kind: 'ignored' };

function toggled(expanded: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(expanded);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/**
 * The WAI-ARIA tree keys (navigation only; printable characters go to `typeAhead`): arrows, Home/End, Right opens then
 * enters, Left closes then goes up, Enter/Space toggle a parent and activate a leaf, * opens the active row's siblings.
 */
export function treeKey<T>(roots: ReadonlyArray<TreeNode<T>>, state: TreeKeyState, key: string): TreeKeyOutcome {
  const rows = treeRows(roots, state.expanded);
  const i = activeIndex(rows, state.activeId);
  const row = rows[i];
  if (!row) return { kind: 'ignored' };
  const moveTo = (index: number): TreeKeyOutcome => ({ kind: 'state', state: { ...state, activeId: rows[Math.max(0, Math.min(rows.length - 1, index))]!.id } });
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
      if (row.expanded === null) return { kind: 'state', state };
      if (!row.expanded) return { kind: 'state', state: { ...state, expanded: toggled(state.expanded, row.id, true) } };
      return moveTo(i + 1);
    case 'ArrowLeft':
      if (row.expanded) return { kind: 'state', state: { ...state, expanded: toggled(state.expanded, row.id, false) } };
      return row.parentId === null ? { kind: 'state', state } : { kind: 'state', state: { ...state, activeId: row.parentId } };
    case 'Enter':
    case ' ':
      // Space acts as Enter on a row; the Tree component keeps it for type-ahead while a typed word is under way.
      if (row.expanded === null) return { kind: 'activate', id: row.id };
      return { kind: 'state', state: { ...state, activeId: row.id, expanded: toggled(state.expanded, row.id, !row.expanded) } };
    case '*': {
      const siblings = rows.filter((r) => r.parentId === row.parentId && r.expanded !== null).map((r) => r.id);
      return { kind: 'state', state: { ...state, expanded: new Set([...state.expanded, ...siblings]) } };
    }
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
