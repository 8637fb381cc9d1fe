// The six reference models of /work/shared/BENCHMARKS.md in plain tfjs ops (the same as
// tools/bench/train-torch.py builds in PyTorch): parameters as tf.variable, one training step =
// forward, softmax cross-entropy (mean), gradients, Adam 1e-3.
//   mlp:  784 -> dense 512 relu -> dense 512 relu -> dense 10, batch 128
//   cnn:  28x28x1 -> conv 16 3x3 valid relu -> maxpool 2 -> conv 32 3x3 valid relu -> maxpool 2 -> dense 10, batch 128
//   transformer: ids [b, 32] vocab 1000 -> embedding 64 + learned positions -> post-LN encoder block
//         (2 heads of 32, q/k/v/o with bias, FFN 64-256-64 tanh-GELU) -> mean over time -> dense 10, batch 64
//   gru:  ids [b, 32] vocab 1000 -> embedding 64 -> GRU 64 (PyTorch gate layout) -> dense 10, batch 64
//   audio2d: 64x64x1 -> conv 16 same relu -> maxpool 2 -> conv 32 same relu -> maxpool 2 -> conv 64 same relu
//         -> global average pool -> dense 10, batch 64
//   audio1d: [64, 64] -> conv1d 128 k3 same relu -> maxpool 2 -> conv1d 128 k3 same relu -> global average pool
//         -> dense 10, batch 64

/**
 * name -> { batch, input: (tf, batch) => tf.Tensor, build: (tf, ops) => (x) => logits }; `ops` holds
 * Omnitrain's fused ops on the backend that has them ({ fusedGruSequence, fusedGelu, fusedLayerNorm }
 * on wasm + kernels; PyTorch runs nn.GRU, F.gelu and nn.LayerNorm as fused kernels of its own).
 */
