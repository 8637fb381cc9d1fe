import { InvalidArgumentError } from 'commander';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { createProgressBar } from '../progress/progress-bar.js';

/** The default folder of the embedded digits dataset, relative to the working folder. */
export const DIGITS_DIR = 'data/digits';

/**
 * Adds `data build-digits [--out dir]` under the `data` command: builds the embedded tri-modal
 * digits dataset (MNIST images, spoken words, captions; no network) with a progress bar.
 *
 * @param data The `data` command.
 *
 * @example
 * registerBuildDigitsCommand(registerDataCommand(program));
 */
export function registerBuildDigitsCommand(data: OmnitrainCommand): void {
  data
    .command('build-digits')
    .description('Build the embedded tri-modal digits dataset (images, spoken words, captions) offline; skips an identical existing build.')
    .option('--out <dir>', 'the dataset folder', DIGITS_DIR)
    .option('--samples-per-class <n>', 'samples per digit', nonNegativeInt, 150)
    .option('--seed <n>', 'seed of every choice', nonNegativeInt, 0)
    .addHelpText('after', '\nExample:\n  $ omnitrain data build-digits --out data/digits --samples-per-class 50')
    .action(async (opts: { out: string; samplesPerClass: number; seed: number }) => {
      const build = await buildDigitsWithProgress(opts.out, { samplesPerClass: opts.samplesPerClass, seed: opts.seed });
      process.stdout.write(
        `${build.skipped ? 'already built' : 'built'}: ${build.manifest} (${build.samples} rows; ${Object.entries(build.splits).map(([k, v]) => `${k} ${v}`).join(', ')})\n`,
      );
    });
}

/**
 * Builds (or finds) the digits dataset in `outDir`, drawing a progress bar while writing.
 *
 * @example
 * const { manifest } = await buildDigitsWithProgress('data/digits', { samplesPerClass: 30 });
 */
export async function buildDigitsWithProgress(outDir: string, options: { samplesPerClass?: number; seed?: number } = {}) {
  const { buildDigits } = await import('@omnitrain/multimodal');
  let bar: ReturnType<typeof createProgressBar> | undefined;
  const build = await buildDigits({
    outDir,
    ...options,
    onProgress: (done, total) => {
      bar ??= createProgressBar({ label: 'building digits', total });
      bar.update(done);
    },
  });
  bar?.stop();
  return build;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer >= 0, got "${value}"`);
  return n;
}
