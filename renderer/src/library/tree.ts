/** The library as tree nodes: domains, each with its skills (the tree's logic is the shared one in components/tree). */
import type { LibraryTree } from '../../../shared/ipc/contract';
import type { TreeNode } from '../components/tree/treeModel';

type Domain = LibraryTree['domains'][number];
type Skill = Domain['skills'][number];

export type LibraryNodeData = { kind: 'domain'; domain: Domain } | { kind: 'skill'; skill: Skill };

export function libraryNodes(tree: LibraryTree): Array<TreeNode<LibraryNodeData>> {
  return tree.domains.map((domain) => ({
    id: domain.id,
    label: domain.title,
    data: { kind: 'domain', domain },
    children: domain.skills.map((skill) => ({ id: skill.id, label: skill.title, data: { kind: 'skill', skill }, children: [] })),
  }));
}
