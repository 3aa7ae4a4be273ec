import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './route';
import { matchShortcut, shortcutHelp, type KeyPress } from './shortcuts';

const base: KeyPress = { key: '', altKey: false, ctrlKey: false, metaKey: false, afterG: false, typingTarget: false, singleKeyEnabled: true };

describe('matchShortcut', () => {
  it('runs the go-to sequences, help and number keys', () => {
    expect(matchShortcut({ ...base, key: 'g' })).toBe('startsG');
    expect(matchShortcut({ ...base, key: 'p', afterG: true })).toEqual({ kind: 'go', screen: 'progress' });
    expect(matchShortcut({ ...base, key: 'L', afterG: true })).toEqual({ kind: 'go', screen: 'library' });
    expect(matchShortcut({ ...base, key: 'p' })).toBeNull();
    expect(matchShortcut({ ...base, key: '?' })).toEqual({ kind: 'help' });
    expect(matchShortcut({ ...base, key: '3' })).toEqual({ kind: 'choose', option: 2 });
    expect(matchShortcut({ ...base, key: '0' })).toBeNull();
  });

  it('turns single keys off by setting and while typing, but keeps Alt shortcuts', () => {
    expect(matchShortcut({ ...base, key: '?', singleKeyEnabled: false })).toBeNull();
    expect(matchShortcut({ ...base, key: '1', typingTarget: true })).toBeNull();
    expect(matchShortcut({ ...base, key: 'g', typingTarget: true })).toBeNull();
    expect(matchShortcut({ ...base, key: '2', altKey: true, singleKeyEnabled: false })).toEqual({ kind: 'go', screen: 'progress' });
    expect(matchShortcut({ ...base, key: '4', altKey: true, typingTarget: true })).toEqual({ kind: 'go', screen: 'sync' });
  });

  it('goes to every main screen with G then a letter or Alt+digit, as the help lists', () => {
    const anywhere = shortcutHelp.find((g) => g.group === 'Anywhere')?.items ?? [];
    for (const [letter, digit, screen, action] of [
      ['T', '5', 'today', 'Go to Today'],
      ['L', '1', 'library', 'Go to the library'],
      ['D', '6', 'drills', 'Go to drills'],
      ['P', '2', 'progress', 'Go to progress'],
      ['U', '7', 'tutor', 'Go to the tutor'],
      ['S', '3', 'settings', 'Go to settings'],
      ['Y', '4', 'sync', 'Go to sync'],
    ] as const) {
      expect(matchShortcut({ ...base, key: letter.toLowerCase(), afterG: true })).toEqual({ kind: 'go', screen });
      expect(matchShortcut({ ...base, key: digit, altKey: true })).toEqual({ kind: 'go', screen });
      expect(anywhere).toContainEqual({ keys: `G then ${letter}`, action, singleKey: true });
      expect(anywhere).toContainEqual({ keys: `Alt+${digit}`, action, singleKey: false });
    }
    expect(matchShortcut({ ...base, key: '8', altKey: true })).toBeNull();
    expect(matchShortcut({ ...base, key: 't' })).toBeNull();
  });

  it('lists the tutor chat’s keys', () => {
    const tutor = shortcutHelp.find((g) => g.group === 'Tutor')?.items.map((item) => item.keys);
    expect(tutor).toEqual(['Enter', 'Shift+Enter', 'Escape', 'Escape']);
  });

  it('leaves Ctrl and Meta combinations to the browser', () => {
    expect(matchShortcut({ ...base, key: '1', ctrlKey: true })).toBeNull();
    expect(matchShortcut({ ...base, key: '1', altKey: true, metaKey: true })).toBeNull();
  });
});

describe('routes', () => {
  const id = '0190a0b2-7c1d-7e2f-8a3b-4c5d6e7f8091';
  it('round-trips every route through its hash', () => {
    for (const route of [
      { name: 'today' },
      { name: 'library' },
      { name: 'skill', skillId: id },
      { name: 'practice', sessionId: id },
      { name: 'progress' },
      { name: 'settings' },
      { name: 'sync' },
      { name: 'tutor' },
      { name: 'chat', chatId: id },
      { name: 'not-found', hash: '#/nowhere' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });

  it('opens Today without a hash, says an unknown address is not found, and sends a malformed id to its list', () => {
    expect(parseRoute('')).toEqual({ name: 'today' });
    expect(parseRoute('#/')).toEqual({ name: 'today' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'not-found', hash: '#/nowhere' });
    expect(parseRoute('#nowhere/else')).toEqual({ name: 'not-found', hash: '#nowhere/else' });
    expect(parseRoute('#/skill/')).toEqual({ name: 'library' });
    expect(parseRoute('#/skill/<script>')).toEqual({ name: 'library' });
  });
});
