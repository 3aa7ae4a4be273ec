/**
 * Spoken answers' audio through the real core (createCore, its handlers and contract, the web host's file stores):
 * drills:saveAudio keeps the upload owner-only under a name core generates, within its limits, and drills:transcribe
 * calls an OpenAI-compatible /v1/audio/transcriptions (the fake server parses the real multipart body) with the
 * provider configured for the tutor, answering not_configured without one and never showing the key.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app';
import { DEFAULT_TRANSCRIPTION_MODEL } from '../../electron/core/ipc/features/audio';
import { dispatch, dispatchStream } from '../../electron/core/ipc/handlers';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/ipc/api';
import { audioUploadLimit, maxRecordingS, type SavedAudio, type Transcript } from '../../shared/ipc/contract';
import { useCleanups } from '../helpers/cleanups';
import { useTempDirs } from '../helpers/temp';
import { startWebCore } from '../helpers/web-core';
import { startFakeOpenAi, type FakeOpenAi } from '../tutor/fake-openai';

const tempDir = useTempDirs();
const cleanup = useCleanups();

const API_KEY = 'sk-test-audio-0123456789abcdef';
/** The start of a WebM file (EBML magic) followed by stand-in frames. */
const webm = (size = 2048) => Uint8Array.from({ length: size }, (_, i) => (i < 4 ? [0x1a, 0x45, 0xdf, 0xa3][i]! : (i * 7) % 256));

function startCore(): { core: Core; dataDir: string } {
  const dataDir = tempDir();
  const core = startWebCore(dataDir);
  cleanup(() => core.close());
  return { core, dataDir };
}

async function fakeServer(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi({ models: ['fake-model', DEFAULT_TRANSCRIPTION_MODEL], ...options });
  cleanup(() => fake.close());
  return fake;
}

function stream<T>(core: Core, name: 'drills:saveAudio' | 'drills:transcribe', input: unknown, upload: Uint8Array | null = null) {
  const chunks: unknown[] = [];
  const done = dispatchStream(core.handlers, name, input, {
    upload: upload ? Buffer.from(upload) : null,
    signal: new AbortController().signal,
    emit: (chunk) => chunks.push(chunk),
  }) as Promise<Result<T>>;
  return { done, chunks };
}

async function failure(result: Promise<Result<unknown>>): Promise<AppError> {
  const settled = await result;
  if (settled.ok) throw new Error(`expected a failure, got ${JSON.stringify(settled.value)}`);
  return settled.error;
}

