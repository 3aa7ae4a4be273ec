/** `npm run bench [-- --json]`: every benchmark, as a table or as one JSON line per figure. */
import { benchAnswerDuringPull } from './answer-during-pull';
import { benchAnswerDuringImport } from './answer-during-import';
import { benchContentReport100k } from './content-report';
import { benchCore } from './core';
import { benchDrillEvaluateLocal } from './drill-evaluate';
import { benchDrillSubmitToResult } from './drill-submit';
import { benchFirstPaint } from './first-paint';
import { benchNextDue } from './next-due';
import { benchPushSameRow4k, benchServerPushConcurrent } from './push';
import { benchStartupCheck } from './startup-check';
import { benchPull100k, benchPush10k } from './sync';
import { benchTutorFirstToken, benchTutorGuard } from './tutor';
import { round, type BenchResult } from './result';

const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

// A subset suite (also part of a whole one) runs only when named, so a full run prints each figure once.
type Suite = { name: string; run: () => Promise<BenchResult[]>; subset?: true };
const suites: Suite[] = [
  { name: 'core', run: benchCore },
  { name: 'next-due', run: benchNextDue },
  { name: 'first-paint', run: benchFirstPaint },
  {
    name: 'sync',
    run: async () => [
      ...(await benchPull100k()),
      ...(await benchPush10k()),
      ...(await benchPushSameRow4k()),
      ...(await benchServerPushConcurrent()),
    ],
  },
  // The pull figures alone (also part of sync).
  { name: 'sync-pull', run: benchPull100k, subset: true },
  // The push figures alone (also part of sync).
  {
    name: 'sync-push',
    run: async () => [...(await benchPush10k()), ...(await benchPushSameRow4k()), ...(await benchServerPushConcurrent())],
    subset: true,
  },
  { name: 'answer-during-pull', run: benchAnswerDuringPull },
  { name: 'startup-check', run: benchStartupCheck },
  { name: 'tutor', run: async () => [...benchTutorGuard(), ...(await benchTutorFirstToken())] },
  // The instructor workspace's figures.
  { name: 'content', run: async () => [...(await benchContentReport100k()), ...(await benchAnswerDuringImport())] },
  { name: 'drills', run: async () => [...benchDrillEvaluateLocal(), ...(await benchDrillSubmitToResult())] },
];

function print(result: BenchResult): void {
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const ratio = result.ratio === undefined ? '' : `  baseline ${result.baseline} → ratio ${result.ratio}`;
  console.log(`${result.name.padEnd(22)} ${String(result.value).padStart(10)} ${result.unit}${ratio}${result.target ? `  (target ${result.target})` : ''}`);
}

let failed = false;
for (const suite of suites) {
  if (only ? !only.includes(suite.name) : suite.subset) continue;
  try {
    for (const result of await suite.run()) print(result);
  } catch (err) {
    failed = true;
    console.error(`bench ${suite.name} failed: ${(err as Error).message}`);
  }
}
// maxRSS is in kilobytes on every platform Node supports.
print({ name: 'peak_rss', value: round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' });
process.exit(failed ? 1 : 0);
