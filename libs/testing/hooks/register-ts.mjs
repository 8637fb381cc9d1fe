// Lets a plain `node` child process run this repo's TypeScript sources (Node 20 cannot strip types):
//   node --conditions=@omnitrain/source --import <this file> child.ts
// Tests use it to run the real code in a process they can kill. Transpiled files are cached by
// content hash under os.tmpdir(), so a child starts in about a second instead of loading TypeScript.
// From TypeScript, take the path from `registerTsPath` (@omnitrain/testing).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
