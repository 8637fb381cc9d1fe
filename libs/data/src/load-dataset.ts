import type { CleaningReport } from './clean/clean-samples.js';
import { cleanSamples } from './clean/clean-samples.js';
import type { DataConfig } from './config/data-config.js';
import { readClassFolders } from './manifest/read-class-folders.js';
import { readManifest } from './manifest/read-manifest.js';
import type { Dataset, Sample } from './manifest/sample.js';
import { sortClassNames } from './manifest/sort-class-names.js';
import { splitSamples } from './split/split-samples.js';

/** A dataset read, cleaned and split as its {@link DataConfig} says. */
export interface LoadedDataset {
  /** The classes in class-id order: the configured ones, else the labels of the kept rows, sorted. */
  classes: string[];
  multiLabel: boolean;
  /** The kept samples by split name. */
  splits: Record<string, Sample[]>;
  /** The cleaning report; undefined when cleaning is disabled. */
  report: CleaningReport | undefined;
  /** Files of a class-folder tree that were not read, with the reason. */
  ignored: Dataset['ignored'];
}

/**
 * Reads the manifest or class folders of a data config, cleans the rows (unless disabled) and
 * splits them. With cleaning on, unknown labels become report entries; with it off, they are errors.
 *
 * @param config A config from parseDataConfig.
 * @example
 * const data = await loadDataset(parseDataConfig({ manifest: 'data/all.csv', classes: ['cat', 'dog'] }));
 * console.log(formatCleaningReport(data.report!));
 * const sampler = new EpochSampler({ size: data.splits.train.length, batchSize: 32, rank, worldSize });
 */
export async function loadDataset(config: DataConfig): Promise<LoadedDataset> {
  const cleaning = config.cleaning.enabled;
  const strictClasses = cleaning ? undefined : config.classes;
  const dataset = config.folder
    ? await readClassFolders(config.folder.root, { ...config.folder, classes: config.classes })
    : await readManifest(config.manifest!, {
        format: config.format,
        classes: strictClasses,
        labelSeparator: config.labelSeparator,
      });
  const report = cleaning
    ? await cleanSamples(dataset.samples, {
        classes: config.classes,
        validators: config.cleaning.validators,
        duplicates: config.cleaning.duplicates,
        ...(config.cleaning.audioSeconds ? { audioSeconds: config.cleaning.audioSeconds } : {}),
      })
    : undefined;
  const samples = report ? report.kept : dataset.samples;
  return {
    classes: config.classes ? [...config.classes] : sortClassNames(samples.flatMap((s) => s.labels)),
    multiLabel: dataset.multiLabel,
    splits: splitSamples(samples, { seed: config.seed, ...config.split }),
    report,
    ignored: dataset.ignored,
  };
}
