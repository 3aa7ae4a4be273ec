/** Every keyboard shortcut of the app, and the pure matcher that turns a key press into a shortcut command. */

/**
 * The main screens reachable from anywhere: `G` then `letter`, or Alt+`digit`. The letter is the name's first free one
 * (sYnc, tUtor); digits follow the order the shortcuts were added in, so the older ones keep theirs.
 */
const goTargets = [
  { screen: 'library', letter: 'l', digit: '1', action: 'Go to the library' },
  { screen: 'progress', letter: 'p', digit: '2', action: 'Go to progress' },
  { screen: 'settings', letter: 's', digit: '3', action: 'Go to settings' },
  { screen: 'sync', letter: 'y', digit: '4', action: 'Go to sync' },
  { screen: 'today', letter: 't', digit: '5', action: 'Go to Today' },
  { screen: 'drills', letter: 'd', digit: '6', action: 'Go to drills' },
  { screen: 'tutor', letter: 'u', digit: '7', action: 'Go to the tutor' },
] as const;

type GoScreen = (typeof goTargets)[number]['screen'];

export type ShortcutCommand = { kind: 'go'; screen: GoScreen } | { kind: 'help' } | { kind: 'choose'; option: number };

export type ShortcutHelp = { keys: string; action: string; singleKey: boolean };

/** What the `?` dialog lists, grouped by where the keys work. */
export const shortcutHelp: ReadonlyArray<{ group: string; items: ShortcutHelp[] }> = [
  {
    group: 'Anywhere',
    items: [
      { keys: '?', action: 'Show this list of shortcuts', singleKey: true },
      // Alt+digit is not a single key: it works whatever the setting, so it has its own row.
      ...goTargets.flatMap(({ letter, digit, action }) => [
        { keys: `G then ${letter.toUpperCase()}`, action, singleKey: true },
        { keys: `Alt+${digit}`, action, singleKey: false },
      ]),
      { keys: 'Escape', action: 'Close a dialog', singleKey: false },
    ],
  },
  {
    group: 'Library tree',
    items: [
      { keys: 'Up and Down arrows', action: 'Move between domains and skills', singleKey: false },
      { keys: 'Right arrow', action: 'Expand a domain, or move to its first skill', singleKey: false },
      { keys: 'Left arrow', action: 'Collapse a domain, or move to the skill’s domain', singleKey: false },
      { keys: 'Home / End', action: 'First / last visible item', singleKey: false },
      { keys: 'Letters', action: 'Jump to the next item starting with the typed letters', singleKey: false },
      { keys: '* (asterisk)', action: 'Expand every domain', singleKey: false },
      { keys: 'Enter', action: 'Open a skill, or expand or collapse a domain', singleKey: false },
    ],
  },
  {
    group: 'Practice',
    items: [
      { keys: '1 to 9', action: 'Choose an answer of a multiple-choice question', singleKey: true },
      { keys: 'Enter', action: 'Submit the chosen answer', singleKey: false },
      { keys: 'Space', action: 'Pick up or drop a step of a reorder question', singleKey: false },
      { keys: 'Up and Down arrows', action: 'Move a picked-up step, or move between steps', singleKey: false },
      { keys: 'Escape', action: 'Put a picked-up step back where it was', singleKey: false },
    ],
  },
  {
    // The tutor's own keys: the chat's (tutor/chatKeys.ts), and the list's rename field and delete question.
    group: 'Tutor',
    items: [
      { keys: 'Enter', action: 'Send the message in the message box', singleKey: false },
      { keys: 'Shift+Enter', action: 'Start a new line in the message box', singleKey: false },
      { keys: 'Escape', action: 'Stop a reply being written, keeping what arrived', singleKey: false },
      { keys: 'Escape', action: 'Cancel renaming or deleting a conversation', singleKey: false },
    ],
  },
];

export type KeyPress = {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The key before this one was a lone `g` (start of a go-to sequence). */
  afterG: boolean;
  /** Focus is in a text field, or in a widget that uses printable keys itself (the tree's type-ahead). */
  typingTarget: boolean;
  singleKeyEnabled: boolean;
};

const goKeys = new Map<string, GoScreen>(goTargets.map((t) => [t.letter, t.screen]));
const altDigits = new Map<string, GoScreen>(goTargets.map((t) => [t.digit, t.screen]));

/** Matches a key press to a command; `startsG` says a `g` began a sequence. Alt shortcuts work even with single keys off. */
export function matchShortcut(press: KeyPress): ShortcutCommand | 'startsG' | null {
  if (press.ctrlKey || press.metaKey) return null;
  if (press.altKey) {
    const screen = altDigits.get(press.key);
    return screen ? { kind: 'go', screen } : null;
  }
  if (!press.singleKeyEnabled || press.typingTarget) return null;
  const key = press.key.toLowerCase();
  if (press.afterG) {
    const screen = goKeys.get(key);
    if (screen) return { kind: 'go', screen };
  }
  if (key === 'g') return 'startsG';
  if (press.key === '?') return { kind: 'help' };
  if (/^[1-9]$/.test(press.key)) return { kind: 'choose', option: Number(press.key) - 1 };
  return null;
}
