import { copyFile, mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Sample } from '@omnitrain/data';
import type { Callback } from '@omnitrain/engine';
import { multimodalEvalSource } from '@omnitrain/multimodal';
import type { MultimodalFeaturizer } from '@omnitrain/multimodal';
import type { RunRecorder } from '@omnitrain/telemetry';

/** Options of {@link samplePredictionsCallback}. */
export interface SamplePredictionsOptions {
  /** Where events go (the chief's recorder); without one the callback does nothing. */
  recorder: RunRecorder | undefined;
  /** The run folder; media are copied into `<runDir>/samples/` so the run stays self-contained. */
  runDir: string;
  /** The split to show (the validation split). */
  samples: readonly Sample[];
  featurizer: MultimodalFeaturizer;
  /** Class names, by model output index. */
  classes: readonly string[];
  /** How many samples to show. Default 24. */
  count?: number;
  batchSize: number;
}

/**
 * Picks `count` samples of a split, spread over the classes (round-robin by label, in the split's
 * order, so the same samples every epoch), and after every validation pass predicts them and emits
 * a `samples` event (EVENTS.md): label, predicted class, confidence, the text itself, and the image /
 * audio copied once into `<runDir>/samples/` (paths relative to the run folder). The dashboard shows
 * them as thumbnails, audio players and text.
 *
 * @param options Recorder, run folder, split, featurizer, classes.
 * @returns The callback (named `sample-predictions`).
 *
 * @example
 * callbacks.push(samplePredictionsCallback({ recorder, runDir, samples: splits.val, featurizer, classes, batchSize: 32 }));
 */
export function samplePredictionsCallback(options: SamplePredictionsOptions): Callback {
  const chosen = pickAcrossClasses(options.samples, options.count ?? 24);
  let media: Map<string, { image?: string; audio?: string }> | undefined;
  return {
    name: 'sample-predictions',
    async onEvalEnd({ trainer, step, epoch, split }) {
      const recorder = options.recorder;
      if (!recorder || split !== 'val' || chosen.length === 0) return;
      media ??= await copyMedia(chosen, options.runDir);
      const source = multimodalEvalSource({ samples: chosen, featurizer: options.featurizer, batchSize: options.batchSize });
      const predictions = await trainer.predict(source.batches());
      recorder.emit({
        kind: 'samples',
        step,
        epoch,
        split: 'val',
        items: predictions.map((p, i) => {
          const s = chosen[i]!;
          const files = media!.get(s.id) ?? {};
          return {
            id: s.id,
            ...(s.labels[0] === undefined ? {} : { label: s.labels[0] }),
            predicted: options.classes[p.predicted] ?? String(p.predicted),
            confidence: Math.min(1, Math.max(0, p.probabilities[p.predicted] ?? 0)),
            ...files,
            ...(s.text === undefined ? {} : { text: s.text }),
          };
        }),
      });
    },
  };
}

/** Round-robin over labels in first-seen order, keeping the split's order inside each label. */
function pickAcrossClasses(samples: readonly Sample[], count: number): Sample[] {
  const byLabel = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = s.labels[0] ?? '';
    const list = byLabel.get(key) ?? [];
    list.push(s);
    byLabel.set(key, list);
  }
  const queues = [...byLabel.values()];
  const out: Sample[] = [];
  for (let round = 0; out.length < count && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q[round] && out.length < count) out.push(q[round]!);
  }
  return out;
}

async function copyMedia(samples: readonly Sample[], runDir: string): Promise<Map<string, { image?: string; audio?: string }>> {
  const dir = join(runDir, 'samples');
  await mkdir(dir, { recursive: true });
  const out = new Map<string, { image?: string; audio?: string }>();
  let n = 0;
  for (const s of samples) {
    const files: { image?: string; audio?: string } = {};
    for (const kind of ['image', 'audio'] as const) {
      const from = s[kind];
      if (!from) continue;
      // A numbered prefix keeps names unique; the extension tells the dashboard the media type.
      const name = `${String(n).padStart(3, '0')}-${kind}${extname(from) || ''}`;
      try {
        await copyFile(from, join(dir, name));
        files[kind] = `samples/${name}`;
      } catch (error) {
        process.stderr.write(`warning: sample ${s.id}: cannot copy ${basename(from)} into the run folder (${(error as Error).message})\n`);
      }
    }
    out.set(s.id, files);
    n++;
  }
  return out;
}
