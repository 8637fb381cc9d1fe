import { writeFile } from 'node:fs/promises';
import type { Dataset, Modality } from '@omnitrain/data';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { formatTable } from '../progress/format-table.js';

const MODALITIES: readonly Modality[] = ['image', 'audio', 'text'];

/**
 * Adds `data inspect` and `data clean` to the program (their libs load when they run).
 *
 * @param program The root command.
 * @returns The `data` command, for more subcommands (`build-digits`).
 *
 * @example
 * const data = registerDataCommand(program);
 */
export function registerDataCommand(program: OmnitrainCommand): OmnitrainCommand {
  const data = program.command('data').description('Inspect, clean and build datasets.') as OmnitrainCommand;
  data
    .command('inspect')
    .description('Summarize a manifest or a dataset folder: rows, classes, modalities, splits.')
    .argument('<manifest|dir>', 'a JSONL/CSV manifest, a folder with manifest.jsonl, or class folders')
    .option('--modality <name>', 'modality of class folders (image, audio, text); default: guessed')
    .addHelpText('after', '\nExample:\n  $ omnitrain data inspect data/digits/manifest.jsonl')
    .action(async (path: string, opts: { modality?: Modality }) => {
      const { readDatasetAt } = await import('../run/read-dataset-at.js');
      const { dataset, readAs } = await readDatasetAt(path, opts.modality);
      process.stdout.write(`${describeDataset(dataset, readAs)}\n`);
    });
  data
    .command('clean')
    .description('Run the cleaning checks on a manifest and list every dropped row with its reasons.')
    .argument('<manifest>', 'a JSONL/CSV manifest or a dataset folder')
    .option('--report <out.jsonl>', 'also write the report as JSONL: a summary line, then one line per dropped row')
    .option('--no-duplicates', 'do not drop rows repeating an earlier row\'s content')
    .addHelpText('after', '\nExample:\n  $ omnitrain data clean data/train.csv --report clean-report.jsonl')
    .action(async (path: string, opts: { report?: string; duplicates: boolean }) => {
      const { cleanSamples, formatCleaningReport } = await import('@omnitrain/data');
      // The modality libs register their cleaning checks (unreadable image/audio, text) on import.
      await Promise.all([import('@omnitrain/image'), import('@omnitrain/audio'), import('@omnitrain/text')]);
      const { cleaningReportJsonl } = await import('../run/cleaning-report-jsonl.js');
      const { readDatasetAt } = await import('../run/read-dataset-at.js');
      const { dataset } = await readDatasetAt(path);
      const { createProgressBar } = await import('../progress/progress-bar.js');
      let bar: import('../progress/progress-bar.js').ProgressBar | undefined;
      let phase = '';
      const report = await cleanSamples(dataset.samples, {
        classes: dataset.classes,
        duplicates: opts.duplicates,
        onProgress: (p, done, total) => {
          if (p !== phase) {
            bar?.stop();
            phase = p;
            bar = createProgressBar({ label: p === 'check' ? 'checking rows' : 'hashing for duplicates', total });
          }
          bar!.update(done);
        },
      });
      bar?.stop();
      process.stdout.write(`${formatCleaningReport(report, { maxRows: 50 })}\n`);
      if (opts.report !== undefined) {
        await writeFile(opts.report, cleaningReportJsonl(report));
        process.stdout.write(`report: ${opts.report}\n`);
      }
    });
  return data;
}

/** The text `data inspect` prints. */
function describeDataset(dataset: Dataset, readAs: string): string {
  const { samples } = dataset;
  const modalities = MODALITIES.map((m) => `${m} ${samples.filter((s) => s[m] !== undefined).length}`).join(', ');
  const splits = new Map<string, number>();
  for (const s of samples) splits.set(s.split ?? '(none)', (splits.get(s.split ?? '(none)') ?? 0) + 1);
  const perClass = dataset.classes.map((c) => {
    const rows = samples.filter((s) => s.labels.includes(c));
    const row: Record<string, string | number> = { class: c, rows: rows.length };
    for (const m of MODALITIES) row[m] = rows.filter((s) => s[m] !== undefined).length;
    return row;
  });
  const lines = [
    `dataset: ${readAs}`,
    `rows: ${samples.length}${dataset.multiLabel ? ' (multi-label)' : ''}`,
    `classes: ${dataset.classes.length}`,
    `modalities (rows with each): ${modalities}`,
    `splits: ${[...splits].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (dataset.ignored.length) lines.push(`ignored files: ${dataset.ignored.length} (first: ${dataset.ignored[0]!.file}: ${dataset.ignored[0]!.reason})`);
  if (perClass.length) lines.push('', formatTable(perClass, { columns: ['class', 'rows', ...MODALITIES] }));
  return lines.join('\n');
}
