// OpenSearch at scale (issue 7): the inferctl CLI against the OpenSearch emulator in its own process, 20 ms of
// latency injected into every request. Measured per size: requests sent, wall time, peak memory of the inferctl
// process — for an apply of N remote models (registered, deployed, waited for), a plan over N existing models
// (1% changed), and a baseline that reads each model with its own GET, as a per-resource refresh does.
// Run: npm run bench -- opensearch      (BENCH_OS_APPLY=10,50 BENCH_OS_PLAN=1000,5000 to choose sizes)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'lib', 'cli', 'main.js');
const LATENCY_MS = 20;
const sizes = (name, fallback) => (process.env[name] ?? fallback).split(',').map(Number);
const APPLY_SIZES = sizes('BENCH_OS_APPLY', '10,50');
const PLAN_SIZES = sizes('BENCH_OS_PLAN', '1000,5000');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

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

/** Runs the CLI; with /usr/bin/time, also its peak RSS. Requests are counted from its debug log. */
function run(args) {
  return new Promise((resolve, reject) => {
    const command = TIME
      ? [TIME, '-f', '__rss %M', process.execPath, cli, ...args]
      : [process.execPath, cli, ...args];
    const start = performance.now();
    const child = spawn(command[0], command.slice(1), {
      env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-bench', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /__rss (\d+)/.exec(stderr)?.[1];
      const requests = stderr.split('\n').filter((l) => l.includes('"msg":"request"')).length;
      resolve({
        code,
        ms: performance.now() - start,
        rssMb: rss ? Number(rss) / 1024 : undefined,
        requests,
        stdout,
        stderr,
      });
    });
  });
}

async function startEmulator() {
  const child = spawn(process.execPath, [
    cli,
    'emulator',
    '--flavor',
    'opensearch',
    '--version',
    '2.19.0',
    '--port',
    '0',
    '--fault-rate',
    '1',
    '--fault-kinds',
    'latency',
    '--fault-latency',
    String(LATENCY_MS),
  ]);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return { url, stop: () => new Promise((r) => (child.on('exit', r), child.kill('SIGTERM'))) };
}

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
    const applied = await run(['apply', join(dir, 'm'), '--yes', ...flags(emulator.url, dir)]);
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
    const seeded = await run(['apply', join(dir, 'm'), '--yes', ...flags(emulator.url, dir)]);
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
    const planned = await run(['plan', join(dir, 'm'), '--detailed-exitcode', ...flags(emulator.url, dir)]);
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

console.log(
  `OpenSearch: inferctl CLI against the emulator (2.19.0 profile, ${LATENCY_MS} ms latency per request)`,
);
console.log('  what                               requests   wall time   peak RSS   notes');
for (const r of rows) {
  const rss = r.rssMb === undefined ? '     -' : `${r.rssMb.toFixed(0).padStart(5)} MB`;
  console.log(
    `  ${r.label.padEnd(34)} ${String(r.requests).padStart(8)}   ${(r.ms / 1000).toFixed(2).padStart(7)} s   ${rss}   ${r.note}`,
  );
}
