/** The Library screen: domains and their skills as a keyboard-navigable tree, each skill with progress and question count. */
import { useEffect } from 'react';
import { plural } from '../shell/format';
import { useRouter } from '../shell/routerStore';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { useLibrary } from './libraryStore';
import { LibraryTree } from './LibraryTree';

export function LibraryScreen() {
  const tree = useLibrary((s) => s.tree);
  const failed = useLibrary((s) => s.failed);
  const load = useLibrary((s) => s.load);
  const navigate = useRouter((s) => s.navigate);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (tree) useShell.getState().markScreenReady();
  }, [tree]);

  const skillCount = tree?.domains.reduce((n, d) => n + d.skills.length, 0) ?? 0;
  const questionCount = tree?.domains.reduce((n, d) => n + d.skills.reduce((m, s) => m + s.questionCount, 0), 0) ?? 0;

  return (
    <>
      <ScreenHeading title="Library">Library</ScreenHeading>
      {tree === null ? (
        // Not "could not be loaded" before the first load has even started (the effect runs after the first render).
        <p>{failed ? 'The library could not be loaded.' : 'Loading the library…'}</p>
      ) : tree.domains.length === 0 ? (
        <p>There is no content yet. Import a content pack or sync with a server to start studying.</p>
      ) : (
        <>
          <p id="library-summary">
            {plural(tree.domains.length, 'domain')}, {plural(skillCount, 'skill')}, {plural(questionCount, 'question')}.
          </p>
          <h2 id="library-tree-label" className="visually-hidden">
            Domains and skills
          </h2>
          <p id="library-tree-help" className="hint">
            Arrow keys move, Right opens a domain, type letters to jump, Enter opens a skill.
          </p>
          <LibraryTree
            tree={tree}
            labelledBy="library-tree-label"
            describedBy="library-tree-help"
            onOpenSkill={(skillId) => navigate({ name: 'skill', skillId })}
          />
        </>
      )}
    </>
  );
}
