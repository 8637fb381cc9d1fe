import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';
import { matchParams } from '@omnitrain/optim';

function setTrainable(op: string, variables: Readonly<Record<string, tf.Variable>>, patterns: readonly string[], trainable: boolean): string[] {
  const names = Object.keys(variables);
  const unmatched = patterns.filter((p) => matchParams(names, [p]).length === 0);
  if (unmatched.length > 0) {
    throw new ConfigError({
      op,
      expected: 'patterns (names or globs with * and ?) that each match a variable',
      received: `no match for ${unmatched.map((p) => `"${p}"`).join(', ')}`,
      hint: `variables: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`,
    });
  }
  const matched = matchParams(names, patterns);
  for (const n of matched) variables[n]!.trainable = trainable;
  return matched;
}

/**
 * Freezes the variables whose names match `patterns` (globs as optim's `matchParams`): the Trainer
 * computes no gradient for them and the optimizer leaves them alone.
 *
 * @returns The names frozen.
 * @throws ConfigError when a pattern matches nothing (usually a typo).
 *
 * @example
 * freeze(model.variables, ['encoder/*']);
 */
export function freeze(variables: Readonly<Record<string, tf.Variable>>, patterns: readonly string[]): string[] {
  return setTrainable('engine.freeze', variables, patterns, false);
}

/**
 * Makes the variables whose names match `patterns` trainable again.
 *
 * @returns The names unfrozen.
 * @throws ConfigError when a pattern matches nothing.
 *
 * @example
 * unfreeze(model.variables, ['encoder/block4/*']);
 */
export function unfreeze(variables: Readonly<Record<string, tf.Variable>>, patterns: readonly string[]): string[] {
  return setTrainable('engine.unfreeze', variables, patterns, true);
}
