import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { CheckpointError, ConfigError, DataError } from '@omnitrain/core';
import { assignParamGroups } from '../params/assign-param-groups.js';
import { clipGradNorm } from '../regularization/clip-grad-norm.js';
import { clipGradValue } from '../regularization/clip-grad-value.js';
import type {
  NamedConfig,
  NamedGradients,
  NamedVariables,
  Optimizer,
  OptimizerState,
  ParamGroup,
} from './optimizer.js';
import { STRUCTURAL_KEYS } from './optimizer-schema.js';
import type { BaseOptimizerConfig, GroupOptions } from './optimizer-schema.js';
import type { UpdateRule } from './update-rule.js';

const FORMAT = 'omnitrain.optim/1';

const stateMetaSchema = z.object({
  format: z.literal(FORMAT),
  optimizer: z.string(),
  iterations: z.int().min(0),
  steps: z.record(z.string(), z.int().min(1)),
  lrs: z.array(z.number().min(0)),
});

interface GroupState<O> {
  readonly name: string;
  readonly params: readonly string[];
  readonly options: O;
  lr: number;
}

/**
 * The one {@link Optimizer} implementation: torch's shared optimizer machinery (parameter groups,
 * maximize, coupled / decoupled weight decay, gradient clipping, per-parameter step counts, state
 * export) around an algorithm's {@link UpdateRule}. SGD, Adam, ... are a rule plus a config schema.
 *
 * @example
 * const opt = new GradientOptimizer(sgdRule, parsedSgdConfig, { w, b }); // what `sgd(...)` does
 */
export class GradientOptimizer<C extends BaseOptimizerConfig> implements Optimizer {
  readonly name: string;
  readonly #rule: UpdateRule<GroupOptions<C>>;
  readonly #config: C;
  readonly #params: ReadonlyMap<string, tf.Variable>;
  readonly #groups: GroupState<GroupOptions<C> & BaseOptimizerConfig>[];
  readonly #groupOf = new Map<string, number>();
  #slots = new Map<string, Readonly<Record<string, tf.Tensor>>>();
  #steps = new Map<string, number>();
  #iterations = 0;

  /**
   * @param rule The algorithm.
   * @param config The parsed config (defaults filled; see `optimizerSchema`).
   * @param params The variables to update, by name.
   * @throws ConfigError when a group matches nothing or a group's options are inconsistent.
   */
  constructor(rule: UpdateRule<GroupOptions<C>>, config: C, params: NamedVariables) {
    this.name = config.name;
    this.#rule = rule;
    this.#config = config;
    this.#params = new Map(Object.entries(params));
    const top = withoutStructuralKeys(config);
    const assigned = assignParamGroups([...this.#params.keys()], config.groups, `optim.${config.name}`);
    this.#groups = assigned.map((g, i) => {
      const overrides = i < config.groups.length ? withoutStructuralKeys(config.groups[i]!, ['params']) : {};
      const options = { ...top, ...overrides } as GroupOptions<C> & BaseOptimizerConfig;
      const problem = rule.check?.(options);
      if (problem !== undefined) {
        throw new ConfigError({ op: `optim.${config.name}`, expected: 'consistent options', received: problem, where: `group "${g.name}"` });
      }
      for (const p of g.params) this.#groupOf.set(p, i);
      return { name: g.name, params: g.params, options, lr: options.lr };
    });
  }

  get groups(): ParamGroup[] {
    return this.#groups.map((g) => ({ name: g.name, params: g.params, lr: g.lr, initialLr: g.options.lr, options: g.options }));
  }

  get iterations(): number {
    return this.#iterations;
  }

