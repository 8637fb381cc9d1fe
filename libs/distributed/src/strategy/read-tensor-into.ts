import * as tf from '@tensorflow/tfjs-core';

/** What the tfjs wasm backend offers to read a tensor where it lives (duck-typed: no import of the backend). */
interface HeapBackend {
  dataIdMap?: { has(dataId: object): boolean };
  typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array | Int32Array | Uint8Array;
}

/**
 * Writes `t`'s values, times `scale`, into `dst` from `offset` on: read in place from the wasm heap
 * when `t` lives on the tfjs wasm backend (one copy, no allocation), else through `t.data()`.
 *
 * @param t A float32 tensor (not disposed).
 * @param dst The fused buffer.
 * @param offset Where `t`'s first value goes.
 * @param scale Factor applied while copying; 1 copies.
 * @example
 * await readTensorInto(grad, bucket, 1024, 0.5); // bucket[1024 ..] = grad * 0.5
 */
export async function readTensorInto(t: tf.Tensor, dst: Float32Array, offset: number, scale = 1): Promise<void> {
  const backend = tf.backend() as unknown as HeapBackend;
  let src: Float32Array;
  if (t.dtype === 'float32' && backend.typedArrayFromHeap && backend.dataIdMap?.has(t.dataId)) {
    // A view of the backend's memory: used at once (no await), before any op could grow the heap.
    src = backend.typedArrayFromHeap(t) as Float32Array;
  } else {
    src = (await t.data()) as Float32Array;
  }
  if (scale === 1) {
    dst.set(src, offset);
    return;
  }
  for (let i = 0; i < src.length; i++) dst[offset + i] = src[i]! * scale;
}
