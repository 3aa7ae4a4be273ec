/**
 * Whether the instructor tools (the Content workspace) show: the learner's own choice in Settings, or, until they
 * choose (null), whether the signed-in account is a content editor. Small on purpose: the shell imports it.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { api } from '../api';
import { useSettings } from '../settings/settingsStore';

type EditorState = { isContentEditor: boolean; asked: boolean; ask: () => Promise<void> };

/** The account's role, asked once per start. */
export const useContentEditor = create<EditorState>((set, get) => ({
  isContentEditor: false,
  asked: false,
  ask: async () => {
    if (get().asked) return;
    set({ asked: true });
    const status = await api.contentEditorStatus({});
    set({ isContentEditor: status.ok && status.value.isContentEditor });
  },
}));

/** The learner's choice wins; with none, a content editor sees the tools and a learner does not. */
export function instructorToolsShown(choice: boolean | null | undefined, isContentEditor: boolean): boolean {
  return choice ?? isContentEditor;
}

/** The effective setting, asking for the account's role only when the learner has not chosen. */
export function useInstructorTools(): boolean {
  const choice = useSettings((s) => s.settings?.showInstructorTools);
  const isContentEditor = useContentEditor((s) => s.isContentEditor);
  useEffect(() => {
    if (choice === null) void useContentEditor.getState().ask();
  }, [choice]);
  return instructorToolsShown(choice, isContentEditor);
}
