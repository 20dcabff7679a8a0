// `npm run bench`: measurements, not assertions. Each section prints what it measured and how.
// `npm run bench -- validate` (or emulator, plan-apply, faults, opensearch, opensearch-real) runs one section; no
// argument runs all but opensearch-real. Reads lib/ (the npm script builds it). The other sections are scripts of their own, run in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const script = (file) => () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', file)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) throw new Error(`${file} exited with ${r.status}`);
};
const sections = [
  ['validate', benchValidate],
  ['emulator', script('bench-emulator.mjs')],
  ['plan-apply', script('bench-plan-apply.mjs')],
  ['faults', script('bench-faults.mjs')],
  ['opensearch', script('bench-opensearch.mjs')],
  // Needs Java and Maven and starts real nodes: run only when named (`npm run bench -- opensearch-real`).
  ['opensearch-real', script('bench-opensearch-real.mjs')],
];
const unknown = only.filter((name) => !sections.some(([n]) => n === name));
if (unknown.length) {
  console.error(`unknown section ${unknown.join(', ')}: choose from ${sections.map(([n]) => n).join(', ')}`);
  process.exit(1);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Documents of several services, so the validator works through different branches of the schema. */
function endpoint(i) {
  const id = `bench-${String(i).padStart(5, '0')}`;
  switch (i % 4) {
    case 0:
      return `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id}, labels: { team: search } }
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: { secretRef: { env: OPENAI_API_KEY } }
    dimensions: 512
  task_settings: { user: bench }
  chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`;
    case 1:
      return `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: rerank
  service: cohere
  service_settings: { model_id: rerank-english-v3.0, api_key: { secretRef: { env: COHERE_API_KEY } } }
  task_settings: { top_n: 10, return_documents: false }
`;
    case 2:
      return `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: sparse_embedding
  service: elasticsearch
  service_settings:
    model_id: .elser_model_2_linux-x86_64
    num_threads: 1
    adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 4 }
`;
    default:
      return `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: azureopenai
  service_settings:
    api_key: { secretRef: { env: AZURE_OPENAI_API_KEY } }
    resource_name: search-prod
    deployment_id: gpt-4o
    api_version: "2024-10-21"
  task_settings: { user: bench }
`;
  }
}

async function benchValidate() {
  const files = 100;
  const perFile = 100;
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-bench-validate-'));
  try {
    let n = 0;
    for (let f = 0; f < files; f++) {
      const docs = [];
      for (let d = 0; d < perFile; d++) docs.push(endpoint(n++));
      mkdirSync(join(dir, `team-${f % 10}`), { recursive: true });
      writeFileSync(join(dir, `team-${f % 10}`, `endpoints-${f}.yaml`), docs.join('---\n'));
    }
    const env = {
      ...process.env,
      OPENAI_API_KEY: 'k',
      COHERE_API_KEY: 'k',
      AZURE_OPENAI_API_KEY: 'k',
      NO_COLOR: '1',
    };
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const r = spawnSync(process.execPath, [join(root, 'lib/cli/main.js'), 'validate', dir], {
        env,
        encoding: 'utf8',
      });
      runs.push(performance.now() - start);
      if (r.status !== 0) throw new Error(`validate failed: ${r.stdout}${r.stderr}`);
    }
    const { loadManifests } = await import('../lib/manifest/load.js');
    const inProcess = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const result = loadManifests([dir], { cwd: dir, env });
      inProcess.push(performance.now() - start);
      if (result.manifests.length !== files * perFile) throw new Error('wrong count');
    }
    console.log(`validate: ${files * perFile} endpoints in ${files} files`);
    console.log(
      `  inferctl validate (spawned process, 5 runs)   median ${median(runs).toFixed(0)} ms   min ${Math.min(...runs).toFixed(0)} ms`,
    );
    console.log(
      `  loadManifests in process (first run compiles) ${inProcess.map((t) => t.toFixed(0)).join(' / ')} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, fn] of sections) {
  if (only.length ? !only.includes(name) : name === 'opensearch-real') continue;
  await fn();
  console.log('');
}
