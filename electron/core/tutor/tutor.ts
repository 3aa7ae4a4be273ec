/**
 * The tutor: conversations stored as chat_sessions / chat_messages (synced through the outbox), replies streamed from
 * the configured provider or the offline tutor, every chunk through the answer guard. The learner's message is written
 * with its outbox row before the request; a reply is written locally as it streams (partial text every
 * PARTIAL_SAVE_MS) and queued for sync once, when it ends. A reply left streaming by a crash or quit is marked
 * interrupted at the next start.
 */
import { AppFailure, toAppError } from '../../../shared/errors';
import {
  offlineTutorLabel,
  tutorContextSchema,
  type ConnectionTest,
  type Conversation,
  type ConversationSummary,
  type ProviderSettings,
  type ProviderSettingsPatch,
  type ReplySource,
  type ReplyStatus,
  type TutorChunk,
  type TutorContext,
  type TutorContextView,
  type TutorError,
  type TutorMessage,
} from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import type { LearnerWriteRunner } from '../ipc/learner-writes';
import { currentLearnerId, ensureLearnerId } from '../learner/identity';
import type { Clock, SecretStore, SettingsStore } from '../ports';
import { parseJson } from '../practice/json';
import { createOutboxWriter } from '../sync/outbox-writer';
import { endedEarlyText, offlineStandInText } from '../../../shared/tutor/labels';
import { CONTEXT_EVENT } from '../../../supabase/functions/_shared/tutor-prompt';
import { buildContext, systemMessage, type QuestionRef } from './context';
import { createGuard, type GuardOutput } from './guard';
import { markdownText } from './markdown-text';
import { createOfflineTutor } from './offline';
import { DEFAULT_PROVIDER_TIMEOUT_MS, listModels, ProviderFailure, streamChatCompletion, type ChatMessage, type ProviderEndpoint } from './provider-client';

export interface Tutor {
  list(limit: number): ConversationSummary[];
  create(input: { title?: string | undefined; question?: { sessionId: string; questionId: string } | undefined }): Promise<Conversation>;
  rename(chatId: string, title: string): Promise<Conversation>;
  remove(chatId: string): Promise<{ chatId: string }>;
  exportMarkdown(chatId: string): { fileName: string; markdown: string };
  messages(chatId: string): { conversation: Conversation; messages: TutorMessage[] };
  contextView(chatId: string): TutorContextView;
  providerSettings(): ProviderSettings;
  /** The OpenAI-compatible provider the learner configured, ready to call (drills' AI evaluator uses it too); null when none. */
  providerEndpoint(): ProviderEndpoint | null;
  setProviderSettings(patch: ProviderSettingsPatch): ProviderSettings;
  /** Probes the stored settings with `draft`'s fields in their place (unsaved form values); nothing is stored. */
  testConnection(draft?: ProviderSettingsPatch): Promise<ConnectionTest>;
  send(chatId: string, text: string, emit: (chunk: TutorChunk) => void, signal: AbortSignal): Promise<{ reply: TutorMessage }>;
  retry(chatId: string, replyId: string, emit: (chunk: TutorChunk) => void, signal: AbortSignal): Promise<{ reply: TutorMessage }>;
}

export interface TutorDeps {
  sqlite: Sqlite;
  clock: Clock;
  settings: SettingsStore;
  secrets: SecretStore;
  runWrite: LearnerWriteRunner;
  /** A learner write happened (schedules a push). */
  onLearnerWrite?: () => void;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * The sync server and the signed-in learner's access token (for the edge function); null when not configured or signed
   * out. Throws the session's failure when the token cannot be renewed: AppFailure 'auth_failed' (the server ended the
   * session: signed out) or another (the server could not be reached).
   */
  edgeAccess?: () => Promise<EdgeAccess | null>;
}

export interface EdgeAccess {
  url: string;
  anonKey: string;
  accessToken: string;
}

