#!/usr/bin/env node
// The README's test command (`npm test`): build every package (so the built `exports` are what
// plain Node imports), typecheck, check the dependency boundaries, then run every vitest project
// once and print the closing line `N passed, N failed, N skipped` from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, 'reports', 'vitest.json');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const started = Date.now();

function step(title, command, args) {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const t0 = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  console.log(`== ${title}: ${result.status === 0 ? 'ok' : `failed (exit ${result.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

function finish(code, passed = 0, failed = 0, skipped = 0) {
  console.log(`\ntests finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code);
}

const nx = join(root, 'node_modules', '.bin', 'nx');
if (step('build + typecheck', nx, ['run-many', '-t', 'build', 'typecheck', '--output-style=static']) !== 0) {
  finish(1);
}
const boundaries = step('dependency boundaries', process.execPath, [join(root, 'tools', 'check-boundaries.mjs')]);

mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const testsStatus = step('tests', vitest, [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

let summary;
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch (error) {
  console.error(`run-tests: expected a vitest JSON report at ${report}, got ${error.message}`);
  finish(1);
}
const passed = summary.numPassedTests;
const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
const skipped = summary.numPendingTests + summary.numTodoTests;
const ok = testsStatus === 0 && boundaries === 0 && failed === 0 && passed > 0;
finish(ok ? 0 : 1, passed, failed, skipped);
