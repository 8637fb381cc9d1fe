import { Option } from 'commander';

/**
 * The repeatable `--set key.path=value` option of every command that reads a run file; the
 * values are applied with core's `applyOverrides` before validation (read as YAML scalars).
 *
 * @returns A fresh commander Option (an Option belongs to one command).
 *
 * @example
 * program.command('train').argument('<run.yaml>').addOption(setOption());
 * // $ omnitrain train run.yaml --set train.epochs=1 --set optim.optimizer.lr=0.01
 */
export function setOption(): Option {
  return new Option('--set <key=value>', 'override a run-file field, e.g. --set train.epochs=1 (repeatable)')
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([]);
}
