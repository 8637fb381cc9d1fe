// The public door of @omnitrain/core: everything other libs and users may import.
export {
  OmnitrainError,
  ConfigError,
  DataError,
  BackendError,
  DistributedError,
  CheckpointError,
  formatError,
  formatConfigIssue,
} from './errors.js';
export type { ErrorDetails, ConfigIssue } from './errors.js';
export { Registry, editDistance, nearest } from './registry.js';

// --- seeded random streams ---
export { Rng } from './rng/rng.js';
export type { RngState, RngStreamOptions } from './rng/rng.js';
export { deriveSeed } from './rng/derive-seed.js';

// --- WebAssembly SIMD modules built by tools/build-wasm.mjs ---
export { instantiateWasm, createWasmMemory } from './wasm/instantiate-wasm.js';
export type { WasmMemory, WasmExports } from './wasm/instantiate-wasm.js';

// --- compute backends ---
export { initBackend, registerBackendSetup } from './backend/init-backend.js';
export type { InitBackendOptions, BackendInfo, BackendSetup } from './backend/init-backend.js';
export { BACKEND_CANDIDATES, BACKEND_NAMES } from './backend/backend-candidates.js';
export type { BackendName, BackendCandidate } from './backend/backend-candidates.js';

// --- safetensors checkpoints ---
export { SAFETENSORS_DTYPES } from './checkpoint/safetensors-dtype.js';
export type {
  SafetensorsArrays,
  SafetensorsContents,
  SafetensorsDtype,
  SafetensorsTensor,
} from './checkpoint/safetensors-dtype.js';
export { CHECKSUM_METADATA_KEY } from './checkpoint/data-checksum.js';
export { encodeSafetensors } from './checkpoint/encode-safetensors.js';
export type { EncodeSafetensorsOptions } from './checkpoint/encode-safetensors.js';
export { decodeSafetensors } from './checkpoint/decode-safetensors.js';
export type { DecodeSafetensorsOptions } from './checkpoint/decode-safetensors.js';
export { writeFileAtomic } from './checkpoint/write-file-atomic.js';
export type { WriteFileAtomicOptions } from './checkpoint/write-file-atomic.js';
export { writeSafetensors } from './checkpoint/write-safetensors.js';
export type { WriteSafetensorsOptions } from './checkpoint/write-safetensors.js';
export { readSafetensors } from './checkpoint/read-safetensors.js';
export type { ReadSafetensorsOptions } from './checkpoint/read-safetensors.js';
export { widenToFloat32 } from './checkpoint/widen-to-float32.js';
export type { PackedFloatDtype } from './checkpoint/widen-to-float32.js';
export { saveWeights, loadWeights, tensorToSafetensors, safetensorsToTensor } from './checkpoint/tf-weights.js';
export type { LoadedWeights } from './checkpoint/tf-weights.js';
// --- end safetensors checkpoints ---

// --- YAML run configs (zod schemas) ---
export { loadConfig } from './config/load-config.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { parseConfig } from './config/parse-config.js';
export type { ParseConfigOptions } from './config/parse-config.js';
export { loadConfigObject } from './config/load-config-object.js';
export type { LoadConfigObjectOptions } from './config/load-config-object.js';
export { applyOverrides } from './config/apply-overrides.js';
export { configJsonSchema } from './config/config-json-schema.js';
export type { ConfigJsonSchemaOptions } from './config/config-json-schema.js';
export { describeSchema } from './config/describe-schema.js';
export { runtimeConfigSchema } from './config/runtime-config.js';
export type { RuntimeConfig } from './config/runtime-config.js';
// --- end YAML run configs ---
