/** What TensorBoard needs to know of a WAV file, read from its header. */
export interface WavHeader {
  /** Hz. */
  sampleRate: number;
  numChannels: number;
  /** Samples per channel: the data chunk's size over the block size. */
  lengthFrames: number;
}

/**
 * Reads the `fmt ` and `data` chunks of a RIFF/WAVE file (any sample format) without decoding samples.
 *
 * @param bytes The whole file.
 * @returns The header, or undefined when the bytes are not a WAV file with both chunks.
 *
 * @example
 * wavHeader(await readFile('runs/a/samples/000-audio.wav')); // { sampleRate: 16000, numChannels: 1, lengthFrames: 8000 }
 */
export function wavHeader(bytes: Uint8Array): WavHeader | undefined {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: { numChannels: number; sampleRate: number; blockAlign: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 24 <= bytes.length) {
      format = { numChannels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), blockAlign: view.getUint16(at + 20, true) };
    } else if (id === 'data') {
      if (format === undefined || format.blockAlign === 0 || format.numChannels === 0) return undefined;
      // A streamed file may leave the size unset (0 or 0xffffffff): count what is there.
      const dataBytes = size === 0 || size === 0xffffffff ? bytes.length - at - 8 : Math.min(size, bytes.length - at - 8);
      return { sampleRate: format.sampleRate, numChannels: format.numChannels, lengthFrames: Math.floor(dataBytes / format.blockAlign) };
    }
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  return undefined;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}
