/** The library feature's state: the domain → skill tree, which domains are open and which row is active. */
import { create } from 'zustand';
import type { LibraryTree } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';

type LibraryState = {
  tree: LibraryTree | null;
  loading: boolean;
  /** The last load failed (the error region says why): a screen without a tree says so, not "Loading…". */
  failed: boolean;
  expanded: ReadonlySet<string>;
  activeId: string | null;
  load: () => Promise<void>;
  setTreeState: (expanded: ReadonlySet<string>, activeId: string | null) => void;
};

export const useLibrary = create<LibraryState>((set, get) => ({
  tree: null,
  loading: false,
  failed: false,
  expanded: new Set(),
  activeId: null,
  load: async () => {
    if (get().loading) return;
    set({ loading: true, failed: false });
    const tree = await request(() => api.libraryTree({}), 'Could not load the library');
    set({ loading: false, failed: tree === null, ...(tree ? { tree } : {}) });
  },
  setTreeState: (expanded, activeId) => set({ expanded, activeId }),
}));

/** Finds a skill and its domain in the loaded tree. */
export function findSkill(tree: LibraryTree | null, skillId: string) {
  for (const domain of tree?.domains ?? []) {
    const skill = domain.skills.find((s) => s.id === skillId);
    if (skill) return { domain, skill };
  }
  return null;
}
