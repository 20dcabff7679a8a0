// The end-to-end OpenSearch flows against a real OpenSearch node with ML Commons, not our emulator:
// apply examples/opensearch, an empty plan, drift after out-of-band edits, --fix, the inventory and
// the lock in the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { startReal, type RealNode, REAL_VERSION } from './node.js';

const env = secretEnv(join(EXAMPLES, 'opensearch'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read by path
type Json = Record<string, any>;

describe(`inferctl on a real OpenSearch ${REAL_VERSION}`, () => {
  let node: RealNode;
  let args: string[];
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(node.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, ...((await res.json()) as Json) };
  };
  const modelId = async (name: string): Promise<string> => {
    const found = await call('POST', '/_plugins/_ml/models/_search', {
      query: { term: { 'name.keyword': name } },
      size: 10,
    });
    const hit = (found['hits'].hits as Json[]).find((h) => !h['_source'].chunk_number);
    return String(hit!['_id']);
  };
  /**
   * Until every named model has read DEPLOYED for longer than one round of ML Commons' sync-up cron (10 s, at most
   * 45 s in all). The cron gathers the nodes' deployed models first and writes states from that view later
   * (MLSyncUpCron.refreshModelState / getNewModelState, 3.6.0.0): a DEPLOYED that lands in between is written over
   * with DEPLOY_FAILED for one round, and a model it holds as DEPLOY_FAILED while still on a node is written back
   * to DEPLOYED — even when an undeploy came in between. Out-of-band edits made before the states settle can be
   * undone by that round.
   */
  const settled = async (names: string[]): Promise<void> => {
    let since: number | undefined;
    for (const deadline = Date.now() + 45_000; Date.now() < deadline;) {
      const states = await Promise.all(
        names.map(
          async (n) => (await call('GET', `/_plugins/_ml/models/${await modelId(n)}`))['model_state'],
        ),
      );
      if (!states.every((st) => st === 'DEPLOYED')) since = undefined;
      else if (since === undefined) since = Date.now();
      else if (Date.now() - since > 11_000) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const MODELS = ['cohere-embeddings', 'openai-embeddings', 'bedrock-titan-embeddings'];
  beforeAll(async () => {
    node = await startReal(9260);
    args = [join(EXAMPLES, 'opensearch'), '--url', node.url];
  });
  afterAll(async () => node?.stop());

  it('applies examples/opensearch (connector → group → model → deploy), then plans no changes', async () => {
    const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('✓ OpenSearchModel/openai-embeddings#deploy: DEPLOYED');
    expect(applied.stdout).toContain('Apply complete: 12 succeeded.');
    const planned = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
    expect(planned.stdout).toContain(`(OpenSearch ${REAL_VERSION}, ML Commons)`);
    expect(planned.stdout).toContain('No changes. 9 objects in sync.');
    expect(planned.code).toBe(0);
    for (const out of [applied.stdout, applied.stderr, planned.stdout])
      for (const v of Object.values(env)) expect(out).not.toContain(v);
    // The inventory lives in the cluster and holds no secret; the lease was released.
    const docs = await call('GET', '/inferctl-inventory/_search?size=100');
    expect(docs['hits'].hits.length).toBeGreaterThanOrEqual(9);
    expect(JSON.stringify(docs)).not.toMatch(/test-[A-Z_]+/);
    expect((await call('GET', '/inferctl-inventory-lock/_doc/lock')).status).toBe(404);
  });

  it('names an out-of-band edit and an undeploy as drift, and --fix restores them', async () => {
    // Seen on 3.6.0: edits made within a cron round of the deploys were undone by it (see settled above).
    await settled(MODELS);
    const cohere = await modelId('cohere-embeddings');
    const edited = await call('PUT', `/_plugins/_ml/models/${cohere}`, { description: 'changed by hand' });
    expect(edited.status).toBe(200);
    const openai = await modelId('openai-embeddings');
    expect((await call('POST', `/_plugins/_ml/models/${openai}/_undeploy`)).status).toBe(200);

    const drift = await inferctlAsync(['drift', ...args], { env });
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toContain('DRIFTED OpenSearchModel/cohere-embeddings');
    expect(drift.stdout).toContain('description: live "changed by hand"');
    expect(drift.stdout).toContain('DRIFTED OpenSearchModel/openai-embeddings');
    expect(drift.stdout).toContain('model_state: live "UNDEPLOYED", declared "DEPLOYED"');

    const fixed = await inferctlAsync(['drift', ...args, '--fix'], { env });
    expect(fixed.stdout + fixed.stderr).toContain(
      'fixed: OpenSearchModel/cohere-embeddings: updated in place and verified',
    );
    expect(fixed.stdout + fixed.stderr).toContain(
      'fixed: OpenSearchModel/openai-embeddings#deploy: DEPLOYED',
    );
    await settled(MODELS);
    const after = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
    expect(after.stdout).toContain('No changes. 9 objects in sync.');
    expect(after.code).toBe(0);
  }, 240_000);
});
