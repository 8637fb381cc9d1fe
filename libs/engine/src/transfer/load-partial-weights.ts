import type * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@omnitrain/core';

/** One renaming of source tensor names: a glob (each `*` captures, `$1`... in `to`) or a RegExp. */
export interface RenameRule {
  readonly from: string | RegExp;
  readonly to: string;
}

/** Options of {@link loadPartialWeights}. */
export interface LoadPartialWeightsOptions {
  /** Renamings applied to each source name, first match wins. Default: none. */
  rename?: readonly RenameRule[];
  /** Throw (assigning nothing) unless every variable and every source tensor matched with its shape. Default false. */
  strict?: boolean;
}

/** What {@link loadPartialWeights} did. */
export interface TransferReport {
  /** Variables assigned. */
  readonly matched: string[];
  /** Variables with no source tensor (left as they were). */
  readonly missing: string[];
  /** Source tensors (renamed) that name no variable. */
  readonly unexpected: string[];
  /** Variables whose source tensor has another shape (left as they were). */
  readonly shapeMismatched: { readonly name: string; readonly source: string; readonly expected: number[]; readonly received: number[] }[];
}

/**
 * Copies pretrained tensors into the variables whose (renamed) names match, the way torch's
 * `load_state_dict(strict=False)` does, and reports what matched, what is missing, what was
 * unexpected and what had the wrong shape (e.g. a new classifier head).
 *
 * @param variables The model's variables by name.
 * @param tensors Source tensors by name (e.g. `loadWeights(file).tensors`); read, not disposed.
 * @param options rename (none), strict (false).
 * @throws ConfigError in strict mode when anything did not match; nothing is assigned then.
 *
 * @example
 * const { tensors } = await loadWeights('pretrained.safetensors');
 * const report = loadPartialWeights(model.variables, tensors, { rename: [{ from: 'backbone.*', to: 'encoder/$1' }] });
 * console.log(formatTransferReport(report));
 */
export function loadPartialWeights(
  variables: Readonly<Record<string, tf.Variable>>,
  tensors: Readonly<Record<string, tf.Tensor>>,
  options: LoadPartialWeightsOptions = {},
): TransferReport {
  const rules = (options.rename ?? []).map((r) => ({ re: typeof r.from === 'string' ? globToCapturingRegExp(r.from) : r.from, to: r.to }));
  const renamed = new Map<string, string>(); // target name -> source name
  const unexpected: string[] = [];
  for (const source of Object.keys(tensors)) {
    const rule = rules.find((r) => new RegExp(r.re.source, r.re.flags.replace('g', '')).test(source));
    const target = rule ? source.replace(new RegExp(rule.re.source, rule.re.flags.replace('g', '')), rule.to) : source;
    if (variables[target] === undefined) unexpected.push(source);
    else renamed.set(target, source);
  }
  const matched: string[] = [];
  const missing: string[] = [];
  const shapeMismatched: TransferReport['shapeMismatched'] = [];
  for (const [name, v] of Object.entries(variables)) {
    const source = renamed.get(name);
    if (source === undefined) {
      missing.push(name);
      continue;
    }
    const t = tensors[source]!;
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      shapeMismatched.push({ name, source, expected: [...v.shape], received: [...t.shape] });
    } else {
      matched.push(name);
    }
  }
  const report = { matched, missing, unexpected, shapeMismatched };
  if (options.strict && (missing.length > 0 || unexpected.length > 0 || shapeMismatched.length > 0)) {
    throw new ConfigError({
      op: 'engine.loadPartialWeights',
      expected: 'every variable and every source tensor to match with the same shape (strict)',
      received: `${missing.length} missing, ${unexpected.length} unexpected, ${shapeMismatched.length} with another shape`,
      hint: `${reportLines(report).slice(0, 6).join('; ')}; pass strict: false to load what matches`,
    });
  }
  for (const name of matched) variables[name]!.assign(tensors[renamed.get(name)!]!);
  return report;
}

/**
 * The lines of a report (missing, unexpected, shape mismatches), for errors and `formatTransferReport`.
 *
 * @example
 * reportLines(report); // ['missing: head/b', ...]
 */
export function reportLines(r: TransferReport): string[] {
  return [
    ...r.missing.map((n) => `missing: ${n}`),
    ...r.unexpected.map((n) => `unexpected: ${n}`),
    ...r.shapeMismatched.map((m) => `shape mismatch: ${m.name} expects [${m.expected}], ${m.source} has [${m.received}]`),
  ];
}

function globToCapturingRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '(.*)' : ch === '?' ? '(.)' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}
