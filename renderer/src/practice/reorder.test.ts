import { describe, expect, it } from 'vitest';
import { moveAnnouncement, moveStep } from './reorder';

describe('moveStep', () => {
  it('moves one entry and keeps the others in order, without touching the input', () => {
    const order = [3, 1, 0, 2];
    expect(moveStep(order, 0, 2)).toEqual([1, 0, 3, 2]);
    expect(moveStep(order, 3, 0)).toEqual([2, 3, 1, 0]);
    expect(moveStep(order, 1, 2)).toEqual([3, 0, 1, 2]);
    expect(order).toEqual([3, 1, 0, 2]);
  });

  it('clamps the target and ignores a source outside the list', () => {
    expect(moveStep([0, 1, 2], 0, -4)).toEqual([0, 1, 2]);
    expect(moveStep([0, 1, 2], 0, 99)).toEqual([1, 2, 0]);
    expect(moveStep([0, 1, 2], 7, 0)).toEqual([0, 1, 2]);
  });

  it('a move down then up restores the order', () => {
    const order = [4, 2, 0, 1, 3];
    expect(moveStep(moveStep(order, 1, 2), 2, 1)).toEqual(order);
  });
});

describe('moveAnnouncement', () => {
  it('names the step and its new position', () => {
    expect(moveAnnouncement('Boil water', 2, 4, false)).toBe('“Boil water” moved to position 2 of 4.');
  });
  it('says when a step cannot move further', () => {
    expect(moveAnnouncement('Boil water', 1, 4, true)).toBe('“Boil water” is already first.');
    expect(moveAnnouncement('Serve', 4, 4, true)).toBe('“Serve” is already last.');
  });
});
