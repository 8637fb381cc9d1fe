import {
  add, cast, dropout, engine, getBackend, getKernel, matMul, moments, mul, pow, reshape, rsqrt, scalar, serialization, softmax, sub, tanh, tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { deriveSeed } from '@omnitrain/core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/** Options of {@link TransformerBlock}. */
export interface TransformerBlockArgs {
  /** Model width (input and output size). */
  dModel: number;
  /** Attention heads; must divide dModel. */
  numHeads: number;
  /** Hidden size of the feed-forward network. */
  ffDim: number;
  /** Dropout on attention weights and on both residual branches in training. Default 0. */
  dropout?: number;
  /** Layer-norm epsilon. Default 1e-5 (PyTorch's). */
  epsilon?: number;
  /** Seed of the initial weights. Default: none (fresh random weights). */
  seed?: number;
  /** Layer name. Default: tfjs picks one. */
  name?: string;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * Fused kernels this block uses where the active backend has them (@omnitrain/wasm-kernels registers
 * both, and their gradients, on wasm): one kernel each way instead of ~10-25 element-wise ones. Looked
 * up by name, as encoders may not import wasm-kernels; the same formulas as the op-by-op paths below.
 */
const FUSED_GELU = 'OmnitrainGelu';
const FUSED_LAYER_NORM = 'OmnitrainLayerNorm';
const hasKernel = (name: string): boolean => getKernel(name, getBackend()) !== undefined;

/** tanh-approximated GELU: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. */
function gelu(x: Tensor): Tensor {
  if (hasKernel(FUSED_GELU)) return engine().runKernel(FUSED_GELU, { x } as unknown as NamedTensorMap) as Tensor;
  return mul(mul(x, 0.5), add(tanh(mul(add(x, mul(pow(x, 3), 0.044715)), GELU_C)), 1));
}

/** `x W + b` on the last axis of `[batch, time, in]`: the same matmul on `[batch * time, in]`. */
function dense(x: Tensor, w: LayerVariable, b: LayerVariable): Tensor {
  const [batch, time, inDim] = x.shape as [number, number, number];
  const y = add(matMul(reshape(x, [batch * time, inDim]), w.read()), b.read()); // [batch * time, out]
  return reshape(y, [batch, time, -1]); // [batch, time, out]
}

/**
 * One post-LN Transformer encoder block (the original Vaswani / PyTorch `norm_first=False` layout):
 * `x = LN(x + MHA(x)); x = LN(x + FFN(x))`, multi-head self-attention with q/k/v/o projections with
 * bias and a key padding mask from the incoming mask, FFN `dModel -> ffDim -> dModel` with tanh-GELU.
 * GELU and layer norm run as fused kernels where the backend registered them (wasm with Omnitrain's
 * kernels); weights, config and checkpoints are the same either way.
 * `[batch, time, dModel] -> [batch, time, dModel]`; the mask passes through.
 *
 * @example
 * const y = new TransformerBlock({ dModel: 64, numHeads: 2, ffDim: 256 }).apply(embedded);
 */
export class TransformerBlock extends layers.Layer {
  /** Serialization name. */
  static readonly className = 'OmnitrainTransformerBlock';
  readonly dModel: number;
  readonly numHeads: number;
  readonly ffDim: number;
  readonly rate: number;
  readonly epsilon: number;
  readonly seed: number | undefined;
  private w: Record<string, LayerVariable> = {};

  constructor(args: TransformerBlockArgs) {
    super({ name: args.name });
    this.dModel = args.dModel;
    this.numHeads = args.numHeads;
    this.ffDim = args.ffDim;
    this.rate = args.dropout ?? 0;
    this.epsilon = args.epsilon ?? 1e-5;
    this.seed = args.seed ?? undefined; // null after deserialization
    this.supportsMasking = true;
  }

  override build(): void {
    const d = this.dModel;
    const glorot = (name: string) =>
      initializers.glorotUniform({ seed: this.seed === undefined ? undefined : deriveSeed(this.seed, name) });
    const shapes: [string, number[], 'glorot' | 'zeros' | 'ones'][] = [
      ['q/kernel', [d, d], 'glorot'], ['q/bias', [d], 'zeros'],
      ['k/kernel', [d, d], 'glorot'], ['k/bias', [d], 'zeros'],
      ['v/kernel', [d, d], 'glorot'], ['v/bias', [d], 'zeros'],
      ['o/kernel', [d, d], 'glorot'], ['o/bias', [d], 'zeros'],
      ['ln1/gamma', [d], 'ones'], ['ln1/beta', [d], 'zeros'],
      ['ff1/kernel', [d, this.ffDim], 'glorot'], ['ff1/bias', [this.ffDim], 'zeros'],
      ['ff2/kernel', [this.ffDim, d], 'glorot'], ['ff2/bias', [d], 'zeros'],
      ['ln2/gamma', [d], 'ones'], ['ln2/beta', [d], 'zeros'],
    ];
    for (const [name, shape, init] of shapes) {
      const initializer = init === 'glorot' ? glorot(name) : init === 'ones' ? initializers.ones() : initializers.zeros();
      this.w[name] = this.addWeight(name, shape, 'float32', initializer);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
    return inputShape;
  }

  /** The padding mask passes through unchanged (tfjs reads null as "no mask", which its typings omit). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor {
    return (Array.isArray(mask) ? mask[0] : mask) ?? (null as unknown as Tensor);
  }

  override call(inputs: Tensor | Tensor[], kwargs: { mask?: Tensor; training?: boolean }): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs; // [batch, time, dModel]
      const training = kwargs.training === true && this.rate > 0;
      const drop = (t: Tensor): Tensor => (training ? dropout(t, this.rate) : t);
      const attended = drop(this.attention(x, kwargs.mask, drop)); // [batch, time, dModel]
      const h = this.layerNorm(add(x, attended), 'ln1');
      const ff = dense(gelu(dense(h, this.w['ff1/kernel']!, this.w['ff1/bias']!)), this.w['ff2/kernel']!, this.w['ff2/bias']!);
      return this.layerNorm(add(h, drop(ff)), 'ln2'); // [batch, time, dModel]
    });
  }

  /** Multi-head self-attention; padded keys get -1e9 before the softmax. */
  private attention(x: Tensor, mask: Tensor | undefined, drop: (t: Tensor) => Tensor): Tensor {
    const [batch, time] = x.shape as [number, number, number];
    const h = this.numHeads;
    const dh = this.dModel / h;
    const heads = (name: string): Tensor =>
      transpose(reshape(dense(x, this.w[`${name}/kernel`]!, this.w[`${name}/bias`]!), [batch, time, h, dh]), [0, 2, 1, 3]); // [batch, heads, time, dh]
    const q = heads('q');
    const k = heads('k');
    const v = heads('v');
    let scores = mul(matMul(q, k, false, true), 1 / Math.sqrt(dh)); // [batch, heads, time, time]
    if (mask != null) {
      const keep = reshape(cast(mask, 'float32'), [batch, 1, 1, time]); // [batch, 1, 1, time]
      scores = add(scores, mul(sub(scalar(1), keep), -1e9));
    }
    const context = matMul(drop(softmax(scores)), v); // [batch, heads, time, dh]
    const merged = reshape(transpose(context, [0, 2, 1, 3]), [batch, time, this.dModel]); // [batch, time, dModel]
    return dense(merged, this.w['o/kernel']!, this.w['o/bias']!);
  }

  /** Layer norm over the last axis with the `prefix` gamma and beta. */
  private layerNorm(x: Tensor, prefix: 'ln1' | 'ln2'): Tensor {
    const gamma = this.w[`${prefix}/gamma`]!.read();
    const beta = this.w[`${prefix}/beta`]!.read();
    if (hasKernel(FUSED_LAYER_NORM)) {
      return engine().runKernel(FUSED_LAYER_NORM, { x, gamma, beta } as unknown as NamedTensorMap, { epsilon: this.epsilon } as unknown as NamedAttrMap) as Tensor;
    }
    const { mean, variance } = moments(x, -1, true);
    const normed = mul(sub(x, mean), rsqrt(add(variance, this.epsilon)));
    return add(mul(normed, gamma), beta);
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      dModel: this.dModel,
      numHeads: this.numHeads,
      ffDim: this.ffDim,
      dropout: this.rate,
      epsilon: this.epsilon,
      seed: this.seed ?? null,
    };
  }
}
serialization.registerClass(TransformerBlock);
