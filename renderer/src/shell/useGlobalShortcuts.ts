/** Listens for the app-wide shortcuts (go to a screen, help, choose an answer) and runs them, honouring the single-key setting. */
import { useEffect } from 'react';
import { choiceDomId } from '../practice/McqQuestion';
import { usePractice } from '../practice/practiceStore';
import { useSettings } from '../settings/settingsStore';
import { useRouter } from './routerStore';
import { matchShortcut } from './shortcuts';
import { useShell } from './shellStore';

/** A `g` waits this long for the second key of a go-to sequence. */
const sequenceTimeoutMs = 1500;
const textInputTypes = new Set(['text', 'search', 'email', 'url', 'password', 'tel', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && textInputTypes.has(target.type);
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    let gPressedAt = -Infinity;
    const onKeyDown = (event: KeyboardEvent) => {
      // Widgets that used the key (the tree's type-ahead, a dialog) have already claimed it.
      if (event.defaultPrevented || useShell.getState().helpOpen) return;
      const now = performance.now();
      const command = matchShortcut({
        key: event.key,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        afterG: now - gPressedAt < sequenceTimeoutMs,
        typingTarget: isTypingTarget(event.target),
        singleKeyEnabled: useSettings.getState().settings?.singleKeyShortcuts ?? true,
      });
      gPressedAt = command === 'startsG' ? now : -Infinity;
      if (command === null || command === 'startsG') return;
      switch (command.kind) {
        case 'go':
          event.preventDefault();
          useRouter.getState().navigate({ name: command.screen });
          return;
        case 'help':
          event.preventDefault();
          useShell.getState().setHelpOpen(true);
          return;
        case 'choose': {
          const practice = usePractice.getState();
          const onQuestion = useRouter.getState().route.name === 'practice' && practice.phase === 'answering';
          if (!onQuestion || practice.question?.type !== 'mcq_single' || command.option >= practice.question.choices.length) return;
          event.preventDefault();
          practice.choose(command.option);
          document.getElementById(choiceDomId(command.option))?.focus();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
