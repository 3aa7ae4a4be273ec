/**
 * The tutor's figures:
 * - tutor_first_token: ms from send to the first reply chunk at the renderer's end of the wire (the forked core
 *   process, the same protocol the renderer uses), for a question already answered (the guard holds nothing back),
 *   against the fake provider answering at once; baseline: the provider's own time to first byte for a client in the
 *   same run. Target: value - baseline <= 50 ms.
 * - tutor_guard_caught / tutor_guard_passed: the share (0-100) of the case file's leaks held back and of its harmless
 *   replies passed untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../electron/core/process/fork';
import { createGuard } from '../electron/core/tutor/guard';
import { streamChatCompletion } from '../electron/core/tutor/provider-client';
import { harmlessCases, leakCases, type GuardCase } from '../tests/tutor/guard-cases';
import { startFakeOpenAi } from '../tests/tutor/fake-openai';
import { median, round, withBaseline, type BenchResult } from './result';

const SAMPLES = 20;
/** Rounds before the samples: the child's first sends pay for JIT and connection set-up. */
const WARM_UP = 5;

function guardRun(c: GuardCase): { held: boolean; shown: string } {
  const guard = createGuard(c.question);
  const out = [...c.chunks.flatMap((chunk) => guard.push(chunk)), ...guard.flush()];
  return { held: out.some((o) => o.type === 'held'), shown: out.map((o) => (o.type === 'delta' ? o.text : o.note)).join('') };
}

export function benchTutorGuard(): BenchResult[] {
  const caught = leakCases.filter((c) => guardRun(c).held).length;
  const passed = harmlessCases.filter((c) => {
    const { held, shown } = guardRun(c);
    return !held && shown === c.chunks.join('');
  }).length;
  return [
    { name: 'tutor_guard_caught', value: round((100 * caught) / leakCases.length), unit: `% of ${leakCases.length} leaks`, target: '100' },
    { name: 'tutor_guard_passed', value: round((100 * passed) / harmlessCases.length), unit: `% of ${harmlessCases.length} harmless`, target: '100' },
  ];
}

export async function benchTutorFirstToken(): Promise<BenchResult[]> {
  const fake = await startFakeOpenAi();
  const dataDir = mkdtempSync(join(tmpdir(), 'study-desk-tutor-'));
  const core = await forkCoreProcess({ dataDir, host: 'electron', appVersion: '0.0.0-bench' }, createMemoryHostStores());
  try {
    const { api } = connectStudyApi(core);
    const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    ok(await api.tutorProviderSet({ kind: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-model' }));
    const skill = ok(await api.libraryTree({})).domains[0]!.skills[0]!;
    const session = ok(await api.practiceStart({ skillId: skill.id, mode: 'practice' }));
    const question = ok(await api.practiceNext({ sessionId: session.id })).question!;
    ok(await api.practiceAnswer({ sessionId: session.id, questionId: question.id, answer: question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder } }));
    const chat = ok(await api.tutorCreate({ question: { sessionId: session.id, questionId: question.id } }));

    const values: number[] = [];
    const baselines: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      fake.queue({ kind: 'stream', tokens: ['Good', ' question.'] });
      const sent = performance.now();
      let first = 0;
      const call = api.tutorSend({ chatId: chat.id, text: `Why? ${i}` }, { onChunk: (c) => { if (c.type === 'delta' && first === 0) first = performance.now(); } });
      ok(await call.done);
      if (i >= WARM_UP) values.push(first - sent);

      fake.queue({ kind: 'stream', tokens: ['Good', ' question.'] });
      const asked = performance.now();
      let firstByte = 0;
      await streamChatCompletion({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: null }, [{ role: 'user', content: 'Why?' }], () => {
        if (firstByte === 0) firstByte = performance.now();
      }, new AbortController().signal);
      if (i >= WARM_UP) baselines.push(firstByte - asked);
    }
    return [withBaseline('tutor_first_token', median(values), 'ms (median)', median(baselines), 'value - baseline <= 50 ms')];
  } finally {
    await core.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