async function saved(core: Core, bytes = webm(), mimeType = 'audio/webm;codecs=opus', durationS = 42.5): Promise<SavedAudio> {
  const result = await stream<SavedAudio>(core, 'drills:saveAudio', { mimeType, durationS }, bytes).done;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function recordingsIn(dataDir: string): string[] {
  const dir = join(dataDir, 'recordings');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('drills:saveAudio', () => {
  it('keeps the recording in the data folder, owner-only, under a generated name, and returns its relative path and duration', async () => {
    const { core, dataDir } = startCore();
    const bytes = webm(10_000);
    const call = stream<SavedAudio>(core, 'drills:saveAudio', { mimeType: 'audio/webm;codecs=opus', durationS: 42.5 }, bytes);
    const result = await call.done;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.durationS).toBe(42.5);
    expect(result.value.audioPath).toMatch(/^recordings\/[0-9a-f-]{36}\.webm$/);
    expect(call.chunks).toEqual([{ phase: 'received', bytes: 10_000 }]);

    const file = join(dataDir, result.value.audioPath);
    expect(readFileSync(file)).toEqual(Buffer.from(bytes));
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'recordings')).mode & 0o777).toBe(0o700);
    }
    // A second recording never reuses the name, and no temporary file is left.
    const second = await saved(core);
    expect(second.audioPath).not.toBe(result.value.audioPath);
    expect(recordingsIn(dataDir).sort()).toEqual([result.value.audioPath, second.audioPath].map((p) => p.slice('recordings/'.length)).sort());
  });

  it('names the container by the MIME type: ogg, mp4 and wav are kept with their own extension', async () => {
    const { core } = startCore();
    const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(100, 1)]);
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypM4A '), Buffer.alloc(100, 2)]);
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.from([100, 0, 0, 0]), Buffer.from('WAVE'), Buffer.alloc(100, 3)]);
    expect((await saved(core, ogg, 'audio/ogg;codecs=opus')).audioPath).toMatch(/\.ogg$/);
    expect((await saved(core, mp4, 'audio/mp4')).audioPath).toMatch(/\.mp4$/);
    expect((await saved(core, wav, 'audio/wav')).audioPath).toMatch(/\.wav$/);
  });

  it('takes no name or path from the renderer: extra fields are refused', async () => {
    const { core, dataDir } = startCore();
    for (const extra of [{ audioPath: '../study.sqlite' }, { fileName: 'evil.webm' }, { path: '/tmp/x' }]) {
      const error = await failure(stream(core, 'drills:saveAudio', { mimeType: 'audio/webm', durationS: 5, ...extra }, webm()).done);
      expect(error.code).toBe('invalid_input');
    }
    expect(recordingsIn(dataDir)).toEqual([]);
  });

  it('refuses, with a clear message and nothing written: no upload, an empty one, one over the limit, another type, bytes of another container, a duration out of bounds', async () => {
    const { core, dataDir } = startCore();
    const cases: Array<{ input: unknown; upload: Uint8Array | null; message: RegExp }> = [
      { input: { mimeType: 'audio/webm', durationS: 5 }, upload: null, message: /needs the recording as its upload/ },
      { input: { mimeType: 'audio/webm', durationS: 5 }, upload: new Uint8Array(0), message: /empty/ },
      { input: { mimeType: 'audio/webm', durationS: 5 }, upload: webm(audioUploadLimit + 1), message: new RegExp(`at most ${audioUploadLimit} bytes`) },
      { input: { mimeType: 'text/html', durationS: 5 }, upload: webm(), message: /"text\/html" cannot be kept.*audio\/webm/ },
      { input: { mimeType: 'video/webm', durationS: 5 }, upload: webm(), message: /"video\/webm" cannot be kept/ },
      { input: { mimeType: 'audio/webm', durationS: 5 }, upload: new TextEncoder().encode('<html><script>alert(1)</script>'), message: /not webm audio/ },
      // The field named as the screens name it (electron/core/ipc/input-refusal.ts), with the bound it broke.
      { input: { mimeType: 'audio/webm', durationS: 0 }, upload: webm(), message: /^Recording length must be more than 0\.$/ },
      { input: { mimeType: 'audio/webm', durationS: -3 }, upload: webm(), message: /^Recording length must be more than 0\.$/ },
      { input: { mimeType: 'audio/webm', durationS: 3 * 3600 }, upload: webm(), message: new RegExp(`^Recording length must be at most ${maxRecordingS}\\.$`) },
    ];
    for (const { input, upload, message } of cases) {
      const error = await failure(stream(core, 'drills:saveAudio', input, upload).done);
      expect(error.code, JSON.stringify(input)).toBe('invalid_input');
      expect(error.message).toMatch(message);
    }
    expect(recordingsIn(dataDir)).toEqual([]);
  });
});

