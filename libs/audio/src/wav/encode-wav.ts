import { DataError } from '@omnitrain/core';
import type { AudioClip } from './audio-clip.js';

const HEADER_BYTES = 44;

/**
 * Encodes a clip as the bytes of a 16-bit PCM WAV file (canonical 44-byte RIFF header, channels
 * interleaved). Samples are clamped to [-1, 1] and scaled by 32767 with rounding, so `decodeWav`
 * gives back `round(v * 32767) / 32768`. Byte-identical for the same clip.
 *
 * @param clip The clip; every channel must have the same length and the rate must be a positive integer.
 * @returns The WAV file's bytes.
 * @throws DataError on a clip without channels, channels of different lengths or a bad sample rate.
 * @example
 * await writeFile('seven.wav', encodeWav({ sampleRate: 8000, channels: [samples] }));
 */
export function encodeWav(clip: AudioClip): Uint8Array {
  const { sampleRate, channels } = clip;
  const frames = channels[0]?.length ?? 0;
  if (channels.length === 0 || channels.some((c) => c.length !== frames) || !Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new DataError({
      op: 'audio.encodeWav',
      expected: 'at least one channel, all of the same length, and a positive integer sample rate',
      received: `${channels.length} channels of lengths ${channels.map((c) => c.length).join(', ')} at ${sampleRate} Hz`,
    });
  }
  const dataBytes = frames * channels.length * 2;
  const out = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels.length * 2, true); // byte rate
  view.setUint16(32, channels.length * 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let offset = HEADER_BYTES;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      view.setInt16(offset, Math.round(Math.min(1, Math.max(-1, channel[f]!)) * 32767), true);
      offset += 2;
    }
  }
  return out;
}
