import type { SamplePredictionsEvent } from '../events/event-schema.js';
import type { TensorboardValue } from './encode-summary-value.js';
import { imageHeader } from './image-header.js';
import type { TensorboardEntry } from './tensorboard-values.js';
import { wavHeader } from './wav-header.js';

/** How {@link sampleSummaries} gets the media files a `samples` event names. */
export interface SampleSummariesOptions {
  /** Reads a media file by the path in the event (relative to the run folder); rejects when it cannot. */
  readMedia: (path: string) => Promise<Uint8Array>;
  /** Told about every media file left out (unreadable, too large, not PNG / JPEG / WAV), with why. */
  onSkip: (path: string, reason: string) => void;
}

/**
 * Turns a `samples` event into TensorBoard records at its step, in the folder of its split. Each
 * item gets tags under `samples/<label>/<k>` (`k` counts the items of that label in the event, so
 * the same sample keeps its tags from epoch to epoch): `/image` (`Summary.Image`, PNG or JPEG),
 * `/audio` (`Summary.Audio`, WAV) and `/prediction`, a text record with the caption
 * "label L, predicted P (0.87)", the sample id and, below them, the text input as a quote. A media file that cannot
 * be used is reported to `onSkip` and left out; the other records are still written.
 *
 * @param event The `samples` event.
 * @param options How to read media, and whom to tell about skipped files.
 *
 * @example
 * const entry = await sampleSummaries(event, { readMedia: (p) => readFile(join(runDir, p)), onSkip: (p, why) => console.warn(p, why) });
 */
export async function sampleSummaries(event: SamplePredictionsEvent, options: SampleSummariesOptions): Promise<TensorboardEntry> {
  const values: TensorboardValue[] = [];
  const perLabel = new Map<string, number>();
  for (const item of event.items) {
    const label = item.label ?? 'unlabeled';
    const k = perLabel.get(label) ?? 0;
    perLabel.set(label, k + 1);
    const prefix = `samples/${label.replaceAll('/', '_')}/${k}`;
    if (item.image !== undefined) {
      const bytes = await read(item.image, options);
      const header = bytes && imageHeader(bytes);
      if (bytes && !header) options.onSkip(item.image, 'not a PNG or JPEG image (or a CMYK JPEG)');
      if (bytes && header) values.push({ tag: `${prefix}/image`, image: { ...header, encoded: bytes } });
    }
    if (item.audio !== undefined) {
      const bytes = await read(item.audio, options);
      const header = bytes && wavHeader(bytes);
      if (bytes && !header) options.onSkip(item.audio, 'not a WAV file');
      if (bytes && header) values.push({ tag: `${prefix}/audio`, audio: { ...header, encoded: bytes, contentType: 'audio/wav' } });
    }
    values.push({ tag: `${prefix}/prediction`, text: predictionText(item) });
  }
  return { folder: event.split, step: event.step, values };
}

/** The caption, the sample id, then the text input (if any) as a Markdown quote. */
function predictionText(item: SamplePredictionsEvent['items'][number]): string {
  const confidence = item.confidence === undefined ? '' : ` (${item.confidence.toFixed(2)})`;
  const caption = `${item.label === undefined ? '' : `label ${item.label}, `}predicted ${item.predicted}${confidence}\n\nsample \`${item.id}\``;
  return item.text === undefined ? caption : `${caption}\n\n> ${item.text.replaceAll('\n', '\n> ')}`;
}

async function read(path: string, options: SampleSummariesOptions): Promise<Uint8Array | undefined> {
  try {
    return await options.readMedia(path);
  } catch (error) {
    options.onSkip(path, (error as Error).message);
    return undefined;
  }
}
