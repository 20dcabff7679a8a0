// Plan and apply at scale: the inferctl CLI as a user runs it, against the emulator in its own
// process with 20 ms of latency injected into every request. Reported per size: requests sent, wall
// time, peak memory of the inferctl process — beside a baseline that reads each endpoint with its own
// GET, as a per-resource refresh does (10 at a time, like Terraform's default parallelism).
// Run: npm run bench -- plan-apply      (npm run bench builds lib/ first)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { printRows, runCli, startEmulatorProcess } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';
import { createElasticsearchClient } from '../lib/backends/elasticsearch/client.js';
import { resolveConnection } from '../lib/backends/elasticsearch/connection.js';

const LATENCY_MS = 20;
const SIZES = (process.env.BENCH_SIZES ?? '10,1000,10000').split(',').map(Number);

function writeManifests(dir, n, changed) {
  rmSync(dir, { recursive: true, force: true });
  const files = Math.min(n, 100);
  const docs = Array.from({ length: files }, () => []);
  for (let i = 0; i < n; i++) {
    const user = changed && i % 100 === 0 ? 'changed' : 'search';
    docs[i % files].push(`apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: bench-${String(i).padStart(5, '0')} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`);
  }
  for (let f = 0; f < files; f++) {
    const path = join(dir, `team-${f % 10}`, `endpoints-${f}.yaml`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, docs[f].join('---\n'));
  }
}

const startEmulator = () => startEmulatorProcess(['--es-version', '9.1.0'], LATENCY_MS);

const rows = [];
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), `inferctl-bench-${n}-`));
  const manifests = join(dir, 'manifests');
  const emulator = await startEmulator();
  try {
    const common = [
      '--url',
      emulator.url,
      '--state-file',
      join(dir, 'state.json'),
      '--log-level',
      'debug',
      '--log-format',
      'json',
    ];
    const concurrency = n >= 10000 ? 16 : 4;
    writeManifests(manifests, n, false);
    const applied = await runCli([
      'apply',
      manifests,
      '--yes',
      '--concurrency',
      String(concurrency),
      ...common,
    ]);
    if (applied.code !== 0) throw new Error(applied.stdout.slice(-2000) + applied.stderr.slice(-2000));
    const ideal = (Math.ceil(n / concurrency) * LATENCY_MS) / 1000;
    rows.push({
      label: `apply ${n} creates (c=${concurrency})`,
      ...applied,
      note: `⌈N/c⌉ × latency = ${ideal.toFixed(1)} s`,
    });

    writeManifests(manifests, n, true);
    const planned = await runCli(['plan', manifests, '--detailed-exitcode', ...common]);
    if (planned.code !== 2) throw new Error(planned.stdout.slice(-2000) + planned.stderr.slice(-2000));
    rows.push({
      label: `plan ${n} (1% changed)`,
      ...planned,
      note: /Plan: .*/.exec(planned.stdout)?.[0] ?? '',
    });

    const connection = resolveConnection({ url: emulator.url }, {}, () => new Error('none'));
    let requests = 0;
    const client = createElasticsearchClient(connection, {
      connections: 16,
      onEvent: (e) => e.type === 'response' && requests++,
    });
    const start = performance.now();
    await client.info();
    const ids = Array.from({ length: n }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let id = ids.shift(); id; id = ids.shift()) await client.getEndpoint(id);
      }),
    );
    rows.push({
      label: `baseline ${n}: GET each`,
      ms: performance.now() - start,
      requests,
      note: 'reads only, 10 at a time',
    });
    await client.close();
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

printRows(
  `plan and apply, inferctl CLI against the emulator (ES 9.1.0 profile, ${LATENCY_MS} ms latency per request)`,
  rows,
  29,
);
