/**
 * Names of `names` that match at least one of `patterns`, in `names` order. A pattern is a
 * parameter name, or a glob where `*` matches any run of characters (`/` and `.` included) and
 * `?` matches one: `encoder/*`, `*bias`, `head.dense?.kernel`.
 *
 * @param names Parameter names.
 * @param patterns Names or globs. Default: none (nothing matches).
 * @returns The matching names.
 *
 * @example
 * matchParams(['enc/w', 'enc/b', 'head/w'], ['enc/*']); // ['enc/w', 'enc/b']
 * matchParams(['enc/w', 'enc/b', 'head/w'], ['*b']);    // ['enc/b']
 */
export function matchParams(names: Iterable<string>, patterns: readonly string[]): string[] {
  const regexps = patterns.map(globToRegExp);
  return [...names].filter((name) => regexps.some((r) => r.test(name)));
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}