/** The edge function's access from the sync service: its server and the signed-in learner's fresh access token. */
export function edgeAccessVia(sync: { accountServer(): { url: string; anonKey: string; tokens: { accessToken(): Promise<string> } } | null }) {
  return async (): Promise<EdgeAccess | null> => {
    const server = sync.accountServer();
    return server ? { url: server.url, anonKey: server.anonKey, accessToken: await server.tokens.accessToken() } : null;
  };
}

/** Where a reply comes from when it is not the offline tutor. */
interface Target {
  endpoint: ProviderEndpoint;
  source: 'provider' | 'edge';
}

/** The edge function's path on a Supabase project, as Supabase mounts functions. */
export const EDGE_FUNCTION_PATH = '/functions/v1/tutor';

export const PROVIDER_SETTING = 'tutor.provider';
export const API_KEY_SECRET = 'tutor.apiKey';
/** How often a streaming reply's text is saved locally, so a crash keeps what arrived. */
export const PARTIAL_SAVE_MS = 250;
const DEFAULT_TITLE = 'New conversation';
/** A title taken from the learner's first message is at most this long (then cut at a word, with an ellipsis). */
export const MESSAGE_TITLE_MAX = 60;

/**
 * A chat's title from the learner's first message: its text on one line, trimmed, cut at the last word boundary that fits
 * (a single long word is cut where it must). Stored as plain text, like any title the learner types.
 */
export function titleFromMessage(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= MESSAGE_TITLE_MAX) return line;
  const lastSpace = line.lastIndexOf(' ', MESSAGE_TITLE_MAX);
  return `${line.slice(0, lastSpace > 0 ? lastSpace : MESSAGE_TITLE_MAX).replace(/[,;:.!?-]+$/, '')}…`;
}

/**
 * finish_reason values (OpenAI's) that end a reply before its end, with what the learner is told; any other is complete.
 * A Map: the provider's text must not reach an object's inherited keys ("constructor"). Like every reason of an interrupted
 * reply, they say only why: the reply's status line already says that what arrived is kept.
 */
const cutShortReasons = new Map([
  ['length', 'The reply reached its length limit.'],
  ['content_filter', "The provider's content filter stopped the reply."],
]);

interface SessionRow {
  id: string;
  user_id: string;
  chat_name: string | null;
  context_snapshot: string | null;
  skill_id: string | null;
  is_active: 0 | 1;
  created_utc_ms: number;
  updated_utc_ms: number;
}
interface MessageRow {
  id: string;
  chat_id: string;
  sender: 'user' | 'tutor' | 'system';
  message_content: string | null;
  tool_calls: string;
  sequence: number;
  created_utc_ms: number;
  status: ReplyStatus | null;
  source: ReplySource | null;
  error: string | null;
}

/** The stored snapshot: the context plus the question the chat is about (kept to rebuild it at each send). */
interface Snapshot {
  ref: QuestionRef | null;
  context: TutorContext;
}

function toConversation(row: SessionRow): Conversation {
  const snapshot = parseJson<Snapshot>(row.context_snapshot);
  return {
    id: row.id,
    title: row.chat_name ?? DEFAULT_TITLE,
    skillId: row.skill_id,
    questionId: snapshot?.ref?.questionId ?? null,
    createdUtcMs: row.created_utc_ms,
    updatedUtcMs: row.updated_utc_ms,
  };
}

function toMessage(row: MessageRow): TutorMessage {
  return {
    id: row.id,
    chatId: row.chat_id,
    sender: row.sender,
    text: row.message_content ?? '',
    status: row.status,
    source: row.source,
    error: parseJson<TutorError>(row.error),
    sequence: row.sequence,
    createdUtcMs: row.created_utc_ms,
  };
}

