// Plan and apply at scale against the emulator with 20 ms of injected latency per request (issue 4):
// requests sent, wall time, peak memory — beside a baseline that reads each endpoint with its own GET,
// as a per-resource refresh does (10 at a time, like Terraform's default parallelism).
// Run: npm run bench -- plan-apply   (needs lib/, which npm run bench builds)
import { performance } from 'node:perf_hooks';
import { capabilitiesFor } from '../lib/catalog/capabilities.js';
import { createElasticsearchClient } from '../lib/backends/elasticsearch/client.js';
import { resolveConnection } from '../lib/backends/elasticsearch/connection.js';
import { planCluster, readCluster } from '../lib/core/reconcile.js';
import { apply } from '../lib/engine/apply.js';
import { handle, startEmulator } from '../lib/emulator/index.js';
import { parseManifests } from '../lib/manifest/load.js';

const LATENCY_MS = 20;
const SIZES = [10, 1000, 10000];

function manifests(n, user) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: bench-${String(i).padStart(5, '0')} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${i % 100 === 0 ? user : 'search'} }
`);
  }
  const result = parseManifests(docs.join('---\n'), 'bench.yaml', '/tmp/bench.yaml', {
    env: { OPENAI_API_KEY: 'sk-bench' },
  });
  if (result.diagnostics.length) throw new Error(JSON.stringify(result.diagnostics[0]));
  return result.manifests;
}

/** Stores endpoints straight into the emulator's state (no HTTP, no latency): the cluster as found. */
async function seed(emulator, n) {
  for (let i = 0; i < n; i++) {
    const id = `bench-${String(i).padStart(5, '0')}`;
    await handle(emulator.state, {
      method: 'PUT',
      path: `/_inference/completion/${id}`,
      uri: `/_inference/completion/${id}`,
      query: {},
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'openai',
        service_settings: { model_id: 'gpt-4o', api_key: 'sk' },
        task_settings: { user: 'search' },
      }),
    });
  }
}

function peakMemory() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

async function measure(label, fn) {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  const stop = peakMemory();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const peak = stop();
  return { label, ms, peakMb: peak / 1048576, deltaMb: (peak - base) / 1048576, ...value };
}

async function withEmulator(n, fn) {
  const emulator = await startEmulator({
    port: 0,
    esVersion: '9.1.0',
    faults: { rate: 1, kinds: ['latency'], latencyMs: LATENCY_MS },
  });
  try {
    await seed(emulator, n);
    let requests = 0;
    const connection = resolveConnection({ url: emulator.url }, {}, () => new Error('none'));
    const client = createElasticsearchClient(connection, {
      connections: 32,
      onEvent: (e) => e.type === 'response' && requests++,
    });
    try {
      return await fn(client, () => requests);
    } finally {
      await client.close();
    }
  } finally {
    await emulator.close();
  }
}

const rows = [];
for (const n of SIZES) {
  const desired = manifests(n, 'changed');
  // plan: n endpoints on the cluster, 1 in 100 with a changed task setting
  rows.push(
    await withEmulator(n, async (client, count) =>
      measure(`plan ${n}`, async () => {
        const snapshot = await readCluster(client);
        const plan = await planCluster(client, snapshot, desired, { url: 'bench' });
        return {
          requests: count(),
          result: `${plan.summary.update} to update, ${plan.summary.unchanged} unchanged`,
        };
      }),
    ),
  );
  // baseline: the same read, one GET per endpoint, 10 at a time
  rows.push(
    await withEmulator(n, async (client, count) =>
      measure(`baseline ${n}`, async () => {
        await client.info();
        const queue = desired.map((m) => m.id);
        const worker = async () => {
          for (let id = queue.shift(); id; id = queue.shift()) await client.getEndpoint(id);
        };
        await Promise.all(Array.from({ length: 10 }, worker));
        return { requests: count(), result: 'read only' };
      }),
    ),
  );
  // apply: n creates on an empty cluster
  const concurrency = n >= 10000 ? 16 : 4;
  rows.push(
    await withEmulator(0, async (client, count) =>
      measure(`apply ${n} (concurrency ${concurrency})`, async () => {
        const snapshot = await readCluster(client);
        const plan = await planCluster(client, snapshot, desired, { url: 'bench' });
        const before = count();
        const result = await apply(plan, desired, client, capabilitiesFor('9.1.0'), { concurrency });
        const requests = count() - before;
        const roundTrips = Math.ceil(n / concurrency);
        return {
          requests,
          result: `${result.summary.succeeded} succeeded; ⌈N/c⌉ = ${roundTrips}, ideal ≈ ${(((roundTrips + 1) * LATENCY_MS) / 1000).toFixed(1)} s`,
        };
      }),
    ),
  );
}

console.log(`plan and apply against the emulator (ES 9.1.0 profile, ${LATENCY_MS} ms latency per request)`);
console.log('  what                         requests   wall time   peak RSS   result');
for (const r of rows) {
  console.log(
    `  ${r.label.padEnd(28)} ${String(r.requests).padStart(8)}   ${(r.ms / 1000).toFixed(2).padStart(7)} s   ${r.peakMb.toFixed(0).padStart(5)} MB   ${r.result}`,
  );
}
