// Registers the engine's callbacks under the names a run YAML uses.
import { earlyStoppingConfigSchema } from '../config/train-config.js';
import { registerCallbackType } from './callback-types.js';
import { earlyStopping } from './early-stopping.js';
import { gradualUnfreezing, gradualUnfreezingConfigSchema } from './gradual-unfreezing.js';
import { lrMonitor, lrMonitorConfigSchema } from './lr-monitor.js';
import { modelCheckpoint, modelCheckpointConfigSchema } from './model-checkpoint.js';
import { progressCallback, progressCallbackConfigSchema } from './progress-callback.js';
import { reduceLrOnPlateau, reduceLrOnPlateauCallbackSchema } from './reduce-lr-on-plateau.js';
import { telemetryCallback, telemetryCallbackConfigSchema } from './telemetry-callback.js';
import { resolveIn } from './resolve-in.js';

registerCallbackType('earlyStopping', { schema: earlyStoppingConfigSchema, create: (o) => earlyStopping(o) });
registerCallbackType('modelCheckpoint', {
  schema: modelCheckpointConfigSchema,
  create: (o, ctx) => modelCheckpoint({ ...o, dir: resolveIn(ctx.runDir, o.dir) }),
});
registerCallbackType('lrMonitor', { schema: lrMonitorConfigSchema, create: (o) => lrMonitor(o) });
registerCallbackType('reduceLrOnPlateau', { schema: reduceLrOnPlateauCallbackSchema, create: (o) => reduceLrOnPlateau(o) });
registerCallbackType('telemetry', { schema: telemetryCallbackConfigSchema, create: (o, ctx) => telemetryCallback(ctx, o) });
registerCallbackType('gradualUnfreezing', { schema: gradualUnfreezingConfigSchema, create: (o) => gradualUnfreezing(o) });
registerCallbackType('progress', { schema: progressCallbackConfigSchema, create: (o, ctx) => progressCallback(ctx.onProgress, o) });
