import { InvalidArgumentError } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer >= 1, got "${value}"`);
  return n;
}

/**
 * Adds `demo`: builds the embedded digits dataset, starts the dashboard, trains the tri-modal
 * model data-parallel on 2 workers, then each modality alone, and ends with a table of test
 * accuracies.
 *
 * @example
 * registerDemoCommand(program);
 * // $ omnitrain demo
 */
export function registerDemoCommand(program: OmnitrainCommand): void {
  program
    .command('demo')
    .description('The tour: build the digits data, start the dashboard, train the fused image+audio+text model on 2 workers, then each modality alone; print test accuracies.')
    .option('--config <run.yaml>', 'the tri-modal run file (default: examples/digits.yaml)')
    .option('--data <dir>', 'where the digits dataset is built', 'data/digits')
    .option('--runs <dir>', 'the runs root', 'runs')
    .option('--samples-per-class <n>', 'digits dataset size per class', count, 150)
    .option('--nproc <n>', 'data-parallel workers of the fused run', count, 2)
    .option('--epochs <n>', 'epochs of the fused run (default: the run file\'s)', count)
    .option('--single-epochs <n>', 'epochs of each single-modality run (default: the fused run\'s)', count)
    .option('--port <n>', 'dashboard port (0: any free one)', (v: string) => Number(v), 0)
    .option('--no-dashboard', 'do not start the dashboard')
    .option('--keep-dashboard', 'keep serving the dashboard after the table, until Ctrl-C')
    .addHelpText('after', '\nExample:\n  $ omnitrain demo\n  $ omnitrain demo --samples-per-class 50 --epochs 2 --keep-dashboard')
    .action(async (opts: DemoOptions) => {
      const { runDemo } = await import('../compose/run-demo.js');
      await runDemo(opts);
    });
}

/** The flags of `demo`. */
export interface DemoOptions {
  config?: string;
  data: string;
  runs: string;
  samplesPerClass: number;
  nproc: number;
  epochs?: number;
  singleEpochs?: number;
  port: number;
  dashboard: boolean;
  keepDashboard?: boolean;
}
