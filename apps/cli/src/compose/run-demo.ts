import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from '../cli/on-interrupt.js';
import { buildDigitsWithProgress } from '../commands/build-digits-command.js';
import type { DemoOptions } from '../commands/demo-command.js';
import { formatTable } from '../progress/format-table.js';
import { newRunId } from '../run/run-folder.js';
import { bindsCores, launchRun } from './launch-command.js';
import { loadRun } from './load-run.js';
import { trainRun } from './train-run.js';
import type { TrainSummary } from './train-run.js';

/** The tri-modal run file shipped with the repository. */
const EXAMPLE = fileURLToPath(new URL('../../../../examples/digits.yaml', import.meta.url));
const MODALITIES = ['image', 'audio', 'text'] as const;

/**
 * The demo: builds the digits dataset (if absent), starts the dashboard and prints its URL, trains
 * the fused tri-modal model with `nproc` data-parallel workers (TensorBoard files and checkpoints in
 * its run folder), then each modality alone in this process (fewer epochs), and prints the test
 * accuracy of each.
 *
 * @param opts The `demo` flags.
 *
 * @example
 * await runDemo({ data: 'data/digits', runs: 'runs', samplesPerClass: 150, nproc: 2, port: 0, dashboard: true });
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const started = performance.now();
  const file = opts.config ?? (existsSync('examples/digits.yaml') ? 'examples/digits.yaml' : EXAMPLE);
  const build = await buildDigitsWithProgress(opts.data, { samplesPerClass: opts.samplesPerClass });
  process.stdout.write(`data: ${build.manifest} (${build.samples} rows${build.skipped ? ', already built' : ''})\n`);
  let dashboard: { url: string; close(): Promise<void> } | undefined;
  if (opts.dashboard) {
    const { startDashboard } = await import('@omnitrain/dashboard');
    dashboard = await startDashboard({ runsDir: opts.runs, port: opts.port });
    onInterrupt(() => dashboard!.close());
    process.stdout.write(`dashboard: ${dashboard.url}  (open it to watch the runs live)\n`);
  }
  const base = [`data.manifest=${JSON.stringify(resolve(build.manifest))}`, `telemetry.runsDir=${JSON.stringify(opts.runs)}`];
  const fusedOverrides = [...base, ...(opts.epochs ? [`train.epochs=${opts.epochs}`] : [])];
  const fused = await loadRun(file, fusedOverrides, newRunId('demo-fused'));
  process.stdout.write(`\n== fused ${fused.config.model.modalities.join('+')} model, ${opts.nproc} data-parallel workers: run ${fused.folder.runId}\n`);
  await launchRun({ file, overrides: fusedOverrides, runId: fused.folder.runId, nproc: opts.nproc, maxRestarts: fused.config.distributed.maxRestarts, bindCores: bindsCores(fused.config.distributed.bindCores, fused.config.runtime.backend) });
  const results: Array<{ label: string; summary: TrainSummary }> = [
    { label: `fused (${fused.config.model.modalities.join('+')}, ${opts.nproc} workers)`, summary: JSON.parse(await readFile(fused.folder.summary, 'utf8')) as TrainSummary },
  ];
  // Same epochs as the fused run by default, so the table compares models, not training budgets.
  const singleEpochs = opts.singleEpochs ?? fused.config.train.epochs;
  for (const m of MODALITIES) {
    const overrides = [...base, `model.modalities=[${m}]`, 'model.fusion={name: early}', `train.epochs=${singleEpochs}`];
    const run = await loadRun(file, overrides, newRunId(`demo-${m}`));
    process.stdout.write(`\n== ${m} alone, 1 worker, ${singleEpochs} epochs: run ${run.folder.runId}\n`);
    results.push({ label: `${m} only`, summary: await trainRun(run, { label: `[${m}] ` }) });
  }
  const table = results.map(({ label, summary: s }) => ({
    model: label,
    epochs: s.epochs,
    steps: s.steps,
    'test accuracy': s.test?.accuracy,
    'test f1 macro': s.test?.f1Macro,
    seconds: Math.round(s.seconds),
    run: s.runId,
  }));
  process.stdout.write(`\n${formatTable(table, { title: `test accuracy on ${results[0]!.summary.test?.count ?? '?'} held-out digits` })}\n`);
  process.stdout.write(`\nTensorBoard: tensorboard --logdir ${opts.runs}   checkpoints: ${opts.runs}/<run>/checkpoints/\n`);
  process.stdout.write(`demo finished in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (dashboard && opts.keepDashboard) {
    process.stdout.write(`dashboard still at ${dashboard.url} (Ctrl-C to stop)\n`);
    await new Promise<never>(() => {});
  }
  await dashboard?.close();
}
