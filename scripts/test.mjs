#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, sync tests against the real local stack, Playwright in Chromium;
// then one closing line that sums every suite: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const child = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return child.status ?? 1;
}

/** A check that is not a test runner (type check, lint, build) counts as one test. */
function check(label, command, args) {
  const status = run(label, command, args);
  totals[status === 0 ? 'passed' : 'failed'] += 1;
  lines.push(`${label}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`}`);
}

function vitestSuite(label, config, file) {
  const status = run(label, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  if (!existsSync(file)) {
    totals.failed += 1;
    lines.push(`${label}: no report (exit ${status})`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  // A file that fails to load has no failed tests but a failed suite: count it.
  const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - failedSuitesWithFailedTests(report);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  add(label, passed, failed + (status !== 0 && failed === 0 ? 1 : 0), skipped);
}

function failedSuitesWithFailedTests(report) {
  return (report.testResults ?? []).filter(
    (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
}

function playwrightSuite(label, file) {
  const status = run(label, 'npx', ['playwright', 'test']);
  if (!existsSync(file)) {
    totals.failed += 1;
    lines.push(`${label}: no report (exit ${status})`);
    return;
  }
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  const failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  add(label, stats.expected ?? 0, failed + (status !== 0 && failed === 0 ? 1 : 0), stats.skipped ?? 0);
}

function add(label, passed, failed, skipped) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

check('typecheck', 'npx', ['tsc', '-b']);
check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
check('build', 'npx', ['electron-vite', 'build']);
vitestSuite('unit', 'vitest.config.ts', `${results}/vitest.json`);
vitestSuite('sync', 'vitest.sync.config.ts', `${results}/sync.json`);
playwrightSuite('e2e', `${results}/e2e.json`);

console.log('\n=== summary');
for (const line of lines) console.log(line);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
