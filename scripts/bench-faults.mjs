// Applies under injected faults: the inferctl CLI against the emulator failing 30% of requests
// with 429 (Retry-After 1 s), 502, 503, 504, connection resets or latency, for several seeds. Reported per
// seed: runs needed until apply succeeded (each run is a CI re-run), requests sent, retries, endpoints on
// the cluster at the end (must be exactly the declared ones), and whether the next plan is empty.
// Run: npm run bench -- faults
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handle, startEmulator } from '../lib/emulator/index.js';
import { runCli } from './bench-util.mjs';

const N = 20;

const run = (args) => runCli(args);

const rows = [];
for (const seed of [1, 2, 3, 4, 5]) {
  const es = await startEmulator({
    port: 0,
    esVersion: '9.1.0',
    faults: {
      rate: 0.3,
      seed,
      kinds: ['429', '502', '503', '504', 'reset', 'latency'],
      latencyMs: 100,
      retryAfterSeconds: 1,
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-faults-'));
  const file = join(dir, 'endpoints.yaml');
  writeFileSync(
    file,
    Array.from(
      { length: N },
      (_, i) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ep-${String(i).padStart(2, '0')} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
`,
    ).join('---\n'),
  );
  let runs = 0;
  let requests = 0;
  let retries = 0;
  let result;
  const started = Date.now();
  do {
    runs++;
    result = await run([
      'apply',
      file,
      '--yes',
      '--url',
      es.url,
      '--log-level',
      'debug',
      '--log-format',
      'json',
    ]);
    const lines = result.stderr.split('\n');
    requests += lines.filter(
      (l) => l.includes('"msg":"request"') || l.includes('"msg":"request failed"'),
    ).length;
    retries +=
      lines.filter((l) => /"msg":"request"/.test(l) && /"status":(429|50[234])/.test(l)).length +
      lines.filter((l) => l.includes('"msg":"request failed"')).length;
  } while (result.code !== 0 && runs < 5);
  const seconds = (Date.now() - started) / 1000;
  // Read the outcome from the emulator's state, past the fault injection.
  const { body } = await handle(es.state, {
    method: 'GET',
    path: '/_inference/_all',
    uri: '/_inference/_all',
    query: {},
    headers: {},
  });
  const ids = body.endpoints.map((e) => e.inference_id).filter((id) => !id.startsWith('.'));
  let plan;
  for (let i = 0; i < 5; i++) {
    plan = await run(['plan', file, '--detailed-exitcode', '--url', es.url]);
    if (plan.code !== 1) break; // a plan can itself meet a fault after its retries: try again, as CI would
  }
  rows.push({
    seed,
    runs,
    requests,
    retries,
    seconds,
    endpoints: ids.length,
    exact: ids.length === N && new Set(ids).size === N,
    empty: plan.code === 0,
  });
  await es.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `apply of ${N} endpoints, 30% of requests failing (429 Retry-After 1 s, 502, 503, 504, reset, +100 ms latency)`,
);
console.log('  seed  runs  requests  failed+retried  wall     endpoints  next plan');
for (const r of rows) {
  console.log(
    `  ${String(r.seed).padStart(4)}  ${String(r.runs).padStart(4)}  ${String(r.requests).padStart(8)}  ${String(r.retries).padStart(14)}  ${r.seconds.toFixed(1).padStart(5)} s  ${String(r.endpoints).padStart(3)} ${r.exact ? '(exact)' : '(WRONG)'}  ${r.empty ? 'empty' : 'NOT EMPTY'}`,
  );
}
