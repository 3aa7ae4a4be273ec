import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../shell/route';
import { trendPoints } from './DrillProgress';
import { evaluatorText, formatDuration, lastScoreText, planCheckText, scoreChangeText, timerFace } from './drillText';

describe('drill words', () => {
  it('formats durations and the timer', () => {
    expect(formatDuration(42.5)).toBe('43 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(timerFace(0)).toBe('0:00');
    expect(timerFace(75.9)).toBe('1:15');
    expect(timerFace(3600)).toBe('60:00');
  });

  it("says why the plan was not checked with the server, and which level is used meanwhile; nothing when it was", () => {
    const formatTime = (utcMs: number) => `<${utcMs}>`;
    expect(planCheckText({ level: 'PRO', checkedUtcMs: 5, unreadable: null }, formatTime)).toBeNull();
    expect(planCheckText({ level: 'PRO', checkedUtcMs: 5, unreadable: 'Cannot reach the server.' }, formatTime)).toBe(
      'Could not check your plan with the server (Cannot reach the server); using your PRO level, last confirmed on <5>.',
    );
    expect(planCheckText({ level: 'BASIC', checkedUtcMs: null, unreadable: 'HTTP 500' }, formatTime)).toBe(
      'Could not check your plan with the server (HTTP 500); using BASIC until it can be checked.',
    );
  });

  it("names the server's evaluator by what happens offline while the app is offline; other evaluators as they are", () => {
    const server = { kind: 'ai' as const, label: 'Server', offlineLabel: 'Server when online; local rules offline' };
    const own = { kind: 'ai' as const, label: 'Own provider', offlineLabel: null };
    expect(evaluatorText(server, false)).toBe('Server');
    expect(evaluatorText(server, true)).toBe('Server when online; local rules offline');
    expect(evaluatorText(own, true)).toBe('Own provider');
  });

  it('says the last score and the change since the previous attempt in words', () => {
    expect(lastScoreText(null)).toBe('Not tried yet.');
    expect(lastScoreText(71.6)).toBe('Last score 72 of 100.');
    expect(scoreChangeText(12)).toBe('12 points higher');
    expect(scoreChangeText(-1)).toBe('1 point lower');
    expect(scoreChangeText(0)).toBe('the same score');
  });

  it('draws scores from 0 at the bottom to 100 at the top, spread over the width', () => {
    expect(trendPoints([0, 50, 100])).toEqual([
      { x: 0, y: 60 },
      { x: 120, y: 30 },
      { x: 240, y: 0 },
    ]);
    expect(trendPoints([80])).toEqual([{ x: 0, y: 12 }]);
  });
});

describe('drill routes', () => {
  it('round-trip, including a pack question id that is not a UUID', () => {
    for (const route of [
      { name: 'drills' },
      { name: 'drill', questionId: 'ed04c137-60b8-4340-9e92-67e82e94afca' },
      { name: 'drill', questionId: 'motivation 1: why this role?' },
      { name: 'drill-result', sessionId: '0190a0b0-0000-7000-8000-000000000001' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });

  it('sends a malformed drill link to the Drills screen', () => {
    expect(parseRoute('#/drill/')).toEqual({ name: 'drills' });
    expect(parseRoute('#/drill/%E0%A4%A')).toEqual({ name: 'drills' });
    expect(parseRoute('#/drill-result/<script>')).toEqual({ name: 'drills' });
  });
});
