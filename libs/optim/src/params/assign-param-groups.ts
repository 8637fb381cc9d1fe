import { ConfigError } from '@omnitrain/core';
import { matchParams } from './param-pattern.js';

/** A group spec as configs write it: patterns plus an optional name. */
export interface GroupSpec {
  readonly params: readonly string[];
  readonly name?: string | undefined;
}

/** Which parameters a group got, by name. */
export interface AssignedGroup {
  readonly name: string;
  readonly params: string[];
}

/**
 * Splits parameter names into groups: each name joins the first group with a matching pattern
 * (see `matchParams`); names no group matches form a last group named `default`.
 *
 * @param names All parameter names, in order.
 * @param groups Group specs, in order.
 * @param op The operation named in errors. Default `optim.paramGroups`.
 * @returns One entry per spec, then `default` (possibly empty).
 * @throws ConfigError when a group matches no parameter not already taken (usually a typo).
 *
 * @example
 * assignParamGroups(['enc/w', 'head/w'], [{ params: ['enc/*'], name: 'encoder' }]);
 * // [{ name: 'encoder', params: ['enc/w'] }, { name: 'default', params: ['head/w'] }]
 */
export function assignParamGroups(
  names: readonly string[],
  groups: readonly GroupSpec[],
  op = 'optim.paramGroups',
): AssignedGroup[] {
  const free = new Set(names);
  const out = groups.map((spec, i) => {
    const params = matchParams(free, spec.params);
    const name = spec.name ?? `group${i}`;
    if (params.length === 0) {
      throw new ConfigError({
        op,
        expected: `group "${name}" (${spec.params.join(', ')}) to match at least one parameter not in an earlier group`,
        received: 'no match',
        hint: `parameters: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}`,
      });
    }
    for (const p of params) free.delete(p);
    return { name, params };
  });
  return [...out, { name: 'default', params: [...free] }];
}
