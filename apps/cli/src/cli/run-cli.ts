import { CommanderError } from 'commander';
import { EXIT_CODES, exitCodeFor } from '../exit-codes.js';
import { buildProgram } from './build-program.js';
import { formatCliError } from './format-cli-error.js';

/**
 * Runs `omnitrain` with the given arguments and returns its exit code instead of exiting, so tests
 * and other programs can call it. Usage errors return 2; an error a command throws is printed as
 * its message (an OmnitrainError's `op: expected X, got Y (where). Hint: ...`), with the stack
 * only when `OMNITRAIN_DEBUG=1`, and mapped by {@link exitCodeFor}.
 *
 * @param argv Like `process.argv`: node, script, then the arguments.
 * @returns The exit code (see EXIT_CODES).
 *
 * @example
 * process.exitCode = await runCli(process.argv);
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander printed the help already. Anything else is usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.ok;
      if (error.code !== 'commander.help') process.stderr.write(`${error.message}\n`);
      process.stderr.write(`Run "omnitrain --help" for the commands${error.code === 'commander.help' ? '' : ', "omnitrain <command> --help" for their flags'}.\n`);
      return EXIT_CODES.config;
    }
    process.stderr.write(`${formatCliError(error, process.env['OMNITRAIN_DEBUG'] === '1')}\n`);
    return exitCodeFor(error);
  }
}
