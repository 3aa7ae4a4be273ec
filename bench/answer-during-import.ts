/**
 * answer_during_import: p99 of `practice:answer` as the renderer sees it (wire protocol → the forked core process →
 * SQLite) while the instructor workspace imports the 100k-question bench pack (content:importDraft: pending rows in
 * short transactions, one final commit); the baseline is the same calls, same process, before the import.
 * The file is opened (checked and compared) first, as the workspace does before the instructor confirms.
 */
import { readFileSync, rmSync } from 'node:fs';
import { connectStudyApi, createMemoryHostStores, forkCoreProcess } from '../electron/core/process/fork';
import type { CoreProcess } from '../electron/core/process/host';
import { tempDir } from '../tests/sync/client/helpers';
import { answerLoop } from './answer-during-pull';
import { BENCH_PACK_QUESTIONS, writeBenchPack100k } from './content-pack';
import { percentile, round, withBaseline, type BenchResult } from './result';

const BASELINE_ANSWERS = 400;
const WARM_UP_ANSWERS = 30;

export async function benchAnswerDuringImport(): Promise<BenchResult[]> {
  const dir = tempDir('bench-answer-import');
  let core: CoreProcess | null = null;
  try {
    const upload = new Uint8Array(readFileSync(writeBenchPack100k(dir)));
    core = await forkCoreProcess({ dataDir: dir, host: 'web', appVersion: 'bench' }, createMemoryHostStores());
    const { api } = connectStudyApi(core);
    const answer = await answerLoop(api);
    for (let i = 0; i < WARM_UP_ANSWERS; i++) await answer();
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_ANSWERS; i++) baseline.push(await answer());

    const opened = await api.contentOpen({ mode: 'append', fileName: 'bench100k.json' }, { upload }).done;
    if (!opened.ok || !opened.value.report.ok) throw new Error(`the bench pack did not open: ${opened.ok ? 'it has errors' : opened.error.message}`);

    let importing = true;
    const imported = api.contentImportDraft({ draftId: opened.value.draftId, mode: 'append' }).done.finally(() => {
      importing = false;
    });
    const during: number[] = [];
    while (importing) during.push(await answer());
    const result = await imported;
    if (!result.ok) throw new Error(`the import failed: ${result.error.message}`);
    if (result.value.counts.questions.inserted !== BENCH_PACK_QUESTIONS) {
      throw new Error(`the import wrote ${result.value.counts.questions.inserted} questions, expected ${BENCH_PACK_QUESTIONS}`);
    }
    if (during.length < 20) throw new Error(`only ${during.length} answers ran during the import: too few for a p99`);

    return [
      withBaseline('answer_during_import', percentile(during, 99), 'ms', percentile(baseline, 99), 'value <= 50, ratio <= 3'),
      { name: 'answer_during_import_max', value: round(Math.max(...during)), unit: 'ms' },
      { name: 'answer_during_import_answers', value: during.length, unit: 'answers' },
    ];
  } finally {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
