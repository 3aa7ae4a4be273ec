/**
 * answer_during_pull: p99 of `practice:answer` as the renderer sees it (wire protocol → the forked core
 * process → SQLite) while core's sync pulls the 100k questions of pull_100k from the local stack;
 * the baseline is the same calls, same process, before the pull.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../electron/core/process/fork';
import type { CoreProcess } from '../electron/core/process/host';
import type { StudyApi } from '../shared/ipc/api';
import { startTestStack, tempDir } from '../tests/sync/client/helpers';
import { percentile, round, withBaseline, type BenchResult } from './result';
import { PULL_SHAPE, serveBenchContent } from './sync';

const BASELINE_ANSWERS = 400;
const WARM_UP_ANSWERS = 30;

export async function benchAnswerDuringPull(): Promise<BenchResult[]> {
  const stack = await startTestStack();
  const dir = tempDir('bench-answer-pull');
  let core: CoreProcess | null = null;
  try {
    await serveBenchContent(stack);
    core = await forkCoreProcess({ dataDir: dir, host: 'web', appVersion: 'bench' }, createMemoryHostStores());
    const { api } = connectStudyApi(core);
    const answer = await answerLoop(api);
    for (let i = 0; i < WARM_UP_ANSWERS; i++) await answer();
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_ANSWERS; i++) baseline.push(await answer());

    // Configuring the server starts the first pull; the call answers once it has finished.
    let pulling = true;
    const pull = api
      .syncConfigure({ url: stack.url, anonKey: stack.anonKey })
      // On a loaded machine the pull can outlast the wire's 60 s answer timeout; the run goes on in core, so the bench
      // then follows its status instead.
      .then((answer) => (!answer.ok && answer.error.code === 'network' ? pullFinished(api) : answer))
      .finally(() => {
        pulling = false;
      });
    const during: number[] = [];
    while (pulling) during.push(await answer());
    const status = await pull;
    if (!status.ok || status.value.lastError) throw new Error(`the pull failed: ${status.ok ? status.value.lastError : status.error.message}`);
    const info = await api.appInfo({});
    const expected = PULL_SHAPE.domains * PULL_SHAPE.skillsPerDomain * PULL_SHAPE.questionsPerSkill;
    if (!info.ok || info.value.questionCount < expected) throw new Error(`the pull stored ${info.ok ? info.value.questionCount : '?'} questions, expected at least ${expected}`);
    if (during.length < 20) throw new Error(`only ${during.length} answers ran during the pull: too few for a p99`);

    return [
      withBaseline('answer_during_pull', percentile(during, 99), 'ms', percentile(baseline, 99), 'value <= 50, ratio <= 3'),
      { name: 'answer_during_pull_max', value: round(Math.max(...during)), unit: 'ms' },
    ];
  } finally {
    await core?.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The status once the sync run in flight has ended (polled; at most 10 minutes). */
async function pullFinished(api: StudyApi): ReturnType<StudyApi['syncStatus']> {
  const deadline = performance.now() + 600_000;
  for (;;) {
    const status = await api.syncStatus({});
    if (!status.ok || status.value.state !== 'syncing' || performance.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Answers the embedded pack's questions one after another, starting a new session when one runs out; resolves with each answer's latency. */
export async function answerLoop(api: StudyApi): Promise<() => Promise<number>> {
  const tree = unwrap(await api.libraryTree({}));
  const skills = tree.domains.flatMap((domain) => domain.skills.filter((skill) => skill.questionCount > 0));
  let turn = 0;
  let sessionId: string | null = null;
  return async () => {
    for (;;) {
      sessionId ??= unwrap(await api.practiceStart({ skillId: skills[turn++ % skills.length]!.id, mode: 'practice' })).id;
      const { question } = unwrap(await api.practiceNext({ sessionId }));
      if (!question) {
        sessionId = null;
        continue;
      }
      const answer = question.type === 'mcq_single' ? { choice: 0 } : { order: question.initialOrder };
      const started = performance.now();
      unwrap(await api.practiceAnswer({ sessionId, questionId: question.id, answer }));
      return performance.now() - started;
    }
  };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
