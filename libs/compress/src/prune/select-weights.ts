import { ConfigError } from '@omnitrain/core';

/** The default exclusions of pruning and quantization: biases and normalization parameters. */
export const DEFAULT_EXCLUDE: readonly string[] = ['*bias*', '*norm*', '*gamma*', '*beta*', '*moving_*'];

/** Options of {@link selectWeights}. */
export interface SelectWeightsOptions {
  /** Globs (`*` any run of characters, `?` one) naming the candidates. Default `['*']`. */
  include?: readonly string[];
  /** Globs removed from the candidates. Default {@link DEFAULT_EXCLUDE}. */
  exclude?: readonly string[];
  /** The operation, for the error. Default `compress.selectWeights`. */
  op?: string;
}

/**
 * Picks the weight names to compress: those matching an `include` glob and no `exclude` glob, in
 * their original order. An include glob that matches nothing is a typo, so it throws.
 *
 * @param names Every weight name of the model.
 * @param options include / exclude globs.
 * @returns The selected names.
 * @throws ConfigError naming the include globs that matched nothing.
 *
 * @example
 * selectWeights(['dense/kernel', 'dense/bias'], {}); // ['dense/kernel']
 */
export function selectWeights(names: readonly string[], options: SelectWeightsOptions = {}): string[] {
  const include = (options.include ?? ['*']).map(globToRegExp);
  const exclude = (options.exclude ?? DEFAULT_EXCLUDE).map(globToRegExp);
  const unmatched = (options.include ?? []).filter((_, i) => !names.some((n) => include[i]!.test(n)));
  if (unmatched.length) {
    throw new ConfigError({
      op: options.op ?? 'compress.selectWeights',
      expected: 'every include glob to match at least one weight',
      received: `${unmatched.map((g) => JSON.stringify(g)).join(', ')} matched none`,
      where: 'field include',
      hint: `weights are named like ${names.slice(0, 4).map((n) => JSON.stringify(n)).join(', ')}${names.length > 4 ? `, ... (${names.length})` : ''}`,
    });
  }
  return names.filter((n) => include.some((r) => r.test(n)) && !exclude.some((r) => r.test(n)));
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
