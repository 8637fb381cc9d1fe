import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

describe('omnitrain (built binary): usage', () => {
  it('prints help with the commands, exit codes and an example, and exits 0', async () => {
    const r = await runOmnitrain(['--help']);
    expect(r.code).toBe(EXIT_CODES.ok);
    for (const command of ['train', 'launch', 'eval', 'predict', 'data', 'config', 'dashboard', 'demo']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(r.stdout).toContain('130');
    expect(r.stdout).toContain('$ omnitrain train');
  });

  it('gives every command a --help with an example', async () => {
    const r = await runOmnitrain(['data', 'clean', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: omnitrain data clean \[options\] <manifest>[\s\S]*Example:\n  \$ omnitrain data clean /);
    // Every leaf command, in process (the same program the binary builds).
    const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
    const all = leaves(buildProgram()).filter((c) => c.name() !== 'help');
    expect(all.map((c) => c.name()).sort()).toEqual(['build-digits', 'check', 'clean', 'compress', 'dashboard', 'demo', 'eval', 'inspect', 'launch', 'predict', 'schema', 'train', 'tune']);
    for (const command of all) {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      expect(text, command.name()).toMatch(new RegExp(`Example:\\n  \\$ omnitrain \\S*\\s?${command.name()}`));
    }
  });

  it('suggests the nearest command for a typo and exits 2', async () => {
    const names = ['train', 'launch', 'predict', 'dashboard'];
    const name = names[Math.floor(Math.random() * names.length)]!;
    const i = 1 + Math.floor(Math.random() * (name.length - 2));
    const typo = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2); // swap two letters
    const r = await runOmnitrain([typo, 'x.yaml']);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain(`unknown command '${typo}'`);
    expect(r.stderr).toContain(`Did you mean "${name}"?`);
  });

  it('suggests the nearest flag for an unknown flag and exits 2', async () => {
    const r = await runOmnitrain(['launch', '--nprocs', '2', 'x.yaml']);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain(`unknown option '--nprocs'`);
    expect(r.stderr).toContain('Did you mean "--nproc"?');
  });

  it('lists each known flag once and points run settings at --set when no flag is near', async () => {
    const r = await runOmnitrain(['train', '--learningrate', '0.1', 'x.yaml']);
    expect(r.code).toBe(EXIT_CODES.config);
    const known = /Known flags: ([^(\n]*)/.exec(r.stderr)![1]!.trim().split(', ');
    expect(known).toEqual([...new Set(known)]);
    expect(known).toContain('--set');
    expect(r.stderr).toContain('--set <section>.<key>=<value>');
  });

  it('exits 2 without a command, and on a missing argument', async () => {
    expect((await runOmnitrain([])).code).toBe(EXIT_CODES.config);
    const r = await runOmnitrain(['train']);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain('missing required argument');
  });
});
