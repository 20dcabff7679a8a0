// The core's dispatch: `GET /` says OpenSearch, so the session plans ML Commons objects, and the
// OpenSearch apply flow runs under the lock with a state file, refusing blocked plans before writing.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget, type Target } from '../../src/cli/target.js';
import { probeCluster } from '../../src/core/reconcile.js';
import { runApplyOpenSearch } from '../../src/core/run-apply-opensearch.js';
import { prepare, prepareCluster } from '../../src/core/session.js';
import {
  startOpenSearchEmulator,
  type RunningOpenSearchEmulator,
} from '../../src/emulator/opensearch/index.js';
import { InferctlError } from '../../src/errors.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/opensearch');
const env = {
  OPENAI_API_KEY: 'sk-first',
  COHERE_API_KEY: 'co-first',
  AWS_ACCESS_KEY_ID: 'AKIAFIRST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-first',
  AWS_SESSION_TOKEN: 'aws-token-first',
};

describe('the session on an OpenSearch cluster', () => {
  let emulator: RunningOpenSearchEmulator;
  let dir: string;
  const targets: Target[] = [];
  const target = (extra: Record<string, string> = {}) => {
    const t = resolveTarget(
      { url: emulator.url, 'state-file': join(dir, 'state.json'), 'log-level': 'silent', ...extra },
      [dir],
      { stderr: new PassThrough(), env, cwd: dir },
    );
    targets.push(t);
    return t;
  };
  const io = (vars: Record<string, string> = env) => ({ cwd: dir, env: vars });

  beforeAll(async () => {
    emulator = await startOpenSearchEmulator({ port: 0, version: '2.19.0' });
    dir = mkdtempSync(join(tmpdir(), 'inferctl-os-session-'));
    writeFileSync(join(dir, 'openai.yaml'), readFileSync(join(EXAMPLES, 'openai.yaml'), 'utf8'));
  });
  afterAll(async () => {
    for (const t of targets) await t.client.close();
    await emulator.close();
  });

  it('probeCluster returns the flavor instead of refusing OpenSearch', async () => {
    const probed = await probeCluster(target().client);
    expect(probed.flavor).toBe('opensearch');
    expect(probed.capabilities.version).toBe('2.19.0');
  });

  it('prepare (Elasticsearch only) refuses; prepareCluster plans the ML Commons objects', async () => {
    const error = await prepare(target(), io(), {}).catch((e: unknown) => e);
    expect((error as InferctlError).code).toBe('unsupported_cluster');
    const prepared = await prepareCluster(target(), io(), {});
    expect(prepared.flavor).toBe('opensearch');
    if (prepared.flavor !== 'opensearch') return;
    expect(prepared.plan.summary).toMatchObject({ create: 3, deploy: 1 });
    expect(prepared.plan.inventory).toBe(`state file ${join(dir, 'state.json')}`);
  });

  it('applies under the lock, records ids in the state file, then finds nothing to do', async () => {
    const options = { plan: {}, lockOwner: 'test', lockTimeoutMs: 5_000, waitTimeoutMs: 5_000 };
    const outcome = await runApplyOpenSearch(target(), io(), options);
    expect(outcome.status).toBe('applied');
    if (outcome.status !== 'applied') return;
    expect(outcome.result.summary).toMatchObject({ succeeded: 4, failed: 0 });
    expect(existsSync(join(dir, 'state.json.lock'))).toBe(false);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    const objects = Object.values(state.clusters)[0] as { objects: Record<string, { object_id: string }> };
    expect(Object.keys(objects.objects)).toEqual([
      'OpenSearchConnector/openai-embeddings-connector',
      'OpenSearchModel/openai-embeddings',
      'OpenSearchModelGroup/openai-models',
    ]);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).not.toContain('sk-first');
    expect((await runApplyOpenSearch(target(), io(), options)).status).toBe('no-changes');
  });

  it('refuses a blocked plan (a rotation with downtime) before writing, then applies it when allowed', async () => {
    const rotated = { ...env, OPENAI_API_KEY: 'sk-second' };
    const options = { plan: {}, lockOwner: 'test', lockTimeoutMs: 5_000, waitTimeoutMs: 5_000 };
    const error = await runApplyOpenSearch(target(), io(rotated), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferctlError);
    expect((error as InferctlError).code).toBe('plan_blocked');
    expect((error as InferctlError).hint).toMatch(/--allow-disruption openai-embeddings-connector/);
    const allowed = await runApplyOpenSearch(target(), io(rotated), {
      ...options,
      plan: { allowDisruption: ['openai-embeddings-connector'] },
    });
    expect(allowed.status).toBe('applied');
    if (allowed.status !== 'applied') return;
    expect(allowed.result.results.map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'undeploy succeeded',
      'update succeeded',
      'deploy succeeded',
    ]);
    expect((await prepareCluster(target(), io(rotated), {})).plan.changes).toEqual([]);
  });
});