export function createTutor(deps: TutorDeps): Tutor {
  const { sqlite, clock, settings, secrets, runWrite } = deps;
  const outbox = createOutboxWriter(sqlite);
  const offline = createOfflineTutor(sqlite);

  const sessionById = sqlite.prepare('SELECT * FROM chat_sessions WHERE id = ? AND is_active = 1');
  const messagesOf = sqlite.prepare(
    'SELECT id, chat_id, sender, message_content, tool_calls, sequence, created_utc_ms, status, source, error FROM chat_messages WHERE chat_id = ? ORDER BY sequence',
  );
  const messageById = sqlite.prepare(
    'SELECT id, chat_id, sender, message_content, tool_calls, sequence, created_utc_ms, status, source, error FROM chat_messages WHERE id = ?',
  );
  const nextSequence = sqlite.prepare('SELECT COALESCE(MAX(sequence) + 1, 0) FROM chat_messages WHERE chat_id = ?').pluck();
  const insertMessage = sqlite.prepare(
    `INSERT INTO chat_messages (id, chat_id, sender, message_content, tool_calls, sequence, created_utc_ms, status, source, error)
     VALUES (@id, @chat_id, @sender, @message_content, @tool_calls, @sequence, @created_utc_ms, @status, @source, @error)`,
  );
  const savePartial = sqlite.prepare('UPDATE chat_messages SET message_content = ? WHERE id = ? AND status IS NULL');
  const finishReply = sqlite.prepare('UPDATE chat_messages SET message_content = ?, status = ?, error = ? WHERE id = ? AND status IS NULL');
  const upsertSession = sqlite.prepare(
    `INSERT INTO chat_sessions (id, user_id, chat_name, context_snapshot, skill_id, is_active, created_utc_ms, updated_utc_ms)
     VALUES (@id, @user_id, @chat_name, @context_snapshot, @skill_id, @is_active, @created_utc_ms, @updated_utc_ms)
     ON CONFLICT (id) DO UPDATE SET chat_name = excluded.chat_name, context_snapshot = excluded.context_snapshot,
       skill_id = excluded.skill_id, is_active = excluded.is_active, updated_utc_ms = excluded.updated_utc_ms`,
  );

  const requireSession = (chatId: string): SessionRow => {
    const row = sessionById.get(chatId) as SessionRow | undefined;
    if (!row) throw new AppFailure('not_found', `Conversation ${chatId} does not exist (or was deleted).`);
    return row;
  };

  /** Writes the session row and queues it; inside the caller's transaction. */
  const saveSession = (row: SessionRow) => {
    upsertSession.run(row);
    outbox.enqueue('chat_sessions', row, row.updated_utc_ms);
  };
  const queueMessage = (row: MessageRow, userId: string) => {
    outbox.enqueue('chat_messages', { ...row }, clock.now(), userId);
  };
  const written = <T>(value: T): T => {
    deps.onLearnerWrite?.();
    return value;
  };

  // A reply left streaming by a crash or quit keeps what arrived, marked interrupted, and is queued once.
  const leftovers = sqlite
    .prepare(
      `SELECT m.id, m.chat_id, m.sender, m.message_content, m.tool_calls, m.sequence, m.created_utc_ms, m.status, m.source, m.error, s.user_id
       FROM chat_messages m JOIN chat_sessions s ON s.id = m.chat_id WHERE m.sender = 'tutor' AND m.status IS NULL`,
    )
    .all() as Array<MessageRow & { user_id: string }>;
  if (leftovers.length > 0) {
    const error: TutorError = { code: 'ended_early', message: 'The app closed while this reply was arriving. Retry for a full reply.' };
    sqlite.transaction(() => {
      for (const { user_id, ...row } of leftovers) {
        const done = { ...row, status: 'interrupted' as const, error: JSON.stringify(error) };
        finishReply.run(done.message_content, done.status, done.error, done.id);
        queueMessage(done, user_id);
      }
    })();
  }

  const providerSettings = (): ProviderSettings => {
    const stored = settings.getValue<Partial<ProviderSettings>>(PROVIDER_SETTING) ?? {};
    return {
      kind: stored.kind ?? 'offline',
      baseUrl: stored.baseUrl ?? '',
      model: stored.model ?? '',
      hasApiKey: secrets.get(API_KEY_SECRET) !== null,
    };
  };

  const transport = {
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  };

  /** The settings in use: the stored ones, or those with a draft's fields (unsaved form values) in their place. */
  type Config = { kind: ProviderSettings['kind']; baseUrl: string; model: string; apiKey: string | null };
  const config = (draft: ProviderSettingsPatch = {}): Config => {
    const stored = providerSettings();
    return {
      kind: draft.kind ?? stored.kind,
      baseUrl: draft.baseUrl ?? stored.baseUrl,
      model: draft.model ?? stored.model,
      apiKey: draft.apiKey === undefined ? secrets.get(API_KEY_SECRET) : draft.apiKey,
    };
  };

  /** The configured OpenAI-compatible server, or null. */
  const endpoint = (using: Config = config()): ProviderEndpoint | null => {
    if (using.kind !== 'openai-compatible' || !using.baseUrl || !using.model) return null;
    return { baseUrl: using.baseUrl, model: using.model, apiKey: using.apiKey, ...transport };
  };

  /**
   * The configured back end; or, when there is none, why (null when the offline tutor is the one chosen). The offline
   * tutor then answers, and the reason is stored as the reply's error, so the reply says its provider was not used and why.
   */
  type Choice = { backEnd: Target; unused: null } | { backEnd: null; unused: TutorError | null };
  const target = async (using: Config = config()): Promise<Choice> => {
    const provider = endpoint(using);
    if (provider) return { backEnd: { source: 'provider', endpoint: provider }, unused: null };
    if (using.kind === 'offline') return { backEnd: null, unused: null };
    if (using.kind !== 'edge-function') {
      return { backEnd: null, unused: { code: 'provider_error', message: 'The OpenAI-compatible provider has no base URL or model set.' } };
    }
    const signedOut: Choice = {
      backEnd: null,
      unused: { code: 'not_signed_in', message: 'The tutor service needs your account, and you are not signed in: sign in under Settings → Sync.' },
    };
    let access: EdgeAccess | null;
    try {
      access = (await deps.edgeAccess?.()) ?? null;
    } catch (err) {
      // The session could not be renewed: the server ended it (so the learner is signed out now), or it could not be
      // reached (the session layer's words say why: connection refused, name not found, no answer in time…).
      const failure = toAppError(err);
      if (failure.code === 'auth_failed') return signedOut;
      const code = failure.code === 'network' ? 'network' : 'provider_error';
      return { backEnd: null, unused: { code, message: `The tutor service could not be used: ${failure.message}` } };
    }
    if (!access) return signedOut;
    const endpointOfEdge: ProviderEndpoint = {
      baseUrl: `${access.url}${EDGE_FUNCTION_PATH}`,
      // The function chooses the model; the learner's access token stands where an API key would.
      model: '',
      apiKey: access.accessToken,
      headers: { apikey: access.anonKey },
      service: 'edge-function',
      ...transport,
    };
    return { backEnd: { source: 'edge', endpoint: endpointOfEdge }, unused: null };
  };

  /**
   * Why the offline tutor stands in for a back end that failed before any text, or null when that failure ends the reply
   * (a refused key, an unknown model, a malformed stream: answering offline would hide what the learner must fix).
   * Unreachable: the client's reason, which names the address. Silent past the time limit: how long it was given.
   */
  const standInReason = (error: TutorError, backEnd: Target): TutorError | null => {
    if (error.code === 'network') return error;
    if (error.code !== 'timeout') return null;
    const who = backEnd.source === 'edge' ? 'The tutor service' : 'The provider';
    const seconds = Number(((backEnd.endpoint.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS) / 1000).toFixed(1));
    return { code: 'timeout', message: `${who} did not answer within ${seconds} s; it may be busy, or still loading its model.` };
  };

  /** Rebuilds the context for the chat (the learner may have answered since) and stores it on the session. */
  const refreshContext = (session: SessionRow, nowMs: number): { row: SessionRow; built: ReturnType<typeof buildContext>; ref: QuestionRef | null } => {
    const ref = parseJson<Snapshot>(session.context_snapshot)?.ref ?? null;
    const built = buildContext(sqlite, ref, session.skill_id, session.user_id, nowMs);
    const snapshot: Snapshot = { ref, context: built.context };
    return { row: { ...session, context_snapshot: JSON.stringify(snapshot), updated_utc_ms: Math.max(nowMs, session.updated_utc_ms) }, built, ref };
  };

  /** The model's view of the conversation: only the last of consecutive tutor replies (a retry replaces the old one there). */
  const history = (rows: MessageRow[]): ChatMessage[] => {
    const out: ChatMessage[] = [];
    for (const row of rows) {
      if (row.sender === 'system' || !row.message_content) continue;
      const role = row.sender === 'user' ? 'user' : 'assistant';
      if (role === 'assistant' && out.at(-1)?.role === 'assistant') out.pop();
      out.push({ role, content: row.message_content });
    }
    return out;
  };

  /** Streams one reply to `prior` (the conversation up to the learner's message), storing it as it goes. */
  const streamReply = async (
    session: SessionRow,
    prior: MessageRow[],
    user: MessageRow | null,
    emit: (chunk: TutorChunk) => void,
    signal: AbortSignal,
  ): Promise<{ reply: TutorMessage }> => {
    const nowMs = clock.now();
    const { row: refreshed, built } = refreshContext(session, nowMs);
    // A chat nobody named is named by the learner's first message (a rename, or a chat about a question, keeps its title).
    if (user && (session.chat_name ?? DEFAULT_TITLE) === DEFAULT_TITLE && !prior.some((m) => m.sender === 'user')) {
      refreshed.chat_name = titleFromMessage(user.message_content ?? '');
    }
    const title = refreshed.chat_name ?? DEFAULT_TITLE;
    const using = config();
    const { backEnd, unused } = await target(using);
    const reply: MessageRow = {
      id: uuidv7(nowMs),
      chat_id: session.id,
      sender: 'tutor',
      message_content: '',
      tool_calls: '[]',
      sequence: 0,
      created_utc_ms: nowMs,
      status: null,
      source: backEnd?.source ?? 'offline',
      error: null,
    };
    // Why the offline tutor answers instead of the chosen back end, if it does; kept on the reply as it ends.
    let fallback = unused;
    // One transaction (one fsync) before the request: the learner's message with its outbox row, the refreshed
    // context, and the reply's row that partial text is saved into.
    await runWrite(() =>
      sqlite.transaction(() => {
        if (user) {
          user.sequence = nextSequence.get(session.id) as number;
          insertMessage.run(user);
          queueMessage(user, session.user_id);
        }
        saveSession(refreshed);
        reply.sequence = nextSequence.get(session.id) as number;
        insertMessage.run(reply);
      })(),
    );
    if (user) deps.onLearnerWrite?.();
    // The learner's message as stored: taken after the transaction gave it its place in the conversation (its sequence),
    // which the renderer orders the transcript by.
    const userMessage = user ? toMessage(user) : null;
    emit({ type: 'started', userMessage, replyId: reply.id, source: reply.source!, title });

    const guard = createGuard(built.secret);
    let shown = '';
    let lastSave = performance.now();
    const reveal = (outputs: GuardOutput[]) => {
      for (const out of outputs) {
        shown += out.type === 'delta' ? out.text : out.note;
        emit(out);
      }
    };
    const show = (outputs: GuardOutput[]) => {
      reveal(outputs);
      if (performance.now() - lastSave >= PARTIAL_SAVE_MS) {
        savePartial.run(shown, reply.id);
        lastSave = performance.now();
      }
    };

    // Ends the reply once: the text shown so far (plus what the guard still held and passes), its status, queued.
    let finished: MessageRow | null = null;
    const finish = (status: ReplyStatus, error: TutorError | null): MessageRow => {
      if (finished) return finished;
      // After a Stop the emit is dropped by the host; the text is kept either way.
      reveal(guard.flush());
      const done: MessageRow = { ...reply, message_content: shown, status, error: error ? JSON.stringify(error) : null };
      const ended = clock.now();
      sqlite.transaction(() => {
        finishReply.run(done.message_content, done.status, done.error, done.id);
        queueMessage(done, session.user_id);
        saveSession({ ...refreshed, updated_utc_ms: Math.max(ended, refreshed.updated_utc_ms) });
      })();
      finished = done;
      deps.onLearnerWrite?.();
      return done;
    };
    // Stop: the cancel reaches the caller at once, so the partial reply is stored synchronously, before any next request.
    const onAbort = () => finish('stopped', null);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) return { reply: toMessage(finish('stopped', null)) };
      if (backEnd) {
        const turns = history(user ? [...prior, user] : prior);
        const edge = backEnd.source === 'edge';
        // The edge function renders the system message itself from the context it is sent, and echoes that context first.
        const messages: ChatMessage[] = edge ? turns : [{ role: 'system', content: systemMessage(built.context) }, ...turns];
        const sentContext = JSON.stringify(built.context);
        let contextEchoed = false;
        const extras = edge
          ? {
              body: { context: built.context },
              onNamedEvent(name: string, data: string) {
                if (name !== CONTEXT_EVENT) return;
                // The context stored as the session's snapshot (and shown as "What the tutor sees") is the one sent; the
                // echo must be exactly it, or what the learner is shown would not be what the tutor saw.
                if (data !== sentContext) {
                  throw new ProviderFailure({ code: 'malformed_stream', message: 'The tutor service used a different context than the app sent, so the reply was not shown.' });
                }
                contextEchoed = true;
              },
            }
          : {};
        let arrived = false;
        try {
          const result = await streamChatCompletion(backEnd.endpoint, messages, (text) => {
            if (edge && !contextEchoed) {
              throw new ProviderFailure({ code: 'malformed_stream', message: 'The tutor service sent a reply without first naming the context it used.' });
            }
            arrived = true;
            show(guard.push(text));
          }, signal, extras);
          if (result.finishReason === null) {
            return { reply: toMessage(finish('interrupted', { code: 'ended_early', message: 'The provider ended the reply before finishing it.' })) };
          }
          // Cut at the model's token limit (the tutor function's cap, or the learner's provider), or stopped by the
          // provider's content filter: the text is not the whole reply.
          const cutShort = cutShortReasons.get(result.finishReason);
          if (cutShort !== undefined) return { reply: toMessage(finish('interrupted', { code: 'ended_early', message: cutShort })) };
          return { reply: toMessage(finish('complete', null)) };
        } catch (err) {
          if (signal.aborted) return { reply: toMessage(finish('stopped', null)) };
          if (!(err instanceof ProviderFailure)) throw err;
          // Unreachable, or silent past its time limit, before any text: the offline tutor answers instead (labelled as
          // such, with the reason). Once text arrived, the reply keeps it.
          const standIn = arrived ? null : standInReason(err.error, backEnd);
          if (standIn) {
            fallback = standIn;
            reply.source = 'offline';
            sqlite.prepare("UPDATE chat_messages SET source = 'offline' WHERE id = ?").run(reply.id);
            emit({ type: 'started', userMessage, replyId: reply.id, source: 'offline', title });
          } else {
            return { reply: toMessage(finish(err.error.code === 'network' ? 'interrupted' : 'failed', err.error)) };
          }
        }
      }
      const hintsGiven = prior.filter((m) => m.sender === 'tutor' && m.source === 'offline' && m.status === 'complete').length;
      const lastUser = user?.message_content ?? [...prior].reverse().find((m) => m.sender === 'user')?.message_content ?? '';
      show(guard.push(offline.reply(lastUser, built.context, hintsGiven)));
      return { reply: toMessage(finish('complete', fallback)) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  const conversationRows = sqlite.prepare(
    `SELECT s.*, m.sender AS last_sender, m.message_content AS last_text, m.status AS last_status, m.created_utc_ms AS last_utc_ms
     FROM chat_sessions s
     LEFT JOIN chat_messages m ON m.id = (SELECT id FROM chat_messages WHERE chat_id = s.id ORDER BY sequence DESC LIMIT 1)
     WHERE s.is_active = 1 AND s.user_id = ?
     ORDER BY s.updated_utc_ms DESC, s.id DESC LIMIT ?`,
  );

  return {
    list(limit) {
      const userId = currentLearnerId(sqlite);
      if (!userId) return [];
      return (
        conversationRows.all(userId, limit) as Array<
          SessionRow & { last_sender: MessageRow['sender'] | null; last_text: string | null; last_status: ReplyStatus | null; last_utc_ms: number | null }
        >
      ).map((row) => ({
        ...toConversation(row),
        lastMessage:
          row.last_sender === null
            ? null
            : { sender: row.last_sender, text: row.last_text ?? '', status: row.last_status, createdUtcMs: row.last_utc_ms ?? row.updated_utc_ms },
      }));
    },

    create: (input) =>
      runWrite(() =>
        sqlite.transaction(() => {
          const nowMs = clock.now();
          const userId = ensureLearnerId(sqlite, nowMs);
          let ref: QuestionRef | null = null;
          let skillId: string | null = null;
          if (input.question) {
            const session = sqlite.prepare('SELECT mode, ended_utc_ms, user_id FROM sessions WHERE id = ?').get(input.question.sessionId) as
              | { mode: string; ended_utc_ms: number | null; user_id: string }
              | undefined;
            if (!session) throw new AppFailure('not_found', `Session ${input.question.sessionId} does not exist.`);
            if (session.mode === 'test' && session.ended_utc_ms === null) {
              throw new AppFailure('forbidden', 'In a test the tutor is available once the session has ended.');
            }
            ref = { sessionId: input.question.sessionId, questionId: input.question.questionId };
            skillId = (sqlite.prepare('SELECT skill_id FROM questions WHERE id = ?').pluck().get(ref.questionId) as string | undefined) ?? null;
          }
          const built = buildContext(sqlite, ref, skillId, userId, nowMs);
          const title = input.title ?? (built.context.question ? `About: ${titleFromMessage(built.context.question.prompt)}` : DEFAULT_TITLE);
          const row: SessionRow = {
            id: uuidv7(nowMs),
            user_id: userId,
            chat_name: title,
            context_snapshot: JSON.stringify({ ref, context: built.context } satisfies Snapshot),
            skill_id: skillId,
            is_active: 1,
            created_utc_ms: nowMs,
            updated_utc_ms: nowMs,
          };
          saveSession(row);
          return written(toConversation(row));
        })(),
      ),

    rename: (chatId, title) =>
      runWrite(() =>
        sqlite.transaction(() => {
          const row = { ...requireSession(chatId), chat_name: title, updated_utc_ms: clock.now() };
          saveSession(row);
          return written(toConversation(row));
        })(),
      ),

    remove: (chatId) =>
      runWrite(() =>
        sqlite.transaction(() => {
          saveSession({ ...requireSession(chatId), is_active: 0, updated_utc_ms: clock.now() });
          return written({ chatId });
        })(),
      ),

    exportMarkdown(chatId) {
      const session = requireSession(chatId);
      const conversation = toConversation(session);
      // A heading is one line: a title's line breaks (none typed in the app, but it syncs) read as spaces, as on screen.
      const lines = [`# ${markdownText(conversation.title.replace(/\s+/g, ' '))}`, '', `_Exported ${new Date(clock.now()).toISOString()}_`, ''];
      for (const m of (messagesOf.all(chatId) as MessageRow[]).map(toMessage)) {
        const who = m.sender === 'user' ? 'You' : m.source === 'offline' ? `Tutor (${offlineTutorLabel})` : 'Tutor';
        const status = m.status && m.status !== 'complete' ? ` _(${m.status})_` : '';
        lines.push(`## ${who}${status}`, '', m.sender === 'user' ? markdownText(m.text) : m.text, '');
        // One line under the reply, as the chat's status line says it: why it ended early, or (a complete reply with an
        // error) why the offline tutor answered in place of the chosen provider.
        const why = m.status === 'complete' ? m.error && offlineStandInText(m.error.message) : m.status && endedEarlyText(m.status, m.error, m.text);
        if (why) lines.push(`_${markdownText(why)}_`, '');
      }
      const slug = conversation.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'conversation';
      return { fileName: `${slug}.md`, markdown: lines.join('\n') };
    },

    messages(chatId) {
      const session = requireSession(chatId);
      return { conversation: toConversation(session), messages: (messagesOf.all(chatId) as MessageRow[]).map(toMessage) };
    },

    contextView(chatId) {
      const session = requireSession(chatId);
      const snapshot = parseJson<Snapshot>(session.context_snapshot);
      const context = snapshot ? tutorContextSchema.parse(snapshot.context) : buildContext(sqlite, null, session.skill_id, session.user_id, clock.now()).context;
      return { context, systemMessage: systemMessage(context) };
    },

    providerSettings,
    providerEndpoint: () => endpoint(),

    setProviderSettings(patch) {
      const current = providerSettings();
      if (patch.apiKey !== undefined) {
        if (patch.apiKey === null) secrets.delete(API_KEY_SECRET);
        else secrets.set(API_KEY_SECRET, patch.apiKey);
      }
      settings.setValue(PROVIDER_SETTING, {
        kind: patch.kind ?? current.kind,
        baseUrl: patch.baseUrl ?? current.baseUrl,
        model: patch.model ?? current.model,
      });
      return providerSettings();
    },

    async testConnection(draft) {
      const using = config(draft);
      const { backEnd, unused } = await target(using);
      if (!backEnd) {
        const error: TutorError =
          using.kind === 'edge-function' && unused
            ? unused
            : using.kind === 'offline'
              ? { code: 'provider_error', message: 'The offline tutor is chosen: it needs no server, so there is no connection to test.' }
              : { code: 'provider_error', message: 'No OpenAI-compatible provider is configured: enter its base URL and model.' };
        return { ok: false, models: [], modelFound: false, error };
      }
      try {
        const models = await listModels(backEnd.endpoint);
        // The edge function names the one model it uses.
        const modelFound = backEnd.source === 'edge' ? models.length > 0 : models.includes(backEnd.endpoint.model);
        return { ok: true, models, modelFound, error: null };
      } catch (err) {
        if (err instanceof ProviderFailure) return { ok: false, models: [], modelFound: false, error: err.error };
        throw err;
      }
    },

    async send(chatId, text, emit, signal) {
      const session = requireSession(chatId);
      const nowMs = clock.now();
      const user: MessageRow = {
        id: uuidv7(nowMs),
        chat_id: chatId,
        sender: 'user',
        message_content: text,
        tool_calls: '[]',
        sequence: 0,
        created_utc_ms: nowMs,
        status: null,
        source: null,
        error: null,
      };
      // Written with its outbox row before the request (streamReply's first transaction): a crash never loses it.
      return streamReply(session, messagesOf.all(chatId) as MessageRow[], user, emit, signal);
    },

    async retry(chatId, replyId, emit, signal) {
      const session = requireSession(chatId);
      const old = messageById.get(replyId) as MessageRow | undefined;
      if (!old || old.chat_id !== chatId || old.sender !== 'tutor') throw new AppFailure('not_found', `Reply ${replyId} is not a tutor reply in conversation ${chatId}.`);
      if (old.status === null) throw new AppFailure('conflict', 'That reply is still arriving; stop it before retrying.');
      const prior = (messagesOf.all(chatId) as MessageRow[]).filter((m) => m.sequence < old.sequence);
      return streamReply(session, prior, null, emit, signal);
    },
  };
}
