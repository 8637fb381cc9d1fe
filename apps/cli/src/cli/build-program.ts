import { readFileSync } from 'node:fs';
import { registerConfigCommand } from '../commands/config-command.js';
import { registerBuildDigitsCommand } from '../commands/build-digits-command.js';
import { registerDataCommand } from '../commands/data-command.js';
import { registerTrainingCommands } from '../commands/training-commands.js';
import { registerDashboardCommand } from '../commands/dashboard-command.js';
import { registerDemoCommand } from '../commands/demo-command.js';
import { registerCompressCommand } from '../commands/compress-command.js';
import { registerTuneCommand } from '../commands/tune-command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { OmnitrainCommand } from './omnitrain-command.js';

const EXIT_CODE_HELP = `
Exit codes:
  ${EXIT_CODES.ok}    ok
  ${EXIT_CODES.training}    training failed
  ${EXIT_CODES.config}    usage or config error (unknown command or flag, invalid YAML, bad field)
  ${EXIT_CODES.data}    data error (unreadable manifest or sample)
  ${EXIT_CODES.distributed}    distributed failure (a worker died and restarts ran out)
  ${EXIT_CODES.interrupted}  interrupted (Ctrl-C, SIGTERM)

Environment:
  OMNITRAIN_BACKEND   tensorflow-gpu | tensorflow | wasm | cpu (default: the first that loads)
  OMNITRAIN_DEBUG=1   print stacks with errors

Example:
  $ omnitrain train examples/digits.yaml --set train.epochs=1
  $ omnitrain launch --nproc 2 examples/digits.yaml`;

/**
 * Builds the `omnitrain` command tree: train, launch, eval, predict, data (inspect, clean,
 * build-digits), config (schema, check), dashboard and demo. Usage errors throw CommanderErrors
 * (see runCli) instead of exiting.
 *
 * @example
 * await buildProgram().parseAsync(['node', 'omnitrain', 'config', 'schema']);
 */
export function buildProgram(): OmnitrainCommand {
  const program = new OmnitrainCommand('omnitrain');
  program
    .description('Train multi-modal models on TensorFlow.js, alone or data-parallel over ZeroMQ, and watch them live.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', EXIT_CODE_HELP);
  registerTrainingCommands(program);
  registerBuildDigitsCommand(registerDataCommand(program));
  registerConfigCommand(program);
  registerDashboardCommand(program);
  registerDemoCommand(program);
  registerCompressCommand(program);
  registerTuneCommand(program);
  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
