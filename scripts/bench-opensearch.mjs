// OpenSearch at scale: the inferctl CLI against the OpenSearch emulator in its own process, 20 ms of
// latency injected into every request. Measured per size: requests sent, wall time, peak memory of the inferctl
// process — for an apply of N remote models (registered, deployed, waited for), a plan over N existing models
// (1% changed), and a baseline that reads each model with its own GET, as a per-resource refresh does.
// Run: npm run bench -- opensearch      (BENCH_OS_APPLY=10,50 BENCH_OS_PLAN=1000,5000 to choose sizes)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printRows, runCli, startEmulatorProcess } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';

const LATENCY_MS = 20;
const sizes = (name, fallback) => (process.env[name] ?? fallback).split(',').map(Number);
const APPLY_SIZES = sizes('BENCH_OS_APPLY', '10,50');
const PLAN_SIZES = sizes('BENCH_OS_PLAN', '1000,5000');

const CONNECTOR = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: bench-connector }
spec:
  version: 1
  protocol: http
  parameters: { model: text-embedding-3-small }
  credential: { openAI_key: { secretRef: { env: OPENAI_API_KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: "Bearer \${credential.openAI_key}" }
      request_body: '{ "input": \${parameters.input}, "model": "\${parameters.model}" }'
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: bench-models }
spec: { description: bench }
`;

const modelName = (i) => `bench-model-${String(i).padStart(5, '0')}`;

function writeManifests(dir, n, { deploy, changed }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'shared.yaml'), CONNECTOR);
  const files = Math.min(n, 100);
  const docs = Array.from({ length: files }, () => []);
  for (let i = 0; i < n; i++) {
    const description = changed && i % 100 === 0 ? 'changed' : 'bench';
    docs[i % files].push(`apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: ${modelName(i)} }
spec: { model_group: bench-models, connector: bench-connector, description: ${description}, deploy: ${deploy} }
`);
  }
  for (let f = 0; f < files; f++) writeFileSync(join(dir, `models-${f}.yaml`), docs[f].join('---\n'));
}

const startEmulator = () =>
  startEmulatorProcess(['--flavor', 'opensearch', '--version', '2.19.0'], LATENCY_MS);

async function call(url, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

const rows = [];
const flags = (url, dir) => [
  '--url',
  url,
  '--state-file',
  join(dir, 'state.json'),
  '--log-level',
  'debug',
  '--log-format',
  'json',
];

for (const n of APPLY_SIZES) {
  const dir = mkdtempSync(join(tmpdir(), `inferctl-bench-os-${n}-`));
  const emulator = await startEmulator();
  try {
    writeManifests(join(dir, 'm'), n, { deploy: true, changed: false });
    const applied = await runCli(['apply', join(dir, 'm'), '--yes', ...flags(emulator.url, dir)]);
    if (applied.code !== 0) throw new Error(applied.stdout.slice(-2000) + applied.stderr.slice(-2000));
    rows.push({
      label: `apply ${n} models (+2), deployed`,
      ...applied,
      note: /Apply complete: .*/.exec(applied.stdout)?.[0] ?? '',
    });
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const n of PLAN_SIZES) {
  const dir = mkdtempSync(join(tmpdir(), `inferctl-bench-os-plan-${n}-`));
  const emulator = await startEmulator();
  try {
    // Seed through the API (20 at a time): one connector, one group, N registered models.
    writeManifests(join(dir, 'm'), 0, { deploy: false, changed: false });
    const seeded = await runCli(['apply', join(dir, 'm'), '--yes', ...flags(emulator.url, dir)]);
    if (seeded.code !== 0) throw new Error(seeded.stdout + seeded.stderr);
    const connector = (
      await call(emulator.url, 'POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } })
    ).hits.hits[0]._id;
    const group = (
      await call(emulator.url, 'POST', '/_plugins/_ml/model_groups/_search', { query: { match_all: {} } })
    ).hits.hits[0]._id;
    const names = Array.from({ length: n }, (_, i) => modelName(i));
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let name = queue.shift(); name; name = queue.shift())
          await call(emulator.url, 'POST', '/_plugins/_ml/models/_register', {
            name,
            function_name: 'remote',
            model_group_id: group,
            connector_id: connector,
            description: 'bench',
          });
      }),
    );
    writeManifests(join(dir, 'm'), n, { deploy: false, changed: true });
    const planned = await runCli([
      'plan',
      join(dir, 'm'),
      '--detailed-exitcode',
      ...flags(emulator.url, dir),
    ]);
    if (planned.code !== 2) throw new Error(planned.stdout.slice(-2000) + planned.stderr.slice(-2000));
    rows.push({
      label: `plan ${n} models (1% changed)`,
      ...planned,
      note: /Plan: .*/.exec(planned.stdout)?.[0] ?? '',
    });

    const start = performance.now();
    const ids = (
      await call(emulator.url, 'POST', '/_plugins/_ml/models/_search', {
        size: 10000,
        query: { match_all: {} },
      })
    ).hits.hits.map((h) => h._id);
    let requests = 1;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let id = ids.shift(); id; id = ids.shift()) {
          await call(emulator.url, 'GET', `/_plugins/_ml/models/${id}`);
          requests++;
        }
      }),
    );
    rows.push({
      label: `baseline ${n}: GET each model`,
      ms: performance.now() - start,
      requests,
      note: 'reads only, 10 at a time',
    });
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

printRows(
  `OpenSearch: inferctl CLI against the emulator (2.19.0 profile, ${LATENCY_MS} ms latency per request)`,
  rows,
  34,
);
