/**
 * The tutor module with the real SQLite and the fake OpenAI-compatible server: what it stores and queues, the guard on
 * a live stream, stop, retry, provider errors, the offline tutor, the context and the provider settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorChunk } from '../../shared/ipc/contract';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import { createMemoryHostStores } from '../../electron/core/process/fork';
import { createPractice } from '../../electron/core/practice/practice';
import { GUARD_NOTE } from '../../electron/core/tutor/guard';
import { markdownText } from '../../electron/core/tutor/markdown-text';
import { createTutor, titleFromMessage, API_KEY_SECRET, PROVIDER_SETTING } from '../../electron/core/tutor/tutor';
import { toAppError } from '../../shared/errors';
import { providerSettingsPatchSchema } from '../../shared/ipc/features/tutor';
import { ManualClock } from '../helpers/clock';
import { openSampleDatabase } from '../helpers/study-db';
import { visibleMarkdown } from '../helpers/visible-markdown';
import { useTempDirs } from '../helpers/temp';
import { startFakeOpenAi, type FakeOpenAi, type FakeReply } from './fake-openai';

const tempDir = useTempDirs();
const KEY = 'sk-tutor-test-key-42';
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterAll(() => fake.close());

const TWO_X = '9650ef8c-7106-44aa-abf5-4de869dad7ea'; // "Solve 2x = 10." choices 3, 4, 5, 6; 5 is right

function setup(provider: 'fake' | 'offline' | 'unreachable' = 'fake', timeoutMs = 2000) {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
  const { sqlite } = openSampleDatabase(tempDir(), clock);
  const stores = createMemoryHostStores();
  const practice = createPractice(sqlite, { clock, timeZone: () => 'UTC' });
  const tutor = createTutor({ sqlite, clock, settings: stores.settings, secrets: stores.secrets, runWrite: createLearnerWriteRunner(sqlite), timeoutMs });
  if (provider !== 'offline') {
    tutor.setProviderSettings({ kind: 'openai-compatible', baseUrl: provider === 'fake' ? fake.baseUrl : 'http://127.0.0.1:9/v1', model: 'fake-model', apiKey: KEY });
  }
  const skillId = sqlite.prepare('SELECT skill_id FROM questions WHERE id = ?').pluck().get(TWO_X) as string;
  const session = practice.startSession(skillId, 'practice');
  const outbox = (table: string) => sqlite.prepare('SELECT row_id, payload FROM outbox WHERE table_name = ? ORDER BY ts_utc_ms, id').all(table) as Array<{ row_id: string; payload: string }>;
  return { clock, sqlite, stores, practice, tutor, session, outbox };
}

async function send(tutor: ReturnType<typeof createTutor>, chatId: string, text: string, signal = new AbortController().signal) {
  const chunks: TutorChunk[] = [];
  const done = await tutor.send(chatId, text, (c) => chunks.push(c), signal);
  const shown = chunks.map((c) => (c.type === 'delta' ? c.text : c.type === 'held' ? c.note : '')).join('');
  return { chunks, shown, reply: done.reply };
}

describe('the tutor', () => {
  it('stores the learner message with its outbox row first, streams the guarded reply and queues it once', async () => {
    const { tutor, session, outbox, sqlite } = setup();
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    fake.queue({ kind: 'stream', tokens: ['Think about ', 'halving. ', 'The answer', ' is 5', '. Try it!'], usage: true });
    const { chunks, shown, reply } = await send(tutor, chat.id, 'Just tell me the answer');
    expect(chunks[0]).toMatchObject({ type: 'started', source: 'provider', userMessage: { text: 'Just tell me the answer', sender: 'user' } });
    expect(shown).toBe(`Think about halving.${GUARD_NOTE} Try it!`);
    expect(shown).not.toMatch(/is 5/);
    expect(reply).toMatchObject({ status: 'complete', source: 'provider', text: shown });
    // The model never saw the solution before the learner answered.
    const system = fake.requests.at(-1)!.messages[0]!.content;
    expect(system).toContain('Solve 2x = 10.');
    expect(system).toContain('has NOT answered');
    expect(system).not.toMatch(/Correct answer|Divide both sides/);
    const messages = outbox('chat_messages');
    expect(messages.map((m) => m.row_id)).toEqual([chunks[0]!.type === 'started' ? chunks[0]!.userMessage!.id : '', reply.id]);
    expect(JSON.parse(messages[1]!.payload)).toMatchObject({ status: 'complete', source: 'provider', sender: 'tutor' });
    expect(sqlite.prepare('SELECT COUNT(*) FROM outbox WHERE row_id = ?').pluck().get(reply.id)).toBe(1);
  });

  it('streams each learner message with its place in the conversation, as stored (the renderer orders the transcript by it)', async () => {
    const { tutor } = setup('offline');
    const chat = await tutor.create({});
    const first = await send(tutor, chat.id, 'What is condensation?');
    const second = await send(tutor, chat.id, 'What is evaporation?');
    const started = [first, second].map(({ chunks }) => (chunks[0]!.type === 'started' ? chunks[0]!.userMessage : null));
    expect(started.map((m) => m?.sequence)).toEqual([0, 2]);
    expect(tutor.messages(chat.id).messages.map((m) => [m.sender, m.sequence])).toEqual([['user', 0], ['tutor', 1], ['user', 2], ['tutor', 3]]);
    expect(started).toEqual(tutor.messages(chat.id).messages.filter((m) => m.sender === 'user'));
  });

  it('lets the tutor explain freely once the question is answered, and the context then holds the answers and the solution', async () => {
    const { tutor, session, practice } = setup();
    practice.recordAttempt(session.id, TWO_X, { choice: 1 });
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    fake.queue({ kind: 'stream', tokens: ['The answer is 5', ': option C.'] });
    const { shown } = await send(tutor, chat.id, 'Why was I wrong?');
    expect(shown).toBe('The answer is 5: option C.');
    const view = tutor.contextView(chat.id);
    expect(view.context.question).toMatchObject({ answered: true, attempts: [{ answer: { choice: 1 }, isCorrect: false }], solution: { choice: 2 } });
    expect(view.systemMessage).toBe(fake.requests.at(-1)!.messages[0]!.content);
    expect(view.systemMessage).toContain('choice B: wrong');
  });

  it('Stop keeps the partial reply as stopped, and Retry adds a new reply keeping the old', async () => {
    const { tutor, session, outbox } = setup();
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    fake.queue({ kind: 'stream', tokens: ['What ', 'do ', 'you ', 'see? ', 'more ', 'more ', 'more'], delayMs: 30 });
    const controller = new AbortController();
    const chunks: TutorChunk[] = [];
    const running = tutor.send(chat.id, 'Help', (c) => {
      chunks.push(c);
      if (c.type === 'delta') controller.abort();
    }, controller.signal);
    const { reply } = await running;
    expect(reply.status).toBe('stopped');
    expect(reply.text.length).toBeGreaterThan(0);
    expect(tutor.messages(chat.id).messages.at(-1)).toMatchObject({ id: reply.id, status: 'stopped' });
    fake.queue({ kind: 'stream', tokens: ['Full ', 'reply.'] });
    const retried = await tutor.retry(chat.id, reply.id, () => undefined, new AbortController().signal);
    expect(retried.reply).toMatchObject({ status: 'complete', text: 'Full reply.' });
    expect(tutor.messages(chat.id).messages.map((m) => [m.sender, m.status])).toEqual([['user', null], ['tutor', 'stopped'], ['tutor', 'complete']]);
    // The retry's request carried the learner's message, not the stopped reply.
    expect(fake.requests.at(-1)!.messages.slice(1)).toEqual([{ role: 'user', content: 'Help' }]);
    expect(outbox('chat_messages')).toHaveLength(3);
  });

  it('keeps what arrived with a specific error: bad key, 429, disconnect', async () => {
    const { tutor, session } = setup();
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    fake.queue({ kind: 'http', status: 429, headers: { 'retry-after': '30' } });
    expect((await send(tutor, chat.id, 'hi')).reply).toMatchObject({ status: 'failed', error: { code: 'rate_limited', retryAfterSeconds: 30 } });
    fake.queue({ kind: 'disconnect', tokens: ['Par', 'tial. '] });
    expect((await send(tutor, chat.id, 'again')).reply).toMatchObject({ status: 'interrupted', text: 'Partial. ', error: { code: 'network' } });
    fake.queue({ kind: 'stream', tokens: ['No finish. '], finish: false });
    // The reason says only why: the reply's status line already says that what arrived is kept (it read twice).
    expect((await send(tutor, chat.id, 'once more')).reply).toMatchObject({ status: 'interrupted', error: { code: 'ended_early', message: 'The provider ended the reply before finishing it.' } });
    tutor.setProviderSettings({ apiKey: 'sk-wrong-wrong-wrong' });
    const bad = (await send(tutor, chat.id, 'key?')).reply;
    expect(bad).toMatchObject({ status: 'failed', error: { code: 'bad_key' } });
    expect(JSON.stringify(bad)).not.toContain('sk-wrong-wrong-wrong');
  });

  it('a reply cut at the length limit or by a content filter keeps its text, stored and queued as interrupted with the reason; one that stopped is complete', async () => {
    const { tutor, session, outbox } = setup();
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    fake.queue({ kind: 'stream', tokens: ['Start by ', 'looking at what 2x ', 'means, then'], finish: 'length' });
    const cut = (await send(tutor, chat.id, 'Explain it at length')).reply;
    const lengthLimit = { code: 'ended_early', message: 'The reply reached its length limit.' };
    expect(cut).toMatchObject({ status: 'interrupted', text: 'Start by looking at what 2x means, then', error: lengthLimit });
    expect(tutor.messages(chat.id).messages.at(-1)).toMatchObject({ id: cut.id, status: 'interrupted', text: cut.text, error: lengthLimit });
    expect(JSON.parse(outbox('chat_messages').find((m) => m.row_id === cut.id)!.payload)).toMatchObject({ status: 'interrupted', message_content: cut.text });
    fake.queue({ kind: 'stream', tokens: ['What does ', '2x mean?'], finish: 'stop' });
    expect((await send(tutor, chat.id, 'Shorter, please')).reply).toMatchObject({ status: 'complete', text: 'What does 2x mean?', error: null });
    fake.queue({ kind: 'stream', tokens: ['Filtered ', 'midway'], finish: 'content_filter' });
    expect((await send(tutor, chat.id, 'And then?')).reply).toMatchObject({
      status: 'interrupted',
      text: 'Filtered midway',
      error: { code: 'ended_early', message: "The provider's content filter stopped the reply." },
    });
    // A finish_reason the app does not know (here an object's inherited key) ends the reply as complete.
    fake.queue({ kind: 'stream', tokens: ['Odd ', 'ending.'], finish: 'constructor' });
    expect((await send(tutor, chat.id, 'Last one')).reply).toMatchObject({ status: 'complete', text: 'Odd ending.', error: null });
  });

  it('without a provider, the offline tutor climbs the hint ladder and never shows the worked example before an answer', async () => {
    const { tutor, session, practice } = setup('offline');
    const chat = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { reply, chunks } = await send(tutor, chat.id, 'I am stuck');
      expect(chunks[0]).toMatchObject({ type: 'started', source: 'offline' });
      // The offline tutor is the one chosen: nothing to say about a provider.
      expect(reply).toMatchObject({ source: 'offline', status: 'complete', error: null });
      replies.push(reply.text);
    }
    expect(replies[0]).toContain('Solve 2x = 10.');
    expect(replies[1]).toContain('Solve one- and two-step equations by keeping both sides balanced.');
    expect(replies[2]).toContain('Divide both sides by 2 to undo the multiplication');
    expect(replies[3]).toMatch(/once you've answered/);
    expect(replies.join(' ')).not.toMatch(/= 5|x = 10 ÷ 2/);
    practice.recordAttempt(session.id, TWO_X, { choice: 2 });
    const { reply } = await send(tutor, chat.id, 'Show me');
    expect(reply.text).toContain('x = 10 ÷ 2 = 5');
  });

  it('answers "what is…" offline by quoting and linking local content, and says when it found nothing', async () => {
    const { tutor, sqlite } = setup('unreachable');
    const chat = await tutor.create({});
    const { reply } = await send(tutor, chat.id, 'What is condensation?');
    // The reply says why the provider was not used, as sent and as stored (a reload shows it too).
    expect(reply).toMatchObject({ source: 'offline', status: 'complete', error: { code: 'network', message: expect.stringContaining('http://127.0.0.1:9/v1') as unknown } });
    expect(tutor.messages(chat.id).messages.at(-1)).toEqual(reply);
    // An in-app link to the question's skill: the reply's Markdown keeps only those in the window (a study: link was emptied).
    const skillId = sqlite.prepare('SELECT skill_id FROM questions WHERE id = ?').pluck().get('4990031d-8ae4-4cc3-931a-5125c5764bf0') as string;
    expect(reply.text).toContain(`](#/skill/${skillId})`);
    expect(reply.text).toContain('> Water vapour in the air cools when it touches the cold glass');
    const nothing = await send(tutor, chat.id, 'What is photosynthesis?');
    expect(nothing.reply.text).toMatch(/found nothing about "photosynthesis"/);
  });

  it('answers offline, saying why, when the provider stays silent past its time limit before any text; text that arrived is kept', async () => {
    const { tutor, outbox } = setup('fake', 300);
    const chat = await tutor.create({});
    const late = { code: 'timeout', message: 'The provider did not answer within 0.3 s; it may be busy, or still loading its model.' };
    // Silent before its answer (no status line), and silent once its stream began (no token yet): the offline tutor stands in.
    for (const silence of [{ kind: 'silent' }, { kind: 'stall', tokens: [] }] satisfies FakeReply[]) {
      fake.queue(silence);
      const { chunks, reply } = await send(tutor, chat.id, 'What is condensation?');
      expect(chunks.filter((c) => c.type === 'started').map((c) => c.type === 'started' && c.source)).toEqual(['provider', 'offline']);
      expect(reply).toMatchObject({ source: 'offline', status: 'complete', error: late });
      expect(reply.text).toContain('> Water vapour in the air cools when it touches the cold glass');
      // As stored (a reload shows it) and as queued for sync.
      expect(tutor.messages(chat.id).messages.at(-1)).toEqual(reply);
      expect(JSON.parse(outbox('chat_messages').find((m) => m.row_id === reply.id)!.payload)).toMatchObject({ source: 'offline', status: 'complete', error: JSON.stringify(late) });
    }
    // Silent after some text: the reply keeps what arrived, from the provider, as before.
    fake.queue({ kind: 'stall', tokens: ['Think about ', 'cold glass. '] });
    const { reply } = await send(tutor, chat.id, 'And then?');
    expect(reply).toMatchObject({ source: 'provider', status: 'failed', text: 'Think about cold glass. ', error: { code: 'timeout' } });
  });

  it('answers offline when the chosen OpenAI-compatible provider has no base URL or model yet, and says so', async () => {
    const { tutor, stores } = setup('offline');
    stores.settings.setValue(PROVIDER_SETTING, { kind: 'openai-compatible', baseUrl: '', model: '' });
    const chat = await tutor.create({});
    const { reply } = await send(tutor, chat.id, 'What is condensation?');
    expect(reply).toMatchObject({ source: 'offline', status: 'complete', error: { code: 'provider_error', message: 'The OpenAI-compatible provider has no base URL or model set.' } });
  });

  it('names a chat nobody named from the learner\'s first message, as stored and as text; a named chat keeps its title', async () => {
    const { tutor, session } = setup('offline');
    const chat = await tutor.create({});
    expect(chat.title).toBe('New conversation');
    const first = '  Why does <b>ice</b> float\non water when   most solids sink in their own liquid?  ';
    const { chunks } = await send(tutor, chat.id, first);
    const title = 'Why does <b>ice</b> float on water when most solids sink in…';
    expect(chunks[0]).toMatchObject({ type: 'started', title });
    await send(tutor, chat.id, 'And what about steel?');
    expect(tutor.messages(chat.id).conversation.title).toBe(title);
    expect(tutor.list(10).find((c) => c.id === chat.id)?.title).toBe(title);

    const named = await tutor.create({ title: 'Floating' });
    expect((await send(tutor, named.id, 'Why does ice float?')).chunks[0]).toMatchObject({ title: 'Floating' });
    const about = await tutor.create({ question: { sessionId: session.id, questionId: TWO_X } });
    await send(tutor, about.id, 'Help');
    expect(tutor.messages(about.id).conversation.title).toBe('About: Solve 2x = 10.');
  });

  it('shortens a title from a message at a word boundary, or inside a word too long for it', () => {
    expect(titleFromMessage(' What is a bit? ')).toBe('What is a bit?');
    expect(titleFromMessage(`${'a'.repeat(55)} bcdefghij, more`)).toBe(`${'a'.repeat(55)}…`);
    expect(titleFromMessage(`${'word '.repeat(13)}end`)).toBe(`${'word '.repeat(12).trim()}…`);
    expect(titleFromMessage('x'.repeat(80))).toBe(`${'x'.repeat(60)}…`);
  });

  it('lists conversations newest first with their last message, renames, deletes (inactive, queued) and exports Markdown', async () => {
    const { tutor, clock, outbox } = setup('offline');
    const first = await tutor.create({ title: 'First' });
    clock.advance(1000);
    const second = await tutor.create({ title: 'Second' });
    clock.advance(1000);
    await send(tutor, first.id, 'What is condensation?');
    expect(tutor.list(10).map((c) => c.title)).toEqual(['First', 'Second']);
    expect(tutor.list(10)[0]!.lastMessage).toMatchObject({ sender: 'tutor', status: 'complete' });
    await tutor.rename(second.id, 'Renamed');
    await tutor.remove(first.id);
    expect(tutor.list(10).map((c) => c.title)).toEqual(['Renamed']);
    expect(JSON.parse(outbox('chat_sessions').at(-1)!.payload)).toMatchObject({ id: first.id, is_active: false });
    expect(toAppError(await tutor.rename(first.id, 'x').catch((e: unknown) => e)).code).toBe('not_found');
    const exported = tutor.exportMarkdown(second.id);
    expect(exported).toMatchObject({ fileName: 'renamed.md' });
    expect(exported.markdown).toMatch(/^# Renamed/);
  });

  it('exports why the offline tutor stood in for a reply, in one line under it; a reply from the offline tutor the learner chose has none', async () => {
    const { tutor } = setup('unreachable');
    const chat = await tutor.create({ title: 'Condensation' });
    const standIn = (await send(tutor, chat.id, 'What is condensation?')).reply;
    tutor.setProviderSettings({ kind: 'offline' });
    const chosen = (await send(tutor, chat.id, 'What is evaporation?')).reply;
    const { markdown } = tutor.exportMarkdown(chat.id);
    const why = `_${markdownText(`Your tutor provider was not used, so the offline tutor answered: ${standIn.error!.message}`)}_`;
    expect(standIn.error!.message).toContain('http://127.0.0.1:9/v1');
    expect(markdown).toContain(`${standIn.text}\n\n${why}\n\n## You\n\nWhat is evaporation?`);
    expect(markdown.endsWith(`${chosen.text}\n`)).toBe(true);
    expect(markdown.split('was not used')).toHaveLength(2);
  });

  it('exports an interrupted and a failed reply with their reasons, in the words of the chat\'s status line', async () => {
    const { tutor } = setup();
    const chat = await tutor.create({ title: 'Reasons' });
    fake.queue({ kind: 'stream', tokens: ['Start by ', 'halving'], finish: 'length' });
    const cut = (await send(tutor, chat.id, 'Explain at length')).reply;
    fake.queue({ kind: 'http', status: 429, headers: { 'retry-after': '30' } });
    const failed = (await send(tutor, chat.id, 'Again')).reply;
    expect(failed).toMatchObject({ status: 'failed', text: '' });
    const { markdown } = tutor.exportMarkdown(chat.id);
    expect(markdown).toContain('## Tutor _(interrupted)_\n\nStart by halving\n\n_Interrupted before the end; what arrived is kept. The reply reached its length limit._\n\n## You');
    expect(markdown).toContain(`## Tutor _(failed)_\n\n\n\n_Failed. ${failed.error!.message}_\n`);
    expect(cut.status).toBe('interrupted');
  });

  it("exports a title, the learner's message and a reason as the text they are, and the reply's own Markdown as Markdown", async () => {
    const { tutor } = setup();
    const title = '# x *y* [link](http://a) <b>&amp;</b> #';
    const chat = await tutor.create({ title });
    const asked = 'Is `x` < 5?\n- yes\n1. no';
    fake.queue({ kind: 'http', status: 500, body: { error: { message: 'use `max_tokens` < 4096 & *not* <b>x</b>_y_' } } });
    const failed = (await send(tutor, chat.id, asked)).reply;
    expect(failed.error!.message).toContain('*not* <b>x</b>_y_');
    fake.queue({ kind: 'stream', tokens: ['**Halve** both sides.'] });
    await send(tutor, chat.id, 'Hint?');
    const blocks = tutor.exportMarkdown(chat.id).markdown.split('\n\n');
    expect(visibleMarkdown(blocks[0]!)).toEqual({ text: title, nodes: ['heading'] });
    expect(visibleMarkdown(blocks[blocks.indexOf('## You') + 1]!)).toEqual({ text: asked, nodes: ['paragraph', 'break', 'break'] });
    expect(visibleMarkdown(blocks.find((b) => b.startsWith('_Failed.'))!)).toEqual({ text: `Failed. ${failed.error!.message}`, nodes: ['paragraph', 'emphasis'] });
    expect(blocks.at(-1)).toBe('**Halve** both sides.\n');
  });

  it('refuses a chat about a running test session, and never returns the key', async () => {
    const { tutor, practice, sqlite, stores } = setup();
    const skillId = sqlite.prepare('SELECT skill_id FROM questions WHERE id = ?').pluck().get(TWO_X) as string;
    const test = practice.startSession(skillId, 'test');
    const refused = await tutor.create({ question: { sessionId: test.id, questionId: TWO_X } }).catch((e: unknown) => toAppError(e));
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect(tutor.providerSettings()).toEqual({ kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model', hasApiKey: true });
    expect(JSON.stringify(stores.snapshot().values)).not.toContain(KEY);
    expect(stores.secretValues.get(API_KEY_SECRET)).toBe(KEY);
    expect(await tutor.testConnection()).toEqual({ ok: true, models: ['fake-model'], modelFound: true, error: null });
    tutor.setProviderSettings({ apiKey: null });
    expect(tutor.providerSettings().hasApiKey).toBe(false);
  });

  it('tests the settings the form holds, unsaved, and stores nothing', async () => {
    const { tutor, stores } = setup();
    const saved = tutor.providerSettings();
    await expect(tutor.testConnection({ kind: 'offline' })).resolves.toMatchObject({ ok: false, error: { message: expect.stringContaining('offline tutor') as unknown } });
    await expect(tutor.testConnection({ baseUrl: 'http://127.0.0.1:9/v1' })).resolves.toMatchObject({ ok: false, error: { code: 'network' } });
    await expect(tutor.testConnection({ apiKey: null })).resolves.toMatchObject({ ok: false, error: { code: 'bad_key' } });
    await expect(tutor.testConnection({ model: 'other-model' })).resolves.toEqual({ ok: true, models: ['fake-model'], modelFound: false, error: null });
    expect(tutor.providerSettings()).toEqual(saved);
    expect(stores.secretValues.get(API_KEY_SECRET)).toBe(KEY);
    await expect(tutor.testConnection({})).resolves.toMatchObject({ ok: true, modelFound: true });
  });

  it('a pasted API key is stored without the spaces around it', () => {
    expect(providerSettingsPatchSchema.parse({ apiKey: `  ${KEY}\n` })).toEqual({ apiKey: KEY });
    expect(providerSettingsPatchSchema.safeParse({ apiKey: '   ' }).success).toBe(false);
  });
});
