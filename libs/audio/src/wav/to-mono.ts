import type { AudioClip } from './audio-clip.js';

/**
 * Mixes every channel down to one by averaging them (the clip itself is returned when it is mono
 * already, so a mono pipeline costs nothing).
 *
 * @param clip A clip with at least one channel.
 * @returns A mono clip at the same sample rate.
 * @example toMono(stereo).channels.length // 1; each sample is (left + right) / 2
 */
export function toMono(clip: AudioClip): AudioClip {
  if (clip.channels.length <= 1) return clip;
  const frames = clip.channels[0]!.length;
  const sum = new Float64Array(frames);
  for (const channel of clip.channels) {
    for (let i = 0; i < frames; i++) sum[i]! += channel[i]!;
  }
  const mono = new Float32Array(frames);
  const scale = 1 / clip.channels.length;
  for (let i = 0; i < frames; i++) mono[i] = sum[i]! * scale;
  return { sampleRate: clip.sampleRate, channels: [mono] };
}
