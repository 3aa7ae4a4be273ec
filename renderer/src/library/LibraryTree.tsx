/** The library's domains and skills in the shared tree: Enter or a click on a skill opens it. */
import { useMemo } from 'react';
import type { LibraryTree as LibraryTreeData } from '../../../shared/ipc/contract';
import { Tree, TreeTwisty } from '../components/tree/Tree';
import type { TreeRow } from '../components/tree/treeModel';
import { formatPercent, plural } from '../shell/format';
import { ProgressBar } from '../shell/ProgressBar';
import { useLibrary } from './libraryStore';
import { libraryNodes, type LibraryNodeData } from './tree';

const rowHeight = 48;

type Props = { tree: LibraryTreeData; labelledBy: string; describedBy: string; onOpenSkill: (skillId: string) => void };

export function LibraryTree({ tree, labelledBy, describedBy, onOpenSkill }: Props) {
  const expanded = useLibrary((s) => s.expanded);
  const activeId = useLibrary((s) => s.activeId);
  const setTreeState = useLibrary((s) => s.setTreeState);
  const roots = useMemo(() => libraryNodes(tree), [tree]);
  return (
    <Tree
      roots={roots}
      expanded={expanded}
      activeId={activeId}
      onChange={setTreeState}
      onActivate={(row) => {
        // A domain without skills is a leaf too, but has nothing to open.
        if (row.node.data.kind === 'skill') onOpenSkill(row.id);
      }}
      labelledBy={labelledBy}
      describedBy={describedBy}
      rowIdPrefix="tree-row-"
      rowHeight={rowHeight}
      rowClassName={(row) => (row.node.data.kind === 'domain' ? 'tree-domain' : 'tree-skill')}
      renderRow={renderLibraryRow}
    />
  );
}

function renderLibraryRow(row: TreeRow<LibraryNodeData>) {
  const data = row.node.data;
  if (data.kind === 'domain') {
    return (
      <>
        <TreeTwisty expanded={row.expanded} />
        <span className="tree-title">{row.label}</span>
        <span className="tree-meta">{plural(data.domain.skills.length, 'skill')}</span>
      </>
    );
  }
  return (
    <>
      <span className="tree-title">{row.label}</span>
      <span className="tree-meta">
        {plural(data.skill.questionCount, 'question')}, {formatPercent(data.skill.progress)} mastered
      </span>
      <ProgressBar fraction={data.skill.progress} />
    </>
  );
}
