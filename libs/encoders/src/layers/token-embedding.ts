import { deriveSeed } from '@omnitrain/core';
import { add, cast, gather, notEqual, serialization, slice, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/** Options of {@link TokenEmbedding}. */
export interface TokenEmbeddingArgs {
  /** Number of token ids. */
  vocabSize: number;
  /** Size of each embedding vector. */
  dim: number;
  /** Longest sequence with a learned position embedding; 0 for none. Default 0. */
  maxLength?: number;
  /** Seed of the initial weights. Default: none (fresh random weights). */
  seed?: number;
  /** Layer name. Default: tfjs picks one. */
  name?: string;
}

/**
 * Token embedding (plus an optional learned positional embedding) that emits the attention mask as
 * the tfjs mask, so GRU/LSTM, attention and masked pooling after it ignore padding whatever the
 * padded ids are. Inputs `[ids, attentionMask]`, both `[batch, time]` (mask 1 = token, 0 = padding);
 * output `[batch, time, dim]`.
 *
 * @example
 * const x = new TokenEmbedding({ vocabSize: 1000, dim: 64, maxLength: 32 }).apply([ids, attentionMask]);
 */
export class TokenEmbedding extends layers.Layer {
  /** Serialization name. */
  static readonly className = 'OmnitrainTokenEmbedding';
  readonly vocabSize: number;
  readonly dim: number;
  readonly maxLength: number;
  readonly seed: number | undefined;
  private tokens!: LayerVariable;
  private positions: LayerVariable | undefined;

  constructor(args: TokenEmbeddingArgs) {
    super({ name: args.name });
    this.vocabSize = args.vocabSize;
    this.dim = args.dim;
    this.maxLength = args.maxLength ?? 0;
    this.seed = args.seed ?? undefined; // null after deserialization
    this.supportsMasking = true;
  }

  override build(): void {
    const init = (label: string) =>
      initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.seed === undefined ? undefined : deriveSeed(this.seed, label) });
    this.tokens = this.addWeight('tokens', [this.vocabSize, this.dim], 'float32', init('tokens'));
    if (this.maxLength > 0) {
      this.positions = this.addWeight('positions', [this.maxLength, this.dim], 'float32', init('positions'));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: (number | null)[][]): (number | null)[] {
    return [...inputShape[0]!, this.dim];
  }

  override computeMask(inputs: Tensor | Tensor[]): Tensor {
    return notEqual((inputs as Tensor[])[1]!, 0); // [batch, time] bool
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const ids = cast((inputs as Tensor[])[0]!, 'int32'); // [batch, time]
      const x = gather(this.tokens.read(), ids); // [batch, time, dim]
      if (this.positions === undefined) return x;
      const time = ids.shape[1]!;
      return add(x, slice(this.positions.read(), [0, 0], [time, this.dim])); // + [time, dim]
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), vocabSize: this.vocabSize, dim: this.dim, maxLength: this.maxLength, seed: this.seed ?? null };
  }
}
serialization.registerClass(TokenEmbedding);
