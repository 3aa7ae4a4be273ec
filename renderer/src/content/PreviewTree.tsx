/** The preview's records in the shared tree; the active row is the record shown beside the tree. */
import type { ReactNode } from 'react';
import { Tree, TreeTwisty } from '../components/tree/Tree';
import type { TreeNode } from '../components/tree/treeModel';

type Props<T> = {
  roots: ReadonlyArray<TreeNode<T>>;
  labelledBy: string;
  describedBy: string;
  expanded: ReadonlySet<string>;
  activeId: string | null;
  onChange: (expanded: ReadonlySet<string>, activeId: string | null) => void;
  /** Badges and counts after the row's title (part of its accessible name). */
  renderMeta: (node: TreeNode<T>) => ReactNode;
  rowHeight: number;
};

export function PreviewTree<T>({ renderMeta, ...props }: Props<T>) {
  return (
    <Tree
      {...props}
      rowIdPrefix="preview-row-"
      className="preview-tree"
      rowClassName={(row) => `preview-level-${Math.min(row.level, 3)}`}
      renderRow={(row) => (
        <>
          <TreeTwisty expanded={row.expanded} />
          <span className="tree-title">{row.label}</span>
          <span className="tree-meta">{renderMeta(row.node)}</span>
        </>
      )}
    />
  );
}
