import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, Rng } from '@omnitrain/core';

/** A dense layer's variables: `y = x kernel + bias`. */
export interface DenseParams {
  /** `[in, out]`. */
  kernel: tf.Variable;
  /** `[out]`. */
  bias: tf.Variable;
}

/**
 * Creates a head's named variables with a seeded initialization, so the same config (seed
 * included) always gives the same initial weights, and keeps them by checkpoint name.
 *
 * @example
 * const store = new ParamStore('early', 0);
 * const hidden = store.dense('hidden', 96, 32); // early/hidden/kernel, early/hidden/bias
 */
export class ParamStore {
  readonly #vars: Record<string, tf.Variable> = {};
  readonly #rng: Rng;

  /**
   * @param prefix Put before every name, with a slash (the head's name).
   * @param seed Seed of the initialization stream.
   */
  constructor(
    readonly prefix: string,
    seed: number,
  ) {
    this.#rng = Rng.stream(seed, { purpose: 'fusion-init' });
  }

  /** The variables by full name, in creation order. */
  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.#vars;
  }

  /** A Glorot-uniform variable; fans are the last two dimensions (`[..., in, out]`). */
  glorot(name: string, shape: number[]): tf.Variable {
    const fanIn = shape.length > 1 ? shape[shape.length - 2]! : shape[0]!;
    const fanOut = shape[shape.length - 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return this.#add(name, shape, () => (2 * this.#rng.float() - 1) * limit);
  }

  /** A variable drawn from N(0, std^2). */
  normal(name: string, shape: number[], std: number): tf.Variable {
    return this.#add(name, shape, () => this.#rng.normal(0, std));
  }

  /** A variable filled with `value`. */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.#add(name, shape, () => value);
  }

  /** A dense layer `in -> out`: Glorot kernel, zero bias. */
  dense(name: string, inDim: number, outDim: number): DenseParams {
    return { kernel: this.glorot(`${name}/kernel`, [inDim, outDim]), bias: this.constant(`${name}/bias`, [outDim], 0) };
  }

  /** The current values by name (the caller disposes them). */
  read(): tf.NamedTensorMap {
    return Object.fromEntries(Object.entries(this.#vars).map(([n, v]) => [n, tf.clone(v)]));
  }

  /**
   * Assigns values by name; every variable must be present with its shape.
   *
   * @throws CheckpointError naming the missing or mismatched variable.
   */
  assign(tensors: tf.NamedTensorMap): void {
    for (const [name, v] of Object.entries(this.#vars)) {
      const t = tensors[name];
      const fail = (received: string): never => {
        throw new CheckpointError({
          op: 'fusion.loadWeights',
          expected: `tensor "${name}" of shape [${v.shape.join(', ')}]`,
          received,
          hint: 'load a checkpoint saved from a head with the same config (see head.getConfig())',
        });
      };
      if (t === undefined) fail('no such tensor');
      else if (!tf.util.arraysEqual(t.shape, v.shape)) fail(`shape [${t.shape.join(', ')}]`);
    }
    for (const [name, v] of Object.entries(this.#vars)) v.assign(tf.cast(tensors[name]!, 'float32'));
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of Object.values(this.#vars)) v.dispose();
  }

  #add(name: string, shape: number[], draw: () => number): tf.Variable {
    const full = `${this.prefix}/${name}`;
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, draw);
    // tfjs variable names are global; leave them unnamed and keep our own names.
    this.#vars[full] = tf.variable(tf.tensor(values, shape, 'float32'), true);
    return this.#vars[full];
  }
}
