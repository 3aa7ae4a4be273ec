import { describe, expect, it } from 'vitest';
import { ancestorsOf, previewKey, previewRows, type PreviewKeyState, type PreviewNode } from './previewTree';

const leaf = (id: string): PreviewNode<null> => ({ id, label: id, data: null, children: [] });
const node = (id: string, children: Array<PreviewNode<null>>): PreviewNode<null> => ({ id, label: id, data: null, children });

// Algebra → Linear → q1, q2; Algebra → Empty skill; Biology → Cells → q3
const roots = [node('Algebra', [node('Linear', [leaf('q1'), leaf('q2')]), leaf('Empty')]), node('Biology', [node('Cells', [leaf('q3')])])];

function press(state: PreviewKeyState, ...keys: string[]): PreviewKeyState {
  let current = state;
  for (const key of keys) {
    const outcome = previewKey(roots, current, key);
    if (outcome.kind !== 'state') throw new Error(`key ${key} was ignored`);
    current = outcome.state;
  }
  return current;
}

const start: PreviewKeyState = { expanded: new Set(), activeId: null };

describe('previewRows', () => {
  it('shows roots, and children of expanded nodes three levels deep, with level, position and set size', () => {
    const rows = previewRows(roots, new Set(['Algebra', 'Linear']));
    expect(rows.map((r) => [r.id, r.level, r.posInSet, r.setSize, r.expanded])).toEqual([
      ['Algebra', 1, 1, 2, true],
      ['Linear', 2, 1, 2, true],
      ['q1', 3, 1, 2, null],
      ['q2', 3, 2, 2, null],
      ['Empty', 2, 2, 2, null],
      ['Biology', 1, 2, 2, false],
    ]);
  });
});

describe('previewKey', () => {
  it('Right opens then enters, down to a question; Left goes up then closes', () => {
    const atQuestion = press(start, 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight');
    expect(atQuestion.activeId).toBe('q1');
    expect([...atQuestion.expanded].sort()).toEqual(['Algebra', 'Linear']);
    const up = press(atQuestion, 'ArrowLeft');
    expect(up.activeId).toBe('Linear');
    expect(press(up, 'ArrowLeft').expanded.has('Linear')).toBe(false);
  });

  it('moves with arrows, Home and End, clamped', () => {
    expect(press(start, 'ArrowDown').activeId).toBe('Biology');
    expect(press(start, 'ArrowDown', 'ArrowDown').activeId).toBe('Biology');
    expect(press(start, 'End', 'Home', 'ArrowUp').activeId).toBe('Algebra');
  });

  it('Enter toggles a parent and selects a leaf; * opens the siblings', () => {
    expect(press(start, 'Enter').expanded.has('Algebra')).toBe(true);
    expect(press(start, 'Enter', 'Enter').expanded.has('Algebra')).toBe(false);
    expect([...press(start, '*').expanded].sort()).toEqual(['Algebra', 'Biology']);
    expect(previewKey(roots, start, 'x')).toEqual({ kind: 'ignored' });
  });
});

describe('ancestorsOf', () => {
  it('lists the ids above a node, root first, or null when absent', () => {
    expect(ancestorsOf(roots, 'q3')).toEqual(['Biology', 'Cells']);
    expect(ancestorsOf(roots, 'Algebra')).toEqual([]);
    expect(ancestorsOf(roots, 'nope')).toBeNull();
  });
});
