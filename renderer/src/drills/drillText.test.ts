import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../shell/route';
import { trendPoints } from './DrillProgress';
import { drillsContract, drillTranscriptMaxChars } from '../../../shared/ipc/features/drills';
import { answerProblem, evaluatorText, formatDuration, lastScoreText, planCheckText, previousAttemptText, recordedNote, responseText, timerFace, transcriptLimitChars } from './drillText';

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
    expect(previousAttemptText(12, 53)).toBe('12 points higher than last time (53 of 100).');
    expect(previousAttemptText(-1, 66)).toBe('1 point lower than last time (66 of 100).');
    // A sentence of its own: capitalised, and "as", not "than".
    expect(previousAttemptText(0, 65)).toBe('The same score as last time (65 of 100).');
  });

  it('says what keeps an answer from being submitted: no recording, no words, or more than the contract takes', () => {
    expect(answerProblem('spoken', 'Said it.', false)).toBe('Record your answer first (Start, then Stop), or choose to type it.');
    expect(answerProblem('written', ' \n ', false)).toBe('Type your answer before submitting: a transcript is required.');
    expect(answerProblem('spoken', '', true)).toMatch(/^Type what you said before submitting/);
    expect(answerProblem('written', 'x'.repeat(transcriptLimitChars), false)).toBeNull();
    expect(answerProblem('spoken', 'x'.repeat(transcriptLimitChars), true)).toBeNull();
    // One over the limit is refused here, in words, instead of by the channel's schema ("Too big: expected string…").
    expect(answerProblem('written', 'x'.repeat(transcriptLimitChars + 1), false)).toBe(
      `Your answer is ${(20_001).toLocaleString()} characters long; a drill takes at most ${(20_000).toLocaleString()}. Shorten it by 1 character, then submit.`,
    );
    expect(answerProblem('written', 'x'.repeat(25_160), false)).toMatch(/Shorten it by 5,?160 characters, then submit\.$/);
  });

  it('says what to do after a recording: check the transcript, or why there is none, without saying "type it" twice', () => {
    expect(recordedNote(2.4, null)).toBe('Recorded 2 s. Check the transcript below, correct it if needed, then submit.');
    // No provider at all.
    expect(recordedNote(75, { code: 'not_configured', message: 'No transcription provider is set up, so type what you said.' })).toBe(
      'Recorded 1 min 15 s. No transcription service is set up. Type what you said below, then submit.',
    );
    // A provider is set up but has no transcription model: its reason, not "no service is set up".
    const noModel = 'Transcription failed: The provider has no model "whisper-1". You can type what you said instead.';
    expect(recordedNote(3, { code: 'not_configured', message: noModel, details: { providerCode: 'unknown_model', httpStatus: 404 } })).toBe(`Recorded 3 s. ${noModel}`);
    const down = 'Transcription failed: The provider answered HTTP 500. You can type what you said instead.';
    expect(recordedNote(3, { code: 'network', message: down, details: { providerCode: 'provider_error', httpStatus: 500 } })).toBe(`Recorded 3 s. ${down}`);
    expect(recordedNote(3, { code: 'internal', message: 'The recording could not be read.' })).toBe(
      'Recorded 3 s. The recording could not be read. Type what you said below, then submit.',
    );
    // Record again: the transcript of the earlier recording (or text typed before) stays, and is said not to be this one's.
    const earlier = 'The text below is from before this recording: replace it with what you said this time, then submit.';
    expect(recordedNote(3, { code: 'not_configured', message: 'No provider.' }, true)).toBe(`Recorded 3 s. No transcription service is set up. ${earlier}`);
    expect(recordedNote(3, { code: 'network', message: down, details: { providerCode: 'provider_error', httpStatus: 500 } }, true)).toBe(`Recorded 3 s. ${down} ${earlier}`);
    expect(recordedNote(3, null, true)).toBe('Recorded 3 s. Check the transcript below, correct it if needed, then submit.');
  });

  it('says how the answer was given, leaving out a typing time under a second (a pasted answer), never "0 s"', () => {
    expect(responseText({ mode: 'spoken', durationS: 61.6, typingTimeMs: null })).toBe('Spoken for 1 min 2 s.');
    expect(responseText({ mode: 'written', durationS: 30, typingTimeMs: 95_000 })).toBe('Typed. Typing took 1 min 35 s.');
    expect(responseText({ mode: 'written', durationS: 30, typingTimeMs: 1_000 })).toBe('Typed. Typing took 1 s.');
    expect(responseText({ mode: 'written', durationS: 30, typingTimeMs: 400 })).toBe('Typed.');
    expect(responseText({ mode: 'written', durationS: 30, typingTimeMs: 0 })).toBe('Typed.');
    expect(responseText({ mode: 'written', durationS: 30, typingTimeMs: null })).toBe('Typed.');
  });

  it("checks exactly the transcript length drills:submit accepts", () => {
    expect(transcriptLimitChars).toBe(drillTranscriptMaxChars);
    const input = drillsContract.streams['drills:submit'].input;
    const submit = (transcript: string) => input.safeParse({ sessionId: '0190a0b0-0000-7000-8000-000000000001', mode: 'written', transcript, typingTimeMs: 0 }).success;
    expect(submit('x'.repeat(transcriptLimitChars))).toBe(true);
    expect(submit('x'.repeat(transcriptLimitChars + 1))).toBe(false);
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
