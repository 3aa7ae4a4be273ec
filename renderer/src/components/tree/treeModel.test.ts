import { describe, expect, it } from 'vitest';
import { renderWindow } from '../renderWindow';
import { activeIndex, ancestorsOf, treeKey, treeRows, typeAhead, type TreeKeyState, type TreeNode } from './treeModel';

const leaf = (id: string): TreeNode<null> => ({ id, label: id, data: null, children: [] });
const node = (id: string, children: Array<TreeNode<null>>): TreeNode<null> => ({ id, label: id, data: null, children });

// Algebra → Linear → q1, q2; Algebra → Empty skill; Biology → Cells → q3
const roots = [node('Algebra', [node('Linear', [leaf('q1'), leaf('q2')]), leaf('Empty')]), node('Biology', [node('Cells', [leaf('q3')])])];

function press(state: TreeKeyState, ...keys: string[]): TreeKeyState {
  let current = state;
  for (const key of keys) {
    const outcome = treeKey(roots, current, key);
    if (outcome.kind !== 'state') throw new Error(`key ${key} was ignored`);
    current = outcome.state;
  }
  return current;
}

const start: TreeKeyState = { expanded: new Set(), activeId: null };

describe('treeRows', () => {
  it('shows roots, and children of expanded nodes three levels deep, with level, position and set size', () => {
    const rows = treeRows(roots, new Set(['Algebra', 'Linear']));
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

describe('treeKey', () => {
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

  it('Enter and Space toggle a parent and activate a leaf', () => {
    expect(press(start, 'Enter').expanded.has('Algebra')).toBe(true);
    expect(press(start, 'Enter', 'Enter').expanded.has('Algebra')).toBe(false);
    expect(press(start, ' ').expanded.has('Algebra')).toBe(true);
    const atQuestion = press(start, 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight');
    expect(treeKey(roots, atQuestion, 'Enter')).toEqual({ kind: 'activate', id: 'q1' });
    expect(treeKey(roots, atQuestion, ' ')).toEqual({ kind: 'activate', id: 'q1' });
  });

  it('* opens the active row’s siblings that have children; other keys are let through', () => {
    expect([...press(start, '*').expanded].sort()).toEqual(['Algebra', 'Biology']);
    const inAlgebra = press(start, 'ArrowRight', 'ArrowRight');
    expect([...press(inAlgebra, '*').expanded].sort()).toEqual(['Algebra', 'Linear']);
    expect(treeKey(roots, start, 'x')).toEqual({ kind: 'ignored' });
    expect(treeKey([], start, 'ArrowDown')).toEqual({ kind: 'ignored' });
  });

  it('Right on a leaf and Left on a closed root change nothing', () => {
    const onEmpty = press(start, 'ArrowRight', 'ArrowDown', 'ArrowDown');
    expect(onEmpty.activeId).toBe('Empty');
    expect(press(onEmpty, 'ArrowRight')).toEqual(onEmpty);
    expect(press(start, 'ArrowLeft')).toEqual(start);
  });

  it('falls back to the first row when the active row is hidden by a collapse', () => {
    expect(activeIndex(treeRows(roots, new Set()), 'q1')).toBe(0);
    expect(activeIndex([], null)).toBe(-1);
  });
});

describe('ancestorsOf', () => {
  it('lists the ids above a node, root first, or null when absent', () => {
    expect(ancestorsOf(roots, 'q3')).toEqual(['Biology', 'Cells']);
    expect(ancestorsOf(roots, 'Algebra')).toEqual([]);
    expect(ancestorsOf(roots, 'nope')).toBeNull();
  });
});

describe('typeAhead', () => {
  const rows = ['Algebra', 'Biology', 'Chemistry', 'Bonds'].map((label) => ({ label }));

  it('finds the next row starting with the typed text, wrapping around', () => {
    expect(typeAhead(rows, 0, 'c')).toBe(2);
    expect(typeAhead(rows, 2, 'a')).toBe(0);
    expect(typeAhead(rows, 0, 'z')).toBe(-1);
  });

  it('repeating one letter cycles through the matches; a longer word narrows them', () => {
    expect(typeAhead(rows, 0, 'b')).toBe(1);
    expect(typeAhead(rows, 1, 'bb')).toBe(3);
    expect(typeAhead(rows, 3, 'bbb')).toBe(1);
    expect(typeAhead(rows, 1, 'bo')).toBe(3);
    expect(typeAhead(rows, 1, 'bi')).toBe(1);
  });

  it('ignores case', () => {
    expect(typeAhead(rows, 0, 'CHEM')).toBe(2);
  });
});

describe('renderWindow', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(renderWindow(1000, 48, 0, 480, 5)).toEqual({ start: 0, end: 15 });
    expect(renderWindow(1000, 48, 4800, 480, 5)).toEqual({ start: 95, end: 115 });
    expect(renderWindow(100, 48, 4600, 480, 5)).toEqual({ start: 90, end: 100 });
  });
});
