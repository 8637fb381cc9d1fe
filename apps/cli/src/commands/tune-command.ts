import { InvalidArgumentError, Option } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { setOption } from '../cli/set-option.js';

function intAtLeast(min: number, flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} expects an integer >= ${min}, got "${value}"`);
    return n;
  };
}

/**
 * Adds `tune` to the program: hyperparameter and architecture search over a search-space file,
 * each trial a real training run with per-epoch pruning. The work lives in compose/tune-run.ts,
 * imported when the command runs.
 *
 * @example
 * registerTuneCommand(program);
 * // $ omnitrain tune examples/digits.yaml --space examples/tune-space.yaml --trials 8 --sampler tpe --pruner asha
 */
export function registerTuneCommand(program: OmnitrainCommand): void {
  program
    .command('tune')
    .description('Search hyperparameters and architectures: each trial trains the run with sampled --set overrides; bad trials are pruned early.')
    .argument('<run.yaml>', 'the base run file')
    .requiredOption('--space <space.yaml>', 'the search space: dotted config path -> {uniform|loguniform: [lo, hi]} | {int: [lo, hi], step} | {choice: [...]}')
    .addOption(new Option('--trials <n>', 'trials to finish').argParser(intAtLeast(1, '--trials')).default(8))
    .addOption(new Option('--sampler <name>', 'how points are proposed').choices(['tpe', 'random', 'grid']).default('tpe'))
    .addOption(new Option('--pruner <name>', 'early stopping of bad trials on the per-epoch metric').choices(['asha', 'median', 'none']).default('asha'))
    .option('--metric <name>', 'the objective, an epoch metric: val/accuracy, val/loss, accuracy, ...', 'val/accuracy')
    .addOption(new Option('--mode <mode>', 'maximize or minimize the metric').choices(['max', 'min']).default('max'))
    .addOption(new Option('--parallel <n>', 'trials running at once (in this process)').argParser(intAtLeast(1, '--parallel')).default(1))
    .addOption(new Option('--seed <n>', 'seed of the random and TPE samplers').argParser(intAtLeast(0, '--seed')).default(0))
    .addOption(new Option('--grid-points <n>', 'grid sampler: points per continuous range').argParser(intAtLeast(1, '--grid-points')).default(3))
    .option('--search-id <id>', 'the search folder under telemetry.runsDir (default: <name>-tune-<UTC time>); an existing one is resumed')
    .option('--out <best.yaml>', 'where to write the best config (default: <search folder>/best.yaml)')
    .addOption(setOption())
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  $ omnitrain tune examples/digits.yaml --space examples/tune-space.yaml --trials 8 --sampler tpe --pruner asha --metric val/accuracy --mode max',
        '',
        'A space file (examples/tune-space.yaml):',
        '  optim.optimizer.lr: { loguniform: [1.0e-4, 3.0e-2] }',
        '  model.fusion.hiddenDim: { int: [16, 64], step: 16 }',
        '  model.fusion.name: { choice: [early, gated] }',
        '',
        'Each trial is a run folder <search-id>-t0000, ...; the search folder holds the trial events and best.yaml.',
      ].join('\n'),
    )
    .action(async (file: string, opts: { space: string; trials: number; sampler: string; pruner: string; metric: string; mode: 'max' | 'min'; parallel: number; seed: number; gridPoints: number; searchId?: string; out?: string; set: string[] }) => {
      const { tuneCommand } = await import('../compose/tune-run.js');
      await tuneCommand({ file, ...opts, overrides: opts.set });
    });
}
