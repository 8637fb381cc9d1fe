import { basename } from 'node:path';
import type { OmnitrainCommand } from '../cli/omnitrain-command.js';
import { setOption } from '../cli/set-option.js';

/**
 * Adds `config schema` (the run config's JSON Schema, for editors) and `config check <run.yaml>`
 * (validate a run file and print it resolved, defaults filled in) to the program. The run schema
 * (which loads every lib) is imported when the command runs, so `--help` stays fast.
 *
 * @example
 * registerConfigCommand(program);
 * // $ omnitrain config schema > run.schema.json
 */
export function registerConfigCommand(program: OmnitrainCommand): void {
  const config = program.command('config').description('Print the run config\'s JSON Schema or check a run file.');
  config
    .command('schema')
    .description('Print the JSON Schema (draft 2020-12) of run files, for editors and CI checks.')
    .addHelpText('after', '\nExample:\n  $ omnitrain config schema > run.schema.json\n  # then in run.yaml: # yaml-language-server: $schema=./run.schema.json')
    .action(async () => {
      const { configJsonSchema } = await import('@omnitrain/core');
      const { runConfigObjectSchema } = await import('../config/run-config.js');
      const schema = configJsonSchema(runConfigObjectSchema, { title: 'Omnitrain run config' });
      process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    });
  config
    .command('check')
    .description('Validate a run file (with --set overrides) and print it resolved, defaults filled in.')
    .argument('<run.yaml>', 'the run file')
    .addOption(setOption())
    .addHelpText('after', '\nExample:\n  $ omnitrain config check examples/digits.yaml --set optim.optimizer.lr=0.01')
    .action(async (file: string, opts: { set: string[] }) => {
      const { loadConfig } = await import('@omnitrain/core');
      const { runConfigSchema } = await import('../config/run-config.js');
      const run = await loadConfig(file, runConfigSchema, { overrides: opts.set });
      process.stdout.write(`${JSON.stringify({ ...run, name: run.name ?? basename(file).replace(/\.ya?ml$/, '') }, null, 2)}\n`);
      process.stderr.write(`${file}: ok\n`);
    });
}
