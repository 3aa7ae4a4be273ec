/**
 * Drills through the real core. A drill left PROCESSING when the app stops is finished at the next start, never stuck:
 * (createCore, its handlers, the web host's file stores), with the tutor's provider pointed at a fake OpenAI-compatible
 * server that never answers, so the session is still PROCESSING when the core goes away. And the contract refuses a
 * spoken answer naming any file but a recording drills:saveAudio could have named.
 */
import { describe, expect, it } from 'vitest';
import { RESUMED_AFTER_RESTART } from '../../electron/core/drills/drills';
import { LOCAL_MODEL_USED } from '../../electron/core/drills/evaluate-local';
import { dispatch, dispatchStream } from '../../electron/core/ipc/handlers';
import type { DrillCatalog, DrillResult, DrillSession, DrillSubmitChunk } from '../../shared/ipc/contract';
import { useTempDirs } from '../helpers/temp';
import { startWebCore } from '../helpers/web-core';
import { startFakeOpenAi } from '../tutor/fake-openai';

const tempDir = useTempDirs();


async function value<T>(result: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.error.message);
  return settled.value as T;
}

const ANSWER = 'First I listed the tasks, then I cut two features, and as a result we shipped on time with 3 days to spare.';

describe('a drill interrupted while PROCESSING', () => {
  it('is evaluated by the local rules at the next start and says so', async () => {
    const fake = await startFakeOpenAi();
    const dir = tempDir();
    try {
      const core = startWebCore(dir);
      await value(dispatch(core.handlers, 'tutor:providerSet', { kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model' }));
      const catalog = await value<DrillCatalog>(dispatch(core.handlers, 'drills:list', {}));
      expect(catalog.access.evaluator.kind).toBe('ai');
      const question = catalog.pack!.categories[0]!.questions[0]!;
      const session = await value<DrillSession>(dispatch(core.handlers, 'drills:start', { questionId: question.id }));

      fake.queue({ kind: 'silent' });
      let processing!: () => void;
      const reachedProcessing = new Promise<void>((resolve) => (processing = resolve));
      const chunks: DrillSubmitChunk[] = [];
      const pending = dispatchStream(
        core.handlers,
        'drills:submit',
        { sessionId: session.id, mode: 'written', transcript: ANSWER, typingTimeMs: 30_000 },
        {
          upload: null,
          signal: new AbortController().signal,
          emit: (chunk) => {
            chunks.push(chunk as DrillSubmitChunk);
            if ((chunk as DrillSubmitChunk).status === 'PROCESSING') processing();
          },
        },
      );
      await reachedProcessing;
      // The app stops while the provider is still silent: the database keeps the session PROCESSING.
      await core.close();
      await fake.close();
      // The abandoned evaluation finds the database closed: it cannot record anything.
      expect((await pending).ok).toBe(false);

      const restarted = startWebCore(dir);
      try {
        const result = await value<DrillResult>(dispatch(restarted.handlers, 'drills:result', { sessionId: session.id }));
        expect(result.session.status).toBe('COMPLETED');
        expect(result.evaluation?.modelUsed).toBe(LOCAL_MODEL_USED);
        expect(result.usedLocalBecause).toBe(RESUMED_AFTER_RESTART);
        expect(result.response).toMatchObject({ transcript: ANSWER, durationEstimated: true, typingTimeMs: 30_000 });
        expect(result.session.processingTimeMs).toBeGreaterThan(0);
        expect(chunks.map((c) => c.status)).toEqual(['SUBMITTED', 'PROCESSING']);
        const list = await value<DrillCatalog>(dispatch(restarted.handlers, 'drills:list', {}));
        const listed = list.pack!.categories[0]!.questions.find((q) => q.id === question.id);
        expect(listed?.lastScore).toBe(result.evaluation?.overallScore);
      } finally {
        await restarted.close();
      }
    } finally {
      await fake.close().catch(() => undefined);
    }
  });

  it('keeps the answer being written across a restart, and the drill offers it again', async () => {
    const dir = tempDir();
    const core = startWebCore(dir);
    const catalog = await value<DrillCatalog>(dispatch(core.handlers, 'drills:list', {}));
    const questionId = catalog.pack!.categories[0]!.questions[0]!.id;
    const session = await value<DrillSession>(dispatch(core.handlers, 'drills:start', { questionId }));
    const draft = { mode: 'written', transcript: ANSWER, recording: null, elapsedMs: 125_000, typingMs: 80_000 };
    await value(dispatch(core.handlers, 'drills:saveDraft', { sessionId: session.id, draft }));
    await core.close();

    const restarted = startWebCore(dir);
    try {
      expect(await value(dispatch(restarted.handlers, 'drills:unfinished', { questionId }))).toEqual({ session, draft });
    } finally {
      await restarted.close();
    }
  });

  it('refuses, at the contract, a spoken answer naming a file that drills:saveAudio did not name', async () => {
    const dir = tempDir();
    const core = startWebCore(dir);
    try {
      const catalog = await value<DrillCatalog>(dispatch(core.handlers, 'drills:list', {}));
      const session = await value<DrillSession>(dispatch(core.handlers, 'drills:start', { questionId: catalog.pack!.categories[0]!.questions[0]!.id }));
      const refused = await dispatchStream(
        core.handlers,
        'drills:submit',
        { sessionId: session.id, mode: 'spoken', transcript: ANSWER, durationS: 30, audioPath: '../study.sqlite' },
        { upload: null, signal: new AbortController().signal, emit: () => {} },
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      // The refusal names the field as screens do (electron/core/ipc/input-refusal.ts).
      expect(refused.ok || refused.error.message).toMatch(/^Audio path /);
      const result = await value<DrillResult>(dispatch(core.handlers, 'drills:result', { sessionId: session.id }));
      expect(result.session.status).toBe('STARTED');
    } finally {
      await core.close();
    }
  });
});
