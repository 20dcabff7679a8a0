// Micro-benchmark of the emulator: startup time, then 1,000 `GET _inference/_all`
// with 1,000 endpoints stored. Needs the build output: `npm run build` first.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { startEmulator } = await import('../lib/emulator/index.js');
const imported = performance.now();
const es = await startEmulator({ port: 0, esVersion: '9.1.0' });
const started = performance.now();

const N = 1000;
const put = (i) =>
  fetch(`${es.url}/_inference/completion/bench-${String(i).padStart(4, '0')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      service: 'openai',
      service_settings: { api_key: 'sk-bench', model_id: 'gpt-4o' },
    }),
  }).then((r) => r.arrayBuffer());
const s0 = performance.now();
for (let i = 0; i < N; i += 50)
  await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, j) => put(i + j)));
const stored = performance.now();

let bytes = 0;
const g0 = performance.now();
for (let i = 0; i < N; i++) {
  const res = await fetch(`${es.url}/_inference/_all`);
  bytes += (await res.arrayBuffer()).byteLength;
}
const gets = performance.now() - g0;
await es.close();

const rows = [
  ['import', `${(imported - t0).toFixed(1)} ms`],
  ['startup (listen)', `${(started - imported).toFixed(1)} ms`],
  [`store ${N} endpoints`, `${(stored - s0).toFixed(0)} ms`],
  [`${N} x GET _inference/_all`, `${gets.toFixed(0)} ms total, ${(gets / N).toFixed(2)} ms/req`],
  ['response size', `${(bytes / N / 1024).toFixed(1)} KiB`],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log('emulator benchmark (ES 9.1.0 profile)');
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
