import { ConfigError } from '@omnitrain/core';

/**
 * Turns a run filter into a test: `/regex/flags` is a regular expression; anything else is a glob
 * (`*` any run of characters, `?` one character, `[abc]` a class) that must match the whole run id
 * or name. An empty filter matches every run.
 *
 * @throws ConfigError for an invalid regular expression, naming it.
 * @example
 * const match = runFilter('mnist-*');
 * match('mnist-lr0.1'); // true
 * runFilter('/lr0\\.(1|01)$/')('mnist-lr0.01'); // true
 */
export function runFilter(filter: string | undefined): (text: string) => boolean {
  const pattern = (filter ?? '').trim();
  if (pattern === '') return () => true;
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (regex !== null) {
    try {
      const compiled = new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, ''));
      return (text) => compiled.test(text);
    } catch (error) {
      throw new ConfigError({
        op: 'dashboard.runFilter',
        expected: 'a valid regular expression between slashes',
        received: pattern,
        hint: (error as Error).message,
      });
    }
  }
  const compiled = new RegExp(`^${globToRegexSource(pattern)}$`);
  return (text) => compiled.test(text);
}

function globToRegexSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return out;
}
