// Lets a plain `node` child process import this lib's TypeScript sources, which Node 20 cannot
// strip types from: `node --import ./register-ts.mjs child.mjs`. Tests use it to run the real
// code in a process they can kill (see write-file-atomic.test.ts).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
