// Lets a plain `node` child run this repo's TypeScript sources, like core's register-ts.mjs, but
// caches each transpiled file (by content hash) in the temp folder: worker processes of the
// conformance and fault tests then start in about a second instead of loading TypeScript each time.
// Usage: node --conditions=@omnitrain/source --import ./register-ts-cached.mjs worker.ts
import { register } from 'node:module';

register('./ts-cached-hooks.mjs', import.meta.url);
