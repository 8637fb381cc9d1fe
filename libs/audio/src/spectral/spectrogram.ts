/**
 * A time-frequency array (power spectrogram, mel spectrogram, MFCCs, their dB versions), stored
 * frame-major: `data[frame * bins + bin]`, i.e. `[frames, bins]`, the layout `padSequences` of
 * `@omnitrain/data` batches with `featureSize: bins`. (torchaudio returns `[bins, frames]`.)
 *
 * @example
 * const spec: Spectrogram = { data: new Float32Array(101 * 80), frames: 101, bins: 80 };
 * spec.data[10 * spec.bins + 3]; // frame 10, bin 3
 */
export interface Spectrogram {
  /** `[frames, bins]`, row-major. */
  data: Float32Array;
  /** Time steps. */
  frames: number;
  /** Values per time step (frequency bins, mel bands or coefficients). */
  bins: number;
}
