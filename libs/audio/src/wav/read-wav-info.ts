import wavefile from 'wavefile';
import { DataError } from '@omnitrain/core';

/** How the samples of a WAV file are stored. */
export type WavEncoding = 'pcm' | 'float';

/** What a WAV file's header says about its samples (see {@link readWavInfo}). */
export interface WavInfo {
  /** Integer PCM (8-bit unsigned; 16/24/32-bit signed) or IEEE float (32/64-bit). */
  encoding: WavEncoding;
  /** Bits per sample: 8, 16, 24 or 32 for PCM; 32 or 64 for float. */
  bitDepth: number;
  /** Number of interleaved channels. */
  channels: number;
  /** Frames (samples per channel) per second. */
  sampleRate: number;
  /** Frames in the data chunk. */
  frames: number;
  /** `frames / sampleRate`, in seconds. */
  duration: number;
  /** `'RIFF'` (little-endian) or `'RIFX'` (big-endian). */
  container: 'RIFF' | 'RIFX';
}

/** Options of {@link readWavInfo} and of the decoders built on it. */
export interface WavReadOptions {
  /** The file the bytes came from, named in errors. Default: `(bytes)`. */
  file?: string;
}

/** A parsed WAV file: its header facts and its raw sample bytes (exactly `frames` whole frames). */
export interface ParsedWav {
  info: WavInfo;
  data: Uint8Array;
}

interface WavefileFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  subformat: number[];
}

const FORMAT_NAMES: Record<number, string> = { 2: 'MS ADPCM', 6: 'A-law', 7: 'mu-law', 17: 'IMA ADPCM', 85: 'MP3' };
const SUPPORTED = '8/16/24/32-bit PCM or 32/64-bit float';

/**
 * Reads and checks a WAV file's header (format, channels, rate, length) without converting its
 * samples. A data chunk shorter than its header declares (a truncated file), a data chunk that is
 * not a whole number of frames, or an unsupported encoding is an error, never garbage samples.
 *
 * @param bytes The whole file.
 * @param options `file`, named in errors.
 * @returns The header facts.
 * @throws DataError naming the file, for unreadable, corrupt, truncated or unsupported files.
 * @example
 * const info = readWavInfo(await readFile('clips/0042.wav'), { file: 'clips/0042.wav' });
 * info.duration; // 1.5
 */
export function readWavInfo(bytes: Uint8Array, options: WavReadOptions = {}): WavInfo {
  return parseWav(bytes, options).info;
}

/**
 * Parses a WAV file into its checked header facts and its raw sample bytes (see {@link readWavInfo}).
 * Internal: decoders convert `data`; users call {@link readWavInfo} or `decodeWav`.
 */
export function parseWav(bytes: Uint8Array, options: WavReadOptions = {}): ParsedWav {
  const where = `file ${options.file ?? '(bytes)'}`;
  const fail = (expected: string, received: string, hint?: string, cause?: unknown): never => {
    throw new DataError({ op: 'audio.readWav', expected, received, where, hint, cause });
  };
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    fail('a RIFF/WAVE file with "fmt " and "data" chunks', `${bytes.length} bytes that do not parse (${message})`,
      'the file is truncated, corrupt or not a WAV file', e);
  }
  if (wav.container !== 'RIFF' && wav.container !== 'RIFX') {
    fail('a RIFF or RIFX container', wav.container, 'RF64 (files over 4 GiB) is not supported; split the file');
  }
  const fmt = wav.fmt as WavefileFmt;
  const code = fmt.audioFormat === 0xfffe ? fmt.subformat[0] : fmt.audioFormat;
  const encoding: WavEncoding | undefined = code === 1 ? 'pcm' : code === 3 ? 'float' : undefined;
  const bitDepth = fmt.bitsPerSample;
  const depthOk = encoding === 'pcm' ? [8, 16, 24, 32].includes(bitDepth) : encoding === 'float' && [32, 64].includes(bitDepth);
  if (encoding === undefined || !depthOk) {
    const name = encoding ?? FORMAT_NAMES[code ?? -1] ?? `format code ${code}`;
    fail(SUPPORTED, `${bitDepth}-bit ${name}`, 'convert it, e.g. `ffmpeg -i in.wav -c:a pcm_s16le out.wav`');
  }
  const channels = fmt.numChannels;
  const blockAlign = (channels * bitDepth) / 8;
  if (!(channels >= 1) || !(fmt.sampleRate >= 1) || fmt.blockAlign !== blockAlign) {
    fail(`at least 1 channel, a sample rate >= 1 and blockAlign = channels * bytes per sample (${blockAlign})`,
      `${channels} channels, ${fmt.sampleRate} Hz, blockAlign ${fmt.blockAlign}`, 'the header is corrupt');
  }
  const declared = (wav.data as { chunkSize: number }).chunkSize;
  const found = (wav.data as { samples: Uint8Array }).samples;
  if (found.length < declared) {
    fail(`${declared} bytes of sample data (as the data chunk header declares)`, `${found.length} bytes`,
      'the file is truncated (an interrupted copy or download?); re-create it or drop it');
  }
  if (declared % blockAlign !== 0) {
    fail(`a data chunk of whole ${blockAlign}-byte frames`, `${declared} bytes`, 'the file is corrupt');
  }
  const frames = declared / blockAlign;
  return {
    info: {
      encoding: encoding!,
      bitDepth,
      channels,
      sampleRate: fmt.sampleRate,
      frames,
      duration: frames / fmt.sampleRate,
      container: wav.container as 'RIFF' | 'RIFX',
    },
    data: found.subarray(0, declared),
  };
}
