import { Command, Help } from 'commander';
import { nearest } from '@omnitrain/core';
import { EXIT_CODES } from '../exit-codes.js';

/**
 * A commander Command whose usage errors exit with code 2 and suggest the nearest command or
 * flag with core's `nearest` (the same rule as every registry's "did you mean"), and whose
 * subcommands are OmnitrainCommands too.
 *
 * @example
 * const program = new OmnitrainCommand('omnitrain');
 * program.command('train').argument('<run.yaml>');
 * // omnitrain trian run.yaml -> error: unknown command 'trian'. Did you mean "train"?
 */
export class OmnitrainCommand extends Command {
  override createCommand(name?: string): OmnitrainCommand {
    return new OmnitrainCommand(name);
  }

  /** Commander calls this for a flag no command on the path declares. */
  unknownOption(flag: string): never {
    const candidates: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) {
      for (const option of new Help().visibleOptions(c)) if (option.long && !candidates.includes(option.long)) candidates.push(option.long);
    }
    const name = flag.split('=')[0]!;
    const near = nearest(name, candidates);
    // Run settings are not flags: `--epochs 3` is `--set train.epochs=3`.
    const setting = candidates.includes('--set') && !near ? ' (run settings are not flags: --set <section>.<key>=<value>, e.g. --set train.epochs=3)' : '';
    const hint = near ? `. Did you mean "${near}"?` : `. Known flags: ${candidates.join(', ')}${setting}`;
    this.error(`error: unknown option '${flag}'${hint}`, {
      code: 'commander.unknownOption',
      exitCode: EXIT_CODES.config,
    });
  }

  /** Commander calls this for a first argument that names no subcommand. */
  unknownCommand(): never {
    const name = this.args[0] ?? '';
    const candidates = this.commands.map((c) => c.name());
    const near = nearest(name, candidates);
    const hint = near ? `. Did you mean "${near}"?` : `. Commands: ${candidates.join(', ')}`;
    this.error(`error: unknown command '${name}'${hint}`, {
      code: 'commander.unknownCommand',
      exitCode: EXIT_CODES.config,
    });
  }
}
