import { describe, expect, it } from 'vitest';
import type { TutorMessage } from '../../../shared/ipc/contract';
import { replyEndAnnouncement, replyStatusText, retryableReplyId } from './chatStream';

const message = (id: string, sender: TutorMessage['sender'], status: TutorMessage['status']) => ({ id, sender, status });

describe('a reply core is still writing, seen after the conversation was opened again (e.g. reloaded)', () => {
  const stillArriving = [message('u1', 'user', null), message('t1', 'tutor', null)];

  it('says it is still being written instead of looking complete', () => {
    expect(replyStatusText({ status: null, error: null, text: 'So far' })).toBe('Still being written. Open this conversation again to see the rest.');
    expect(replyStatusText({ status: 'complete', error: null, text: 'All of it.' })).toBeNull();
  });

  it('offers no Retry (core refuses it, and the page has no Stop for it)', () => {
    expect(retryableReplyId(stillArriving, false)).toBeNull();
  });
});

describe('Retry', () => {
  const ended = [message('u1', 'user', null), message('t1', 'tutor', 'stopped'), message('t2', 'tutor', 'complete'), message('u2', 'user', null)];

  it('is offered on the last tutor reply once it ended, even with a learner message after it', () => {
    expect(retryableReplyId(ended, false)).toBe('t2');
  });

  it('is offered on none while a reply streams on this page, or before any reply', () => {
    expect(retryableReplyId(ended, true)).toBeNull();
    expect(retryableReplyId([message('u1', 'user', null)], false)).toBeNull();
  });
});

describe('a stopped reply', () => {
  it('says the part that arrived is kept only when some did', () => {
    expect(replyStatusText({ status: 'stopped', error: null, text: 'The first' })).toBe('Stopped. The part that arrived is kept.');
    expect(replyEndAnnouncement({ status: 'stopped', error: null, text: 'The first' })).toBe('Reply stopped. The part that arrived is kept.');
    expect(replyStatusText({ status: 'stopped', error: null, text: '' })).toBe('Stopped before any of the reply arrived.');
    expect(replyEndAnnouncement({ status: 'stopped', error: null, text: '' })).toBe('Reply stopped before any of it arrived.');
  });
});

describe('a reply the offline tutor gave in place of the chosen back end', () => {
  it('says where to fix the reason: Settings → Sync for a missing sign-in (its reason names it), Settings → Tutor otherwise', () => {
    const signIn = 'The tutor service needs your account, and you are not signed in: sign in under Settings → Sync.';
    expect(replyStatusText({ status: 'complete', error: { code: 'not_signed_in', message: signIn }, text: 'Hint' })).toBe(
      `Your tutor provider was not used, so the offline tutor answered: ${signIn} Then Retry.`,
    );
    const noModel = 'The OpenAI-compatible provider has no base URL or model set.';
    expect(replyStatusText({ status: 'complete', error: { code: 'provider_error', message: noModel }, text: 'Hint' })).toBe(
      `Your tutor provider was not used, so the offline tutor answered: ${noModel} Check Settings → Tutor, then Retry.`,
    );
  });
});
