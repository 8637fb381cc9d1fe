// The entry of one featurize thread of FeaturizerPool (not part of the public door): builds the
// same MultimodalFeaturizer as the main thread from cloneable options, then answers requests in
// order of arrival. Fresh (augmented) feature arrays are transferred, cached ones are copied.
import { parentPort, workerData } from 'node:worker_threads';
import { OmnitrainError } from '@omnitrain/core';
import { MultimodalFeaturizer } from './multimodal-featurizer.js';
import type { SampleFeatures } from './multimodal-featurizer.js';
import type { FeaturizeRequest, FeaturizeReply, PoolWorkerData, WireError } from './featurizer-pool.js';

function wireError(e: unknown): WireError {
  if (e instanceof OmnitrainError) {
    const { op, expected, received, where, hint } = e;
    return { name: e.name, message: e.message, details: { op, expected, received, where, hint } };
  }
  return { name: 'Error', message: e instanceof Error ? e.message : String(e) };
}

/** Buffers to transfer: only arrays made for this request, each owning its whole buffer. */
function freshBuffers(f: SampleFeatures, featurizer: MultimodalFeaturizer, training: boolean): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: Float32Array | undefined, fresh: boolean) => {
    if (a && fresh && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.push(a.buffer as ArrayBuffer);
  };
  add(f.image, training && (featurizer.image?.augments ?? false));
  add(f.audio, training && (featurizer.audio?.augments ?? false));
  return out;
}

const port = parentPort!;
const data = workerData as PoolWorkerData;
MultimodalFeaturizer.create(data.options).then(
  async (featurizer) => {
    // Warm up (load the decoders, compile the hot code) on one sample before the first batch asks.
    const first = data.options.trainSamples[0];
    if (first) await featurizer.featurize(first, { epoch: 0, training: true }).catch(() => undefined);
    port.on('message', (req: FeaturizeRequest) => {
      featurizer.featurize(req.sample, { epoch: req.epoch, training: req.training }).then(
        (features) => {
          const reply: FeaturizeReply = { id: req.id, features };
          port.postMessage(reply, freshBuffers(features, featurizer, req.training));
        },
        (e: unknown) => port.postMessage({ id: req.id, error: wireError(e) } satisfies FeaturizeReply),
      );
    });
    port.postMessage({ id: -1 } satisfies FeaturizeReply);
  },
  (e: unknown) => port.postMessage({ id: -1, error: wireError(e) } satisfies FeaturizeReply),
);
