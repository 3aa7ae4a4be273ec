/**
 * Pure logic of the preview's tree (domains → skills → questions, or a drill pack's categories → questions): the library
 * tree's keyboard pattern on a tree of any depth. Type-ahead is the library's own (`typeAhead`).
 */

export type PreviewNode<T> = { id: string; label: string; data: T; children: ReadonlyArray<PreviewNode<T>> };

export type PreviewRow<T> = {
  id: string;
  label: string;
  level: number;
  posInSet: number;
  setSize: number;
  parentId: string | null;
  /** Null for a leaf; otherwise whether its children are shown. */
  expanded: boolean | null;
  node: PreviewNode<T>;
};

/** The visible rows: every root, and the children of expanded nodes, depth first. */
export function previewRows<T>(roots: ReadonlyArray<PreviewNode<T>>, expanded: ReadonlySet<string>): Array<PreviewRow<T>> {
  const rows: Array<PreviewRow<T>> = [];
  const walk = (nodes: ReadonlyArray<PreviewNode<T>>, level: number, parentId: string | null) => {
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
export function ancestorsOf<T>(roots: ReadonlyArray<PreviewNode<T>>, id: string): string[] | null {
  const path: string[] = [];
  const find = (nodes: ReadonlyArray<PreviewNode<T>>): boolean => {
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

export type PreviewKeyState = { expanded: ReadonlySet<string>; activeId: string | null };
export type PreviewKeyOutcome = { kind: 'state'; state: PreviewKeyState } | { kind: 'ignored' };

function toggled(expanded: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(expanded);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/**
 * The WAI-ARIA tree keys, as in the library: arrows, Home/End, Right opens then enters, Left goes up then closes,
 * Enter/Space toggle a parent (a leaf is shown as soon as it is active), * opens the active row's siblings.
 */
export function previewKey<T>(roots: ReadonlyArray<PreviewNode<T>>, state: PreviewKeyState, key: string): PreviewKeyOutcome {
  const rows = previewRows(roots, state.expanded);
  if (rows.length === 0) return { kind: 'ignored' };
  const found = state.activeId === null ? -1 : rows.findIndex((r) => r.id === state.activeId);
  const i = found === -1 ? 0 : found;
  const row = rows[i]!;
  const moveTo = (index: number): PreviewKeyOutcome => ({ kind: 'state', state: { ...state, activeId: rows[Math.max(0, Math.min(rows.length - 1, index))]!.id } });
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
      if (row.expanded === null) return { kind: 'state', state: { ...state, activeId: row.id } };
      return { kind: 'state', state: { ...state, activeId: row.id, expanded: toggled(state.expanded, row.id, !row.expanded) } };
    case '*': {
      const siblings = rows.filter((r) => r.parentId === row.parentId && r.expanded !== null).map((r) => r.id);
      return { kind: 'state', state: { ...state, expanded: new Set([...state.expanded, ...siblings]) } };
    }
    default:
      return { kind: 'ignored' };
  }
}
