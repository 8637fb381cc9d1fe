/**
 * @omnitrain/testing: helpers for tests (a devDependency; never imported by shipped code).
 */
export { registerTsPath, tsChildArgs } from './register-ts-path.js';
export { FAKE_SRUN } from './fake-srun.js';
