/** Handlers of the library feature. */
import type { libraryContract, LibraryTree } from '../../../../shared/ipc/features/library';
import type { FeatureHandlers } from '../handlers';

export function createLibraryHandlers(library: { tree(): LibraryTree }) {
  return {
    'library:tree': () => library.tree(),
  } satisfies FeatureHandlers<typeof libraryContract>;
}
