import { describe, expect, it } from 'vitest';
import { composerAction, type ComposerKey } from './chatKeys';

const press = (key: string, extra: Partial<ComposerKey> = {}): ComposerKey => ({
  key,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  isComposing: false,
  ...extra,
});

describe('the message box keys', () => {
  it('sends on Enter and leaves Shift+Enter to add a new line', () => {
    expect(composerAction(press('Enter'), false)).toBe('send');
    expect(composerAction(press('Enter', { shiftKey: true }), false)).toBeNull();
  });

  it('never sends while a reply streams, or while an input method composes', () => {
    expect(composerAction(press('Enter'), true)).toBeNull();
    expect(composerAction(press('Enter', { isComposing: true }), false)).toBeNull();
  });

  it('stops a streaming reply on Escape, and Escape does nothing otherwise', () => {
    expect(composerAction(press('Escape'), true)).toBe('stop');
    expect(composerAction(press('Escape'), false)).toBeNull();
  });

  it('leaves Enter with a modifier and other keys to the browser', () => {
    expect(composerAction(press('Enter', { ctrlKey: true }), false)).toBeNull();
    expect(composerAction(press('a'), false)).toBeNull();
  });
});
