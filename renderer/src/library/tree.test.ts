import { describe, expect, it } from 'vitest';
import type { LibraryTree } from '../../../shared/ipc/contract';
import { activeIndex, treeKey, treeRows, type TreeKeyState } from '../components/tree/treeModel';
import { libraryNodes } from './tree';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function makeTree(domainCount: number, skillsPerDomain: number): LibraryTree {
  let n = 0;
  return {
    domains: Array.from({ length: domainCount }, (_, d) => ({
      id: uuid(++n),
      slug: `d${d}`,
      title: ['Algebra', 'Biology', 'Chemistry', 'Bonds'][d % 4]! + (d >= 4 ? ` ${d}` : ''),
      skills: Array.from({ length: skillsPerDomain }, (_, s) => ({
        id: uuid(++n),
        slug: `s${d}_${s}`,
        title: `Skill ${d}.${s}`,
        description: null,
        questionCount: 3,
        progress: 0,
      })),
    })),
  };
}

function press(tree: LibraryTree, state: TreeKeyState, ...keys: string[]): TreeKeyState {
  let current = state;
  for (const key of keys) {
    const outcome = treeKey(libraryNodes(tree), current, key);
    if (outcome.kind !== 'state') throw new Error(`key ${key} gave ${outcome.kind}`);
    current = outcome.state;
  }
  return current;
}

describe('the library as tree rows', () => {
  it('lists domains, and skills only under expanded domains, with level, position and set size', () => {
    const tree = makeTree(3, 2);
    const collapsed = treeRows(libraryNodes(tree), new Set());
    expect(collapsed.map((r) => r.node.data.kind)).toEqual(['domain', 'domain', 'domain']);
    const rows = treeRows(libraryNodes(tree), new Set([tree.domains[1]!.id]));
    expect(rows.map((r) => [r.label, r.level, r.posInSet, r.setSize])).toEqual([
      ['Algebra', 1, 1, 3],
      ['Biology', 1, 2, 3],
      ['Skill 1.0', 2, 1, 2],
      ['Skill 1.1', 2, 2, 2],
      ['Chemistry', 1, 3, 3],
    ]);
  });

  it('shows a domain without skills as a leaf (no aria-expanded), even when marked expanded', () => {
    const tree = makeTree(1, 0);
    expect(treeRows(libraryNodes(tree), new Set([tree.domains[0]!.id]))[0]!.expanded).toBeNull();
  });

  it('flattens 1k skills in a few milliseconds', () => {
    const tree = makeTree(50, 20);
    const all = new Set(tree.domains.map((d) => d.id));
    const started = performance.now();
    const rows = treeRows(libraryNodes(tree), all);
    expect(rows).toHaveLength(1050);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('the tree keys on the library', () => {
  const tree = makeTree(3, 2);
  const [algebra, biology] = tree.domains;
  const start: TreeKeyState = { expanded: new Set(), activeId: null };

  it('moves down and up, clamped at the ends, and Home/End jump', () => {
    expect(press(tree, start, 'ArrowDown').activeId).toBe(biology!.id);
    expect(press(tree, start, 'ArrowUp').activeId).toBe(algebra!.id);
    expect(press(tree, start, 'End').activeId).toBe(tree.domains[2]!.id);
    expect(press(tree, start, 'End', 'ArrowDown').activeId).toBe(tree.domains[2]!.id);
    expect(press(tree, start, 'End', 'Home').activeId).toBe(algebra!.id);
  });

  it('Right expands a collapsed domain, then enters its first skill; Left goes back to the domain, then collapses', () => {
    const expanded = press(tree, start, 'ArrowRight');
    expect(expanded.expanded.has(algebra!.id)).toBe(true);
    expect(expanded.activeId).toBe(null);
    const inSkill = press(tree, expanded, 'ArrowRight');
    expect(inSkill.activeId).toBe(algebra!.skills[0]!.id);
    const backToDomain = press(tree, inSkill, 'ArrowLeft');
    expect(backToDomain.activeId).toBe(algebra!.id);
    expect(press(tree, backToDomain, 'ArrowLeft').expanded.has(algebra!.id)).toBe(false);
  });

  it('Enter activates a skill and toggles a domain', () => {
    const onSkill = press(tree, start, 'ArrowRight', 'ArrowRight', 'ArrowDown');
    expect(treeKey(libraryNodes(tree), onSkill, 'Enter')).toEqual({ kind: 'activate', id: algebra!.skills[1]!.id });
    const toggled = press(tree, start, 'Enter');
    expect(toggled.expanded.has(algebra!.id)).toBe(true);
    expect(press(tree, toggled, 'Enter').expanded.has(algebra!.id)).toBe(false);
  });

  it('Space does what Enter does on a row', () => {
    const onSkill = press(tree, start, 'ArrowRight', 'ArrowRight');
    expect(treeKey(libraryNodes(tree), onSkill, ' ')).toEqual({ kind: 'activate', id: algebra!.skills[0]!.id });
    expect(press(tree, start, ' ').expanded.has(algebra!.id)).toBe(true);
  });

  it('* on a domain expands every domain', () => {
    expect(press(tree, start, '*').expanded.size).toBe(3);
  });

  it('falls back to the first row when the active row is hidden by a collapse', () => {
    const rows = treeRows(libraryNodes(tree), new Set());
    expect(activeIndex(rows, algebra!.skills[0]!.id)).toBe(0);
  });
});
