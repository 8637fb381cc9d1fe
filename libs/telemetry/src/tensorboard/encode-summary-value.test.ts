import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeHparamsPluginData, encodeSummaryValue, imageHeader } from '@omnitrain/telemetry';
import type { HparamsSessionStatus } from '@omnitrain/telemetry';
import { jpegHead } from '../../test-fixtures/media.js';
import { HparamsPluginDataType, SummaryValueType } from '../../test-fixtures/tensorboard-proto.js';

const decode = (bytes: Uint8Array) => {
  const message = SummaryValueType.decode(bytes);
  expect(Buffer.from(SummaryValueType.encode(message).finish()).equals(Buffer.from(bytes))).toBe(true);
  return SummaryValueType.toObject(message, { longs: Number, oneofs: true, defaults: false }) as Record<string, any>;
};
const decodeHparams = (bytes: Uint8Array) => {
  const message = HparamsPluginDataType.decode(bytes);
  expect(Buffer.from(HparamsPluginDataType.encode(message).finish()).equals(Buffer.from(bytes))).toBe(true);
  return HparamsPluginDataType.toObject(message, { enums: String, oneofs: true, defaults: true }) as Record<string, any>;
};

describe('encodeSummaryValue', () => {
  it('encodes a JPEG image, an audio clip with its content type, and a Unicode text as TensorBoard reads them', () => {
    const [width, height] = [1 + Math.floor(Math.random() * 4000), 1 + Math.floor(Math.random() * 4000)];
    const jpeg = Buffer.concat([jpegHead({ width, height, components: 3 }), randomBytes(50)]);
    const header = imageHeader(jpeg)!;
    expect(decode(encodeSummaryValue({ tag: 'a/jpeg', image: { ...header, encoded: jpeg } }))).toEqual({
      tag: 'a/jpeg',
      value: 'image',
      image: { height, width, colorspace: 3, encoded_image_string: new Uint8Array(jpeg) },
    });
    const clip = randomBytes(64);
    const sampleRate = 8000 + Math.floor(Math.random() * 40000);
    const frames = Math.floor(Math.random() * 1e9);
    expect(decode(encodeSummaryValue({ tag: 'b', audio: { sampleRate, numChannels: 2, lengthFrames: frames, encoded: clip, contentType: 'audio/x-wav' } }))).toEqual({
      tag: 'b',
      value: 'audio',
      audio: { sample_rate: sampleRate, num_channels: 2, length_frames: frames, encoded_audio_string: new Uint8Array(clip), content_type: 'audio/x-wav' },
    });
    const text = `ünïcødé ${randomBytes(6).toString('hex')} ✓`;
    const decoded = decode(encodeSummaryValue({ tag: 'c', text }));
    expect(decoded.metadata).toEqual({ plugin_data: { plugin_name: 'text' } });
    expect(decoded.tensor.dtype).toBe(7);
    expect(Buffer.from(decoded.tensor.string_val[0]).toString('utf8')).toBe(text);
  });
});

describe('encodeHparamsPluginData', () => {
  it('encodes experiments with training and validation metrics, and every session status', () => {
    const lr = Math.random();
    const experiment = decodeHparams(
      encodeHparamsPluginData({
        experiment: { timeCreatedSecs: 1.7e9 + Math.random(), hparams: { lr, name: '', on: true }, metrics: [{ group: 'train', tag: 'loss', dataset: 'training' }, { group: '', tag: 'score' }] },
      }),
    );
    expect(experiment.data).toBe('experiment');
    expect(experiment.experiment.hparam_infos.map((h: { name: string; type: string }) => [h.name, h.type])).toEqual([
      ['lr', 'DATA_TYPE_FLOAT64'],
      ['name', 'DATA_TYPE_STRING'],
      ['on', 'DATA_TYPE_BOOL'],
    ]);
    expect(experiment.experiment.metric_infos.map((m: { name: object; display_name: string; dataset_type: string }) => [m.name, m.display_name, m.dataset_type])).toEqual([
      [{ group: 'train', tag: 'loss' }, 'train/loss', 'DATASET_TRAINING'],
      [{ group: '', tag: 'score' }, 'score', 'DATASET_VALIDATION'],
    ]);
    const start = decodeHparams(encodeHparamsPluginData({ sessionStart: { startTimeSecs: 5, hparams: { lr, name: '', on: false, zero: 0 } } }));
    expect(start.session_start_info.hparams).toEqual({
      lr: { number_value: lr, kind: 'number_value' },
      name: { string_value: '', kind: 'string_value' },
      on: { bool_value: false, kind: 'bool_value' },
      zero: { number_value: 0, kind: 'number_value' },
    });
    for (const [status, name] of [['unknown', 'STATUS_UNKNOWN'], ['success', 'STATUS_SUCCESS'], ['failure', 'STATUS_FAILURE'], ['running', 'STATUS_RUNNING']] as Array<[HparamsSessionStatus, string]>) {
      const end = Math.random() * 2e9;
      expect(decodeHparams(encodeHparamsPluginData({ sessionEnd: { endTimeSecs: end, status } })).session_end_info).toEqual({ status: name, end_time_secs: end });
    }
  });
});
