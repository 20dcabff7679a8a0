// Elastic Cloud Serverless and the Elastic Inference Service, as a user meets them: `GET /` says
// `build_flavor: serverless` with a meaningless version number, allocations are always adaptive, EIS is
// authorised and its preconfigured `.…-elastic` endpoints exist beside the user's own. On a self-managed
// cluster without EIS an `elastic` endpoint cannot be created.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const ELASTIC = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: eis-sparse }
spec:
  task_type: sparse_embedding
  service: elastic
  service_settings: { model_id: elser_model_2 }
`;
const ELSER_ADAPTIVE = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: my-elser }
spec:
  task_type: sparse_embedding
  service: elasticsearch
  service_settings:
    model_id: .elser_model_2
    num_threads: 1
    adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 4 }
`;
const OPENAI = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: my-openai }
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: { secretRef: { env: OPENAI_KEY } }
`;
const FIXED_ALLOCATIONS = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: fixed-elser }
spec:
  task_type: sparse_embedding
  service: elasticsearch
  service_settings:
    model_id: .elser_model_2
    num_threads: 1
    num_allocations: 2
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-serverless-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const env = { OPENAI_KEY: 'sk-serverless-test' };

describe('Elastic Cloud Serverless', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  beforeAll(async () => {
    emulator = await startEmulator({ esVersion: 'serverless', port: 0 });
  });
  afterAll(async () => emulator.close());

  it('applies EIS, in-cluster (adaptive) and external endpoints, then plans no changes; prune leaves the .…-elastic endpoints alone', async () => {
    const dir = project({ 'a.yaml': ELASTIC, 'b.yaml': ELSER_ADAPTIVE, 'c.yaml': OPENAI });
    const common = ['--url', emulator.url, '--state-file', join(dir, 'state.json')];
    const applied = await inferctlAsync(['apply', dir, '--yes', ...common], { env });
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('Apply complete: 3 succeeded.');
    const planned = await inferctlAsync(['plan', dir, '--detailed-exitcode', '--prune', ...common], { env });
    expect(planned.stdout).toContain('No changes. 3 endpoints in sync.');
    expect(planned.code).toBe(0);
    const listed = (await (await fetch(`${emulator.url}/_inference/_all`)).json()) as {
      endpoints: { inference_id: string }[];
    };
    const ids = listed.endpoints.map((e) => e.inference_id);
    expect(ids).toContain('.elser-2-elastic');
    expect(ids).toContain('.jina-embeddings-v5-text-small');
    const drift = await inferctlAsync(['drift', dir, ...common], { env });
    expect(drift.stdout).not.toContain('.elser-2-elastic');
    expect(drift.code).toBe(0);
  });

  it('refuses a fixed num_allocations before anything is created, naming file, line and field', async () => {
    const dir = project({ 'fixed.yaml': FIXED_ALLOCATIONS });
    const common = ['--url', emulator.url, '--state-file', join(dir, 'state.json')];
    const applied = await inferctlAsync(['apply', dir, '--yes', ...common]);
    expect(applied.code).not.toBe(0);
    const out = applied.stdout + applied.stderr;
    expect(out).toContain('Elastic Cloud Serverless');
    expect(out).toMatch(/fixed\.yaml:10/);
    expect(out).toContain('spec.service_settings.num_allocations');
    const got = await fetch(`${emulator.url}/_inference/fixed-elser`);
    expect(got.status).toBe(404);
  });

  it('is not gated on the version number GET / reports', async () => {
    const root = (await (await fetch(emulator.url)).json()) as {
      version: { number: string; build_flavor: string };
    };
    expect(root.version.build_flavor).toBe('serverless');
    expect(root.version.number).toBe('8.11.0'); // below 8.12, where inferctl's oldest-version check would refuse
    const dir = project({ 'a.yaml': ELASTIC });
    const planned = await inferctlAsync([
      'plan',
      dir,
      '--url',
      emulator.url,
      '--state-file',
      join(dir, 's.json'),
    ]);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
  });
});

describe('the elastic service on a self-managed cluster', () => {
  it('without EIS authorisation the create fails with the server’s reason, and nothing is left behind', async () => {
    const emulator = await startEmulator({ esVersion: '9.4.0', port: 0 });
    try {
      const dir = project({ 'a.yaml': ELASTIC });
      const applied = await inferctlAsync([
        'apply',
        dir,
        '--yes',
        '--url',
        emulator.url,
        '--state-file',
        join(dir, 's.json'),
      ]);
      expect(applied.code).not.toBe(0);
      expect(applied.stdout + applied.stderr).toContain('Elastic Inference Service');
      expect((await fetch(`${emulator.url}/_inference/eis-sparse`)).status).toBe(404);
    } finally {
      await emulator.close();
    }
  });

  it('refuses rate_limit on an elastic endpoint from 9.2 before anything is created', async () => {
    const emulator = await startEmulator({ esVersion: '9.2.0', port: 0, eisAuthorized: true });
    try {
      const dir = project({
        'a.yaml': ELASTIC.replace(
          '{ model_id: elser_model_2 }',
          '{ model_id: elser_model_2, rate_limit: { requests_per_minute: 100 } }',
        ),
      });
      const applied = await inferctlAsync([
        'apply',
        dir,
        '--yes',
        '--url',
        emulator.url,
        '--state-file',
        join(dir, 's.json'),
      ]);
      expect(applied.code).not.toBe(0);
      expect(applied.stdout + applied.stderr).toContain('rate_limit');
      expect((await fetch(`${emulator.url}/_inference/eis-sparse`)).status).toBe(404);
    } finally {
      await emulator.close();
    }
  });
});

describe('validate --es-version serverless', () => {
  it('reports a fixed num_allocations without a cluster; the same manifest is valid for a self-managed version', async () => {
    const dir = project({ 'fixed.yaml': FIXED_ALLOCATIONS });
    const serverless = await inferctlAsync(['validate', dir, '--es-version', 'serverless']);
    expect(serverless.code).toBe(1);
    expect(serverless.stdout).toContain('fixed.yaml:10:5: error: spec.service_settings.num_allocations');
    expect(serverless.stdout).toContain('[not_on_serverless]');
    const selfManaged = await inferctlAsync(['validate', dir, '--es-version', '9.4.0']);
    expect(selfManaged.code).toBe(0);
  });
});