  setLr(lr: number | readonly number[]): void {
    const lrs = typeof lr === 'number' ? this.#groups.map(() => lr) : lr;
    if (lrs.length !== this.#groups.length || lrs.some((x) => !(x >= 0))) {
      throw new ConfigError({
        op: `optim.${this.name}.setLr`,
        expected: `a learning rate >= 0, or one per group (${this.#groups.length}: ${this.#groups.map((g) => g.name).join(', ')})`,
        received: JSON.stringify(lr),
      });
    }
    lrs.forEach((x, i) => (this.#groups[i]!.lr = x));
  }

  applyGradients(grads: NamedGradients): void {
    const names = this.#checkGradients(grads);
    tf.tidy(() => {
      let g: NamedGradients = Object.fromEntries(names.map((n) => [n, grads[n]!]));
      if (this.#config.clipNorm !== undefined) g = clipGradNorm(g, this.#config.clipNorm, this.#config.clipNormType).grads;
      if (this.#config.clipValue !== undefined) g = clipGradValue(g, this.#config.clipValue);
      for (const name of names) this.#update(name, g[name]!);
    });
    this.#iterations++;
  }

  #update(name: string, grad: tf.Tensor): void {
    const group = this.#groups[this.#groupOf.get(name)!]!;
    const { options: o, lr } = group;
    const variable = this.#params.get(name)!;
    let param: tf.Tensor = variable;
    let g = o.maximize ? tf.neg(grad) : grad;
    if (o.weightDecay !== 0) {
      if (o.decoupledWeightDecay) param = tf.mul(param, 1 - lr * o.weightDecay);
      else g = tf.add(g, tf.mul(param, o.weightDecay));
    }
    const step = (this.#steps.get(name) ?? 0) + 1;
    const old = this.#slots.get(name) ?? {};
    const out = this.#rule.update({ param, grad: g, slots: old, step, lr, options: o });
    variable.assign(out.param);
    const kept = new Set(Object.values(out.slots));
    for (const t of kept) tf.keep(t);
    for (const t of Object.values(old)) if (!kept.has(t)) t.dispose();
    this.#slots.set(name, out.slots);
    this.#steps.set(name, step);
  }

  #checkGradients(grads: NamedGradients): string[] {
    for (const [name, g] of Object.entries(grads)) {
      const p = this.#params.get(name);
      if (p === undefined) {
        throw new DataError({
          op: `optim.${this.name}.applyGradients`,
          expected: 'gradients for parameters the optimizer was built with',
          received: `a gradient for unknown parameter "${name}"`,
          hint: `known parameters: ${[...this.#params.keys()].slice(0, 20).join(', ')}`,
        });
      }
      if (!tf.util.arraysEqual(p.shape, g.shape) || g.dtype !== 'float32') {
        throw new DataError({
          op: `optim.${this.name}.applyGradients`,
          expected: `a float32 gradient of shape [${p.shape.join(', ')}]`,
          received: `${g.dtype} [${g.shape.join(', ')}]`,
          where: `parameter "${name}"`,
        });
      }
    }
    return [...this.#params.keys()].filter((n) => grads[n] !== undefined);
  }

  exportState(): OptimizerState {
    const tensors: tf.NamedTensorMap = {};
    for (const [param, slots] of this.#slots) {
      for (const [slot, t] of Object.entries(slots)) tensors[`${param}/${slot}`] = tf.clone(t);
    }
    const meta = {
      format: FORMAT,
      optimizer: this.name,
      iterations: this.#iterations,
      steps: Object.fromEntries(this.#steps),
      lrs: this.#groups.map((g) => g.lr),
    };
    return { tensors, meta };
  }

  importState(state: OptimizerState): void {
    const fail = (expected: string, received: string): never => {
      throw new CheckpointError({ op: `optim.${this.name}.importState`, expected, received });
    };
    const parsed = stateMetaSchema.safeParse(state.meta);
    if (!parsed.success || parsed.data.optimizer !== this.name) {
      fail(`a ${FORMAT} state of optimizer "${this.name}"`, JSON.stringify(state.meta).slice(0, 200));
    }
    const meta = parsed.data!;
    if (meta.lrs.length !== this.#groups.length) fail(`${this.#groups.length} group learning rates`, String(meta.lrs.length));
    const slots = new Map<string, Record<string, tf.Tensor>>();
    for (const [key, t] of Object.entries(state.tensors)) {
      const cut = key.lastIndexOf('/');
      const param = this.#params.get(key.slice(0, cut));
      if (cut < 0 || param === undefined) fail('tensors named <known parameter>/<slot>', `"${key}"`);
      if (!tf.util.arraysEqual(param!.shape, t.shape)) fail(`"${key}" of shape [${param!.shape}]`, `[${t.shape}]`);
      slots.set(key.slice(0, cut), { ...slots.get(key.slice(0, cut)), [key.slice(cut + 1)]: t });
    }
    for (const name of Object.keys(meta.steps)) if (!this.#params.has(name)) fail('steps of known parameters', `"${name}"`);
    this.#disposeSlots();
    for (const [param, s] of slots) {
      this.#slots.set(param, Object.fromEntries(Object.entries(s).map(([k, t]) => [k, tf.keep(tf.clone(t))])));
    }
    this.#steps = new Map(Object.entries(meta.steps));
    this.#iterations = meta.iterations;
    meta.lrs.forEach((lr, i) => (this.#groups[i]!.lr = lr));
  }

  getConfig(): NamedConfig {
    return structuredClone(this.#config);
  }

  dispose(): void {
    this.#disposeSlots();
  }

  #disposeSlots(): void {
    for (const slots of this.#slots.values()) for (const t of Object.values(slots)) t.dispose();
    this.#slots = new Map();
  }
}

function withoutStructuralKeys(o: object, extra: readonly string[] = []): Record<string, unknown> {
  const skip = new Set<string>([...STRUCTURAL_KEYS, ...extra]);
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => !skip.has(k) && v !== undefined));
}
