/**
 * How the top-level handler prints an error: `error: <message>` (an OmnitrainError's message
 * already says op, expected, received, where and hint), followed by its causes' messages; with
 * `debug`, the stacks too; an unexpected error (a bug) says how to get its stack.
 *
 * @param error What a command threw.
 * @param debug Whether to print stacks (`OMNITRAIN_DEBUG=1`).
 * @returns The text to print on stderr.
 *
 * @example
 * process.stderr.write(formatCliError(error, process.env.OMNITRAIN_DEBUG === '1'));
 */
export function formatCliError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  const expected = error instanceof Error && 'op' in error;
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const e = current instanceof Error ? current : new Error(String(current));
    const known = /Error$/.test(e.name) && 'op' in e;
    const text = debug && e.stack ? e.stack : known ? e.message : `${e.name}: ${e.message.split('\n')[0]}`;
    lines.push(depth === 0 ? `error: ${text}` : `  caused by: ${text}`);
    current = e.cause;
  }
  if (!debug && !expected) lines.push('(set OMNITRAIN_DEBUG=1 for the stack)');
  return lines.join('\n');
}