export const MODELS = {
  mlp: {
    batch: 128,
    input: (tf, b) => tf.randomNormal([b, 784]),
    build(tf) {
      const d1 = dense(tf, 784, 512);
      const d2 = dense(tf, 512, 512);
      const d3 = dense(tf, 512, 10);
      return (x) => d3(d2(d1(x, 'relu'), 'relu'));
    },
  },
  cnn: {
    batch: 128,
    input: (tf, b) => tf.randomNormal([b, 28, 28, 1]),
    build(tf) {
      const c1 = conv2d(tf, 1, 16, 'valid');
      const c2 = conv2d(tf, 16, 32, 'valid');
      const d = dense(tf, 5 * 5 * 32, 10);
      return (x) => {
        let h = tf.maxPool(c1(x, 'relu'), 2, 2, 'valid');
        h = tf.maxPool(c2(h, 'relu'), 2, 2, 'valid');
        return d(tf.reshape(h, [h.shape[0], -1]));
      };
    },
  },
  transformer: {
    batch: 64,
    input: (tf, b) => tf.randomUniform([b, 32], 0, 1000, 'int32'),
    build(tf, ops = {}) {
      const T = 32, D = 64, H = 2, dh = 32;
      const tok = tf.variable(tf.randomNormal([1000, D], 0, 0.02));
      const pos = tf.variable(tf.randomNormal([T, D], 0, 0.02));
      const q = dense(tf, D, D), k = dense(tf, D, D), v = dense(tf, D, D), o = dense(tf, D, D);
      const f1 = dense(tf, D, 256), f2 = dense(tf, 256, D);
      const ln1 = layerNorm(tf, D, ops), ln2 = layerNorm(tf, D, ops);
      const out = dense(tf, D, 10);
      const heads = (t, b) => tf.transpose(tf.reshape(t, [b, T, H, dh]), [0, 2, 1, 3]); // [b, H, T, dh]
      return (ids) => {
        const b = ids.shape[0];
        const x = tf.add(tf.gather(tok, ids), pos); // [b, T, D]
        const x2 = tf.reshape(x, [b * T, D]);
        const att = tf.softmax(tf.mul(tf.matMul(heads(q(x2), b), heads(k(x2), b), false, true), 1 / Math.sqrt(dh)));
        const ctx = tf.reshape(tf.transpose(tf.matMul(att, heads(v(x2), b)), [0, 2, 1, 3]), [b * T, D]);
        const h1 = ln1(tf.add(x2, o(ctx)));
        const h2 = ln2(tf.add(h1, f2(ops.fusedGelu ? ops.fusedGelu(f1(h1)) : gelu(tf, f1(h1)))));
        return out(tf.mean(tf.reshape(h2, [b, T, D]), 1));
      };
    },
  },
  gru: {
    batch: 64,
    input: (tf, b) => tf.randomUniform([b, 32], 0, 1000, 'int32'),
    // ops.fusedGruSequence (wasm + Omnitrain kernels): the recurrence in one kernel per pass, as
    // PyTorch's nn.GRU runs its own; without it, one step at a time in separate tfjs ops.
    build(tf, ops = {}) {
      const T = 32, D = 64, U = 64;
      const emb = tf.variable(tf.randomNormal([1000, D], 0, 0.1));
      const s = 1 / Math.sqrt(U);
      const wi = tf.variable(tf.randomUniform([D, 3 * U], -s, s)); // input weights of r, z, n
      const wh = tf.variable(tf.randomUniform([U, 3 * U], -s, s)); // recurrent weights of r, z, n
      const bi = tf.variable(tf.zeros([3 * U]));
      const bh = tf.variable(tf.zeros([3 * U]));
      const out = dense(tf, U, 10);
      return (ids) => {
        const b = ids.shape[0];
        // Input projections of every step in one product: [T, b, 3U].
        const xi = tf.reshape(
          tf.fused.matMul({ a: tf.reshape(tf.transpose(tf.gather(emb, ids), [1, 0, 2]), [T * b, D]), b: wi, bias: bi }),
          [T, b, 3 * U],
        );
        if (ops.fusedGruSequence) {
          const hs = ops.fusedGruSequence(
            { x: xi, h0: tf.zeros([b, U]), kernel: wh, bias: bh, mask: tf.ones([T, b]) },
            { resetAfter: true, recurrentActivation: 'sigmoid' },
          ); // [T, b, U]
          return out(tf.reshape(tf.slice(hs, [T - 1, 0, 0], [1, b, U]), [b, U]));
        }
        const xs = tf.unstack(xi);
        let h = tf.zeros([b, U]);
        for (let t = 0; t < T; t++) {
          const hh = tf.fused.matMul({ a: h, b: wh, bias: bh }); // [b, 3U]
          const [xr, xz, xn] = tf.split(xs[t], 3, 1);
          const [hr, hz, hn] = tf.split(hh, 3, 1);
          const r = tf.sigmoid(tf.add(xr, hr));
          const z = tf.sigmoid(tf.add(xz, hz));
          const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
          h = tf.add(n, tf.mul(z, tf.sub(h, n))); // (1 - z) n + z h
        }
        return out(h);
      };
    },
  },
  audio2d: {
    batch: 64,
    input: (tf, b) => tf.randomNormal([b, 64, 64, 1]),
    build(tf) {
      const c1 = conv2d(tf, 1, 16, 'same');
      const c2 = conv2d(tf, 16, 32, 'same');
      const c3 = conv2d(tf, 32, 64, 'same');
      const d = dense(tf, 64, 10);
      return (x) => {
        let h = tf.maxPool(c1(x, 'relu'), 2, 2, 'valid');
        h = tf.maxPool(c2(h, 'relu'), 2, 2, 'valid');
        h = c3(h, 'relu');
        return d(tf.mean(h, [1, 2]));
      };
    },
  },
  audio1d: {
    batch: 64,
    input: (tf, b) => tf.randomNormal([b, 64, 64]),
    build(tf) {
      const c1 = conv1d(tf, 64, 128);
      const c2 = conv1d(tf, 128, 128);
      const d = dense(tf, 128, 10);
      return (x) => {
        let h = tf.relu(c1(x)); // [b, 64, 128]
        h = tf.reshape(tf.maxPool(tf.reshape(h, [h.shape[0], 1, 64, 128]), [1, 2], [1, 2], 'valid'), [h.shape[0], 32, 128]);
        h = tf.relu(c2(h));
        return d(tf.mean(h, 1));
      };
    },
  },
};

function dense(tf, nIn, nOut) {
  const w = tf.variable(tf.randomNormal([nIn, nOut], 0, Math.sqrt(2 / nIn)));
  const b = tf.variable(tf.zeros([nOut]));
  // As tfjs-layers' Dense: fused product + bias + activation (tfjs runs it unfused under a gradient tape
  // when the activation is not linear, and then computes only the gradients it needs).
  return (x, activation = 'linear') => tf.fused.matMul({ a: x, b: w, bias: b, activation });
}
function conv2d(tf, cIn, cOut, pad) {
  const w = tf.variable(tf.randomNormal([3, 3, cIn, cOut], 0, Math.sqrt(2 / (9 * cIn))));
  const b = tf.variable(tf.zeros([cOut]));
  return (x, activation = 'linear') => tf.fused.conv2d({ x, filter: w, strides: 1, pad, bias: b, activation });
}
function conv1d(tf, cIn, cOut) {
  const w = tf.variable(tf.randomNormal([3, cIn, cOut], 0, Math.sqrt(2 / (3 * cIn))));
  const b = tf.variable(tf.zeros([cOut]));
  return (x) => tf.add(tf.conv1d(x, w, 1, 'same'), b);
}
function layerNorm(tf, d, ops = {}) {
  const g = tf.variable(tf.ones([d]));
  const b = tf.variable(tf.zeros([d]));
  if (ops.fusedLayerNorm) return (x) => ops.fusedLayerNorm(x, g, b, 1e-5);
  return (x) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
  };
}
function gelu(tf, x) {
  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}
