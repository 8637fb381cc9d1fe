import type { AudioClip } from './audio-clip.js';
import { parseWav } from './read-wav-info.js';
import type { WavInfo, WavReadOptions } from './read-wav-info.js';
import { toMono } from './to-mono.js';

/** Options of {@link decodeWav}. */
export interface DecodeWavOptions extends WavReadOptions {
  /** Average all channels into one. Default false. */
  mono?: boolean;
}

/**
 * Decodes a WAV file (8/16/24/32-bit PCM or 32/64-bit float, any number of channels, RIFF or RIFX)
 * into one Float32Array per channel, scaled as torchaudio does: integers are divided by 2^(bits-1)
 * (8-bit, which is unsigned, is first centred on 128), so PCM lands in [-1, 1); floats are kept.
 *
 * @param bytes The whole file.
 * @param options `file` (named in errors), `mono` (mix down). Defaults: `(bytes)`, false.
 * @returns The clip at the file's own sample rate.
 * @throws DataError naming the file when it is truncated, corrupt or of an unsupported encoding.
 * @example
 * const clip = decodeWav(await readFile('a.wav'), { file: 'a.wav', mono: true });
 * clip.channels[0].length / clip.sampleRate; // duration in seconds
 */
export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions = {}): AudioClip {
  const { info, data } = parseWav(bytes, options);
  const channels = Array.from({ length: info.channels }, () => new Float32Array(info.frames));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(info, view);
  const step = info.bitDepth / 8;
  for (let f = 0, at = 0; f < info.frames; f++) {
    for (let c = 0; c < info.channels; c++, at += step) channels[c]![f] = read(at);
  }
  const clip = { sampleRate: info.sampleRate, channels };
  return options.mono ? toMono(clip) : clip;
}

/** A function reading one sample (as a float) at a byte offset, for the file's encoding. */
function sampleReader(info: WavInfo, view: DataView): (at: number) => number {
  const le = info.container === 'RIFF';
  if (info.encoding === 'float') {
    return info.bitDepth === 32 ? (at) => view.getFloat32(at, le) : (at) => view.getFloat64(at, le);
  }
  switch (info.bitDepth) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, le) / 32768;
    case 24:
      return le
        ? (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608)
        : (at) => ((view.getUint8(at + 2) | (view.getUint8(at + 1) << 8) | (view.getInt8(at) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, le) / 2147483648;
  }
}
