import { describe, expect, it } from 'vitest';
import { wavHeader } from '@omnitrain/telemetry';
import { randomWav } from '../../test-fixtures/media.js';

describe('wavHeader', () => {
  it('reads rate, channels and frames of PCM and float WAVs past other chunks', () => {
    for (const float of [false, true]) {
      const [sampleRate, numChannels, lengthFrames] = [8000 + Math.floor(Math.random() * 40000), 1 + Math.floor(Math.random() * 4), Math.floor(Math.random() * 5000)];
      const wav = randomWav({ sampleRate, channels: numChannels, frames: lengthFrames, float });
      expect(wavHeader(wav)).toEqual({ sampleRate, numChannels, lengthFrames });
      // A view into a larger buffer reads the same.
      const padded = new Uint8Array(wav.length + 16);
      padded.set(wav, 16);
      expect(wavHeader(padded.subarray(16))).toEqual({ sampleRate, numChannels, lengthFrames });
    }
  });

  it('counts the frames present when the data size is unset (streamed), and refuses non-WAV bytes', () => {
    const wav = randomWav({ sampleRate: 16000, channels: 2, frames: 300 });
    const streamed = Buffer.from(wav);
    streamed.writeUInt32LE(0xffffffff, streamed.indexOf('data') + 4);
    expect(wavHeader(streamed)).toEqual({ sampleRate: 16000, numChannels: 2, lengthFrames: 300 });
    for (const bad of [new Uint8Array(0), Buffer.from('RIFF\0\0\0\0AVI LIST'), wav.subarray(0, 30)]) expect(wavHeader(bad)).toBeUndefined();
  });
});
