// A worker process of the conformance and fault tests: joins the job from its environment, then
// runs the cases the test writes on stdin (one JSON line each: { id, name, params }) and prints
// one JSON result line per case: { id, result } or { id, error }.
import { createInterface } from 'node:readline';
import { ZmqCollective } from '@omnitrain/distributed';
import { runCase } from './conformance-cases.js';

const overrides = JSON.parse(process.env['COLLECTIVE_OPTIONS'] ?? '{}') as Record<string, unknown>;
const out = (o: unknown): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
let collective: ZmqCollective;
out({ id: 'joining', result: { pid: process.pid } });
try {
  collective = await ZmqCollective.fromEnv(process.env, overrides);
} catch (e) {
  out({ id: 'ready', error: (e as Error).message });
  process.exit(3);
}
out({ id: 'ready', result: { pid: process.pid } });

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const { id, name, params } = JSON.parse(line) as { id: string; name: string; params: Record<string, unknown> };
  if (name === 'exit') break;
  try {
    out({ id, result: await runCase(collective, name, params) });
  } catch (e) {
    out({ id, error: (e as Error).message });
  }
}
await collective.close();
process.exit(0);
