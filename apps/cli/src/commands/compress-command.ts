import { CommanderError, InvalidArgumentError, Option } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { setOption } from '../cli/set-option.js';

function sparsity(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`--prune expects a sparsity in [0, 1), got "${value}"`);
  return n;
}

function epochs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--finetune-epochs expects an integer >= 0, got "${value}"`);
  return n;
}

function unit(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${flag} expects a number in [0, 1], got "${value}"`);
    return n;
  };
}

function positive(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} expects a number > 0, got "${value}"`);
    return n;
  };
}

interface CompressFlags {
  prune?: number;
  quantize?: 'int8';
  finetuneEpochs: number;
  distillFrom?: string;
  student?: string;
}

/** Flag combinations that make no sense are usage errors (exit 2), caught before TensorFlow.js loads. */
function checkFlags(opts: CompressFlags): void {
  const usage = (message: string): never => {
    throw new CommanderError(2, 'omnitrain.compress.usage', `error: ${message}`);
  };
  if (opts.prune === undefined && opts.quantize === undefined && opts.distillFrom === undefined) usage('compress needs at least one of --prune, --quantize, --distill-from');
  if (opts.finetuneEpochs > 0 && opts.prune === undefined) usage('--finetune-epochs needs --prune (the fine-tune runs the pruning schedule)');
  if ((opts.distillFrom === undefined) !== (opts.student === undefined)) usage('--distill-from and --student go together (the teacher run and the student run file)');
}

/**
 * Adds `compress` to the program: magnitude pruning (with an optional fine-tune under a
 * polynomial-decay schedule) int8 post-training quantization and knowledge distillation into a smaller student of a trained run, each variant
 * evaluated on the test split and saved in a new run folder; prints variant, parameters (nonzero),
 * size on disk, test accuracy and its delta. The work lives in compose/compress-run.ts, imported when
 * the command runs.
 *
 * @example
 * registerCompressCommand(program);
 * // $ omnitrain compress runs/digits-a --prune 0.5 --finetune-epochs 2 --quantize int8 --per-channel
 */
export function registerCompressCommand(program: OmnitrainCommand): void {
  program
    .command('compress')
    .description('Prune and/or int8-quantize a trained run; evaluates each variant on the test split and writes them to a new run folder.')
    .argument('<run-dir|checkpoint>', 'a run folder (runs/<id>) or a step-*.safetensors file inside one')
    .addOption(new Option('--prune <sparsity>', 'magnitude-prune the weights (biases and norms excluded) to this sparsity, e.g. 0.5').argParser(sparsity))
    .option('--structured', 'prune whole output units / filters (L1 norm) instead of single weights', false)
    .addOption(new Option('--finetune-epochs <n>', 'fine-tune with the pruning schedule (masks held after every step); 0 prunes at once').argParser(epochs).default(0))
    .addOption(new Option('--quantize <dtype>', 'post-training quantization of the weights').choices(['int8']))
    .option('--per-channel', 'one int8 scale per output channel instead of one per tensor', false)
    .option('--distill-from <teacher-run>', 'a trained run (folder or checkpoint) whose model teaches the student')
    .option('--student <student.yaml>', "the student's run file (same data and features, a smaller model), trained by distillation for its train.epochs")
    .addOption(new Option('--alpha <a>', 'distillation: weight of the hard-label loss (1 - alpha weighs the teacher term)').argParser(unit('--alpha')).default(0.5))
    .addOption(new Option('--temperature <T>', 'distillation: softmax temperature').argParser(positive('--temperature')).default(2))
    .option('--run-id <id>', 'the new run folder name (default: <runId>-compressed-<UTC time>)')
    .addOption(setOption())
    .addHelpText('after', '\nExample:\n  $ omnitrain compress runs/digits-a --prune 0.5 --finetune-epochs 2 --quantize int8 --per-channel\n  $ omnitrain compress runs/digits-a --distill-from runs/digits-a --student student.yaml --quantize int8')
    .action(async (target: string, opts: { prune?: number; structured: boolean; finetuneEpochs: number; quantize?: 'int8'; perChannel: boolean; distillFrom?: string; student?: string; alpha: number; temperature: number; runId?: string; set: string[] }) => {
      checkFlags(opts);
      const { compressCommand } = await import('../compose/compress-run.js');
      await compressCommand({ target, ...opts, overrides: opts.set });
    });
}
