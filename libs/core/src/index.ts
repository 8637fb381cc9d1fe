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
