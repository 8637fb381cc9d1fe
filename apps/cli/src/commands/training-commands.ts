import { InvalidArgumentError, Option } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { setOption } from '../cli/set-option.js';

/** Parses a flag value as an integer >= `min`, or fails as a usage error (exit 2). */
function intAtLeast(min: number, flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${flag} expects an integer >= ${min}, got "${value}"`);
    }
    return n;
  };
}

/** Parses `--elastic min:max` (1 <= min <= max), or fails as a usage error (exit 2). */
function elasticRange(value: string): { min: number; max: number } {
  const m = /^(\d+):(\d+)$/.exec(value.trim());
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1 || max < min) throw new InvalidArgumentError(`--elastic expects min:max with 1 <= min <= max, got "${value}"`);
  return { min, max };
}

/**
 * Adds `train`, `launch`, `eval` and `predict` to the program. Their work lives in compose/ and
 * is imported when the command runs, so `omnitrain --help` does not load TensorFlow.js.
 *
 * @example
 * registerTrainingCommands(program);
 * // $ omnitrain train examples/digits.yaml --set train.epochs=1
 */
export function registerTrainingCommands(program: OmnitrainCommand): void {
  program
    .command('train')
    .description('Train one model in this process (or as one worker of `launch`), resuming from the run folder\'s latest checkpoint.')
    .argument('<run.yaml>', 'the run file')
    .addOption(setOption())
    .option('--run-id <id>', 'run folder name under telemetry.runsDir; an existing folder with a checkpoint is resumed')
    .addHelpText('after', '\nExample:\n  $ omnitrain train examples/digits.yaml --set train.epochs=2 --run-id digits-a')
    .action(async (file: string, opts: { set: string[]; runId?: string }) => {
      const { trainCommand } = await import('../compose/train-command.js');
      await trainCommand({ file, overrides: opts.set, runId: opts.runId });
    });
  program
    .command('launch')
    .description('Train data-parallel on N worker processes of this host (or the hosts of a hostfile), restarting the group from the last checkpoint on a failure.')
    .argument('<run.yaml>', 'the run file')
    .addOption(new Option('--nproc <n>', 'worker processes per host (default: distributed.nproc)').argParser(intAtLeast(1, '--nproc')))
    .option('--hostfile <file>', 'lines "host slots=N"; workers start over ssh on each host')
    .addOption(new Option('--max-restarts <k>', 'restarts of the whole group (default: distributed.maxRestarts)').argParser(intAtLeast(0, '--max-restarts')))
    .addOption(new Option('--elastic <min:max>', 'elastic group: survivors of a failure regroup without restarting, replacements join up to max, below min the group restarts (default: distributed.elastic)').argParser(elasticRange))
    .option('--slurm', 'print an sbatch script that runs the workers with srun (nproc tasks per node) instead of launching here')
    .addOption(new Option('--nodes <n>', 'nodes of the Slurm job (with --slurm)').argParser(intAtLeast(1, '--nodes')))
    .addOption(setOption())
    .option('--run-id <id>', 'run folder name under telemetry.runsDir (default: <config name>-<UTC time>)')
    .addHelpText('after', '\nExample:\n  $ omnitrain launch --nproc 2 --max-restarts 2 examples/digits.yaml\n  $ omnitrain launch --nproc 2 --elastic 1:2 --max-restarts 3 examples/digits.yaml\n  $ omnitrain launch --slurm --nodes 2 --nproc 4 examples/digits.yaml > train.sbatch && sbatch train.sbatch')
    .action(async (file: string, opts: { nproc?: number; hostfile?: string; maxRestarts?: number; elastic?: { min: number; max: number }; slurm?: boolean; nodes?: number; set: string[]; runId?: string }) => {
      const { launchCommand } = await import('../compose/launch-command.js');
      await launchCommand({ file, overrides: opts.set, runId: opts.runId, nproc: opts.nproc, hostfile: opts.hostfile, maxRestarts: opts.maxRestarts, elastic: opts.elastic, slurm: opts.slurm, nodes: opts.nodes });
    });
  program
    .command('eval')
    .description('Evaluate a run\'s latest checkpoint (or a given checkpoint file) on a split of its data.')
    .argument('<run-dir|checkpoint>', 'a run folder (runs/<id>) or a step-*.safetensors file inside one')
    .option('--split <name>', 'the split to evaluate', 'test')
    .addOption(setOption())
    .addHelpText('after', '\nExample:\n  $ omnitrain eval runs/digits-20261128-050000 --split val')
    .action(async (target: string, opts: { split: string; set: string[] }) => {
      const { evalCommand } = await import('../compose/eval-command.js');
      await evalCommand({ target, split: opts.split, overrides: opts.set });
    });
  program
    .command('predict')
    .description('Predict the class of every row of a manifest with a checkpoint; prints (or writes) JSONL.')
    .argument('<checkpoint>', 'a run folder or a step-*.safetensors file inside one')
    .argument('<manifest>', 'a JSONL/CSV manifest (labels optional)')
    .option('--out <file.jsonl>', 'write the predictions here instead of stdout')
    .addOption(setOption())
    .addHelpText('after', '\nExample:\n  $ omnitrain predict runs/digits-a/checkpoints/step-00000120.safetensors data/new.jsonl --out preds.jsonl')
    .action(async (checkpoint: string, manifest: string, opts: { out?: string; set: string[] }) => {
      const { predictCommand } = await import('../compose/predict-command.js');
      await predictCommand({ checkpoint, manifest, out: opts.out, overrides: opts.set });
    });
}
