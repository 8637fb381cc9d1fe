/**
 * Decoded audio: one Float32Array of samples per channel, all of the same length, nominally in
 * [-1, 1], and the sample rate. Every waveform function and augmentation of this lib takes and
 * returns this shape.
 *
 * @example
 * const clip: AudioClip = { sampleRate: 16_000, channels: [new Float32Array(16_000)] }; // 1 s of silence
 */
export interface AudioClip {
  /** Samples per second, e.g. 16000. */
  sampleRate: number;
  /** One array per channel (`[channel][frame]`); mono clips have one. */
  channels: Float32Array[];
}

/**
 * The duration of a clip in seconds: frames / sample rate (0 for a clip without channels).
 *
 * @param clip The clip.
 * @example clipDuration({ sampleRate: 8000, channels: [new Float32Array(4000)] }) // 0.5
 */
export function clipDuration(clip: AudioClip): number {
  return (clip.channels[0]?.length ?? 0) / clip.sampleRate;
}