describe('drills:transcribe', () => {
  it('answers not_configured when no provider is set, so the learner types the transcript', async () => {
    const { core } = startCore();
    const { audioPath } = await saved(core);
    const error = await failure(stream(core, 'drills:transcribe', { audioPath }).done);
    expect(error.code).toBe('not_configured');
    expect(error.message).toMatch(/type what you said/);
  });

  it("sends the recording as multipart to the configured provider's /audio/transcriptions with its key, and returns the text", async () => {
    const fake = await fakeServer({ apiKey: API_KEY });
    fake.queueTranscription({ kind: 'text', text: '  First I listed the tasks, then we shipped on time.  ' });
    const { core } = startCore();
    await dispatch(core.handlers, 'tutor:providerSet', { kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model', apiKey: API_KEY });
    const bytes = webm(5000);
    const { audioPath } = await saved(core, bytes);

    const call = stream<Transcript>(core, 'drills:transcribe', { audioPath });
    const result = await call.done;
    expect(result).toEqual({ ok: true, value: { text: 'First I listed the tasks, then we shipped on time.', model: DEFAULT_TRANSCRIPTION_MODEL } });
    expect(call.chunks).toEqual([{ phase: 'sending', bytes: 5000 }]);
    expect(fake.transcriptions).toHaveLength(1);
    const request = fake.transcriptions[0]!;
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request).toMatchObject({ model: DEFAULT_TRANSCRIPTION_MODEL, responseFormat: 'json', mimeType: 'audio/webm', authorization: `Bearer ${API_KEY}` });
    expect(request.fileName).toBe(audioPath.slice('recordings/'.length));
    expect(request.bytes).toEqual(Buffer.from(bytes));
  });

  it('maps provider failures to clear errors that never carry the key', async () => {
    const fake = await fakeServer({ apiKey: API_KEY });
    const { core } = startCore();
    const { audioPath } = await saved(core);
    const transcribe = () => failure(stream(core, 'drills:transcribe', { audioPath }).done);

    // A wrong key, in a provider error that echoes it.
    const wrongKey = 'sk-wrong-key-abcdef0123456789';
    await dispatch(core.handlers, 'tutor:providerSet', { kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model', apiKey: wrongKey });
    const refused = await transcribe();
    expect(refused.code).toBe('auth_failed');
    expect(refused.message).toMatch(/refused the API key.*type what you said instead/is);
    expect(refused.details).toEqual({ providerCode: 'bad_key', httpStatus: 401 });

    await dispatch(core.handlers, 'tutor:providerSet', { apiKey: API_KEY });
    const scripted: Array<{ status: number; body: unknown; code: AppError['code']; providerCode: string }> = [
      { status: 500, body: { error: { message: `upstream failed for key ${API_KEY}` } }, code: 'network', providerCode: 'provider_error' },
      { status: 429, body: { error: { message: 'slow down' } }, code: 'busy', providerCode: 'rate_limited' },
      { status: 404, body: { error: { message: 'no such model' } }, code: 'not_configured', providerCode: 'unknown_model' },
    ];
    for (const { status, body, code, providerCode } of scripted) {
      fake.queueTranscription({ kind: 'http', status, body });
      const error = await transcribe();
      expect(error.code, String(status)).toBe(code);
      expect(error.details).toMatchObject({ providerCode, httpStatus: status });
      // The provider's words end their sentence before what the learner can do ("…: slow down You can type" read as one).
      expect(error.message).toMatch(/[.!?…] You can type what you said instead\.$/);
      expect(JSON.stringify(error)).not.toContain(API_KEY);
    }
    // A model the provider lacks.
    fake.models.splice(fake.models.indexOf(DEFAULT_TRANSCRIPTION_MODEL), 1);
    expect((await transcribe()).code).toBe('not_configured');

    // The provider gone: a network error.
    const baseUrl = fake.baseUrl;
    await fake.close();
    await dispatch(core.handlers, 'tutor:providerSet', { baseUrl });
    const offline = await transcribe();
    expect(offline.code).toBe('network');
    expect(JSON.stringify([refused, offline])).not.toContain(API_KEY);
    expect(JSON.stringify(refused)).not.toContain(wrongKey);
  });

  it('reads only recordings core saved: another path is refused, a missing recording is not_found', async () => {
    const fake = await fakeServer();
    const { core } = startCore();
    await dispatch(core.handlers, 'tutor:providerSet', { kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model' });
    for (const audioPath of ['../study.sqlite', 'study.sqlite', 'recordings/../study.sqlite', '/etc/passwd', 'recordings/x.webm']) {
      expect((await failure(stream(core, 'drills:transcribe', { audioPath }).done)).code, audioPath).toBe('invalid_input');
    }
    const missing = await failure(stream(core, 'drills:transcribe', { audioPath: 'recordings/00000000-0000-4000-8000-000000000000.webm' }).done);
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/no longer in the data folder.*type your answer/);
    expect(fake.transcriptions).toEqual([]);
  });
});
