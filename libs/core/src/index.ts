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

// --- compute backends ---
export { initBackend, registerBackendSetup } from './backend/init-backend.js';
export type { InitBackendOptions, BackendInfo, BackendSetup } from './backend/init-backend.js';
export { BACKEND_CANDIDATES, BACKEND_NAMES } from './backend/backend-candidates.js';
export type { BackendName, BackendCandidate } from './backend/backend-candidates.js';
