// The promise on OpenSearch, end to end against the emulator of every profile (OPENSEARCH_PROFILES): the
// examples apply and the next plan is empty; a credential rotation goes undeploy → update → redeploy and
// the plan says so; model fields change in place; a registration-only change re-registers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_PROFILES } from '../../src/catalog/opensearch-capabilities.js';
import { actions, cluster, manifestsFrom, type Cluster } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/opensearch');
const examples = ['openai', 'cohere', 'bedrock']
  .map((f) => readFileSync(join(EXAMPLES, `${f}.yaml`), 'utf8'))
  .join('\n---\n');
const env = {
  OPENAI_API_KEY: 'sk-first',
  COHERE_API_KEY: 'co-first',
  AWS_ACCESS_KEY_ID: 'AKIAFIRST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-first',
  AWS_SESSION_TOKEN: 'aws-token-first',
};

describe.each([...OPENSEARCH_PROFILES])('OpenSearch %s', (version) => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(version);
  });
  afterAll(async () => c.close());

  it('applies the examples (connector → group → model → deploy), then plans no changes', async () => {
    const manifests = manifestsFrom(examples, env);
    const plan = await c.plan(manifests);
    expect(plan.summary).toMatchObject({ create: 9, deploy: 3, update: 0, blocked: 0, downtime: 0 });
    // Dependency order: every connector and group before the models, deploys last.
    const order = actions(plan);
    expect(order.slice(0, 3).every((a) => a.startsWith('create OpenSearchConnector/'))).toBe(true);
    expect(order.slice(3, 6).every((a) => a.startsWith('create OpenSearchModelGroup/'))).toBe(true);
    expect(order.slice(9).every((a) => a.startsWith('deploy OpenSearchModel/'))).toBe(true);
    const result = await c.apply(plan, manifests);
    expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
    for (const m of c.emulator.state.models.docs.values()) expect(m.source.model_state).toBe('DEPLOYED');
    const again = await c.plan(manifests);
    expect(actions(again)).toEqual([]);
    expect(again.unchanged).toHaveLength(9);
    expect(again.unverifiable).toEqual([]);
  });

  it('plans the same plan twice (same checksum)', async () => {
    const manifests = manifestsFrom(examples, env);
    expect((await c.plan(manifests)).checksum).toBe((await c.plan(manifests)).checksum);
  });

  it('changes model fields in place, without undeploying', async () => {
    const changed = examples
      .replace(
        'description: text-embedding-3-small for semantic search',
        'description: OpenAI small embeddings',
      )
      .replace("rate_limiter: { limit: '4', unit: SECONDS }", 'rate_limiter: { limit: 10, unit: MINUTES }');
    const manifests = manifestsFrom(changed, env);
    const plan = await c.plan(manifests);
    expect(actions(plan)).toEqual(['update OpenSearchModel/openai-embeddings']);
    const change = plan.changes[0]!;
    expect(change.downtime).toBeUndefined();
    expect(change.diff.map((d) => `${d.path} ${d.mode}`)).toEqual([
      '/description in-place',
      '/rate_limiter/limit in-place',
      '/rate_limiter/unit in-place',
    ]);
    const result = await c.apply(plan, manifests);
    expect(result.summary.succeeded).toBe(1);
    expect(result.results[0]!.requests).toEqual([`PUT /_plugins/_ml/models/${change.id}`]);
    const model = c.emulator.state.model(change.id!)!;
    expect(model.model_state).toBe('DEPLOYED');
    expect(model.rate_limiter).toEqual({ limit: '10', unit: 'MINUTES' });
    expect(actions(await c.plan(manifests))).toEqual([]);
  });

  it('says that a rate_limiter cannot be removed, and plans nothing for it', async () => {
    const manifests = manifestsFrom(
      examples
        .replace("  rate_limiter: { limit: '4', unit: SECONDS }\n", '')
        .replace(
          'description: text-embedding-3-small for semantic search',
          'description: OpenAI small embeddings',
        ),
      env,
    );
    const plan = await c.plan(manifests);
    expect(actions(plan)).toEqual([]);
    expect(plan.notes.join('\n')).toMatch(
      /OpenSearchModel\/openai-embeddings: rate_limiter is no longer declared but stays \{"limit":"10","unit":"MINUTES"\}: the model's update cannot remove it/,
    );
  });

  it('rotates a credential as undeploy → update connector → redeploy, blocked until the downtime is allowed', async () => {
    const base = examples
      .replace(
        'description: text-embedding-3-small for semantic search',
        'description: OpenAI small embeddings',
      )
      .replace("rate_limiter: { limit: '4', unit: SECONDS }", 'rate_limiter: { limit: 10, unit: MINUTES }');
    const rotated = { ...env, OPENAI_API_KEY: 'sk-second' };
    const manifests = manifestsFrom(base, rotated);
    const plan = await c.plan(manifests);
    expect(actions(plan)).toEqual([
      'undeploy OpenSearchModel/openai-embeddings',
      'update OpenSearchConnector/openai-embeddings-connector',
      'deploy OpenSearchModel/openai-embeddings',
    ]);
    const update = plan.changes[1]!;
    expect(update.downtime).toBe(true);
    expect(update.reasons.map((r) => r.code)).toEqual(['secret_rotated', 'connector_in_use']);
    expect(update.diff).toEqual([
      expect.objectContaining({
        path: '/credential/openAI_key',
        secret: true,
        before: '(secret)',
        after: '(secret)',
      }),
    ]);
    expect(update.blocked?.hint).toContain('--allow-disruption openai-embeddings-connector');
    expect(update.hints?.[0]).toMatch(/zero downtime instead: declare a new connector/);
    expect(plan.changes.every((ch) => ch.blocked)).toBe(true);
    expect(plan.summary.downtime).toBe(2);
    const refused = await c.apply(plan, manifests);
    expect(refused.summary).toMatchObject({ skipped: 3, succeeded: 0 });

    const allowed = await c.plan(manifests, { allowDisruption: new Set(['openai-embeddings-connector']) });
    expect(allowed.changes.some((ch) => ch.blocked)).toBe(false);
    const result = await c.apply(allowed, manifests);
    expect(result.results.map((r) => `${r.outcome} ${r.requests.join(', ')}`)).toEqual([
      `succeeded POST /_plugins/_ml/models/${allowed.changes[0]!.id}/_undeploy`,
      `succeeded PUT /_plugins/_ml/connectors/${update.id}`,
      `succeeded POST /_plugins/_ml/models/${allowed.changes[0]!.id}/_deploy`,
    ]);
    expect(c.emulator.state.model(allowed.changes[0]!.id!)!.model_state).toBe('DEPLOYED');
    // The new fingerprint is recorded: the next plan is empty.
    expect(actions(await c.plan(manifests))).toEqual([]);
  });

  it('re-registers a model whose connector moves from stand-alone to inline (a registration-only change)', async () => {
    const inline = examples
      .replace(
        'description: text-embedding-3-small for semantic search',
        'description: OpenAI small embeddings',
      )
      .replace("rate_limiter: { limit: '4', unit: SECONDS }", 'rate_limiter: { limit: 10, unit: MINUTES }')
      .replace(
        '  connector: bedrock-titan-embeddings-connector\n',
        `  connector:
    name: titan-inline
    version: 1
    protocol: aws_sigv4
    parameters: { region: us-east-1, service_name: bedrock, model: amazon.titan-embed-text-v2:0 }
    credential:
      access_key: { secretRef: { env: AWS_ACCESS_KEY_ID } }
      secret_key: { secretRef: { env: AWS_SECRET_ACCESS_KEY } }
    actions:
      - action_type: predict
        method: POST
        url: https://bedrock-runtime.\${parameters.region}.amazonaws.com/model/\${parameters.model}/invoke
        request_body: '{ "inputText": "\${parameters.inputText}" }'
`,
      );
    const rotatedEnv = { ...env, OPENAI_API_KEY: 'sk-second' };
    const manifests = manifestsFrom(inline, rotatedEnv);
    const plan = await c.plan(manifests);
    expect(actions(plan)).toEqual([
      'undeploy OpenSearchModel/bedrock-titan-embeddings',
      'replace OpenSearchModel/bedrock-titan-embeddings',
      'deploy OpenSearchModel/bedrock-titan-embeddings',
    ]);
    const replace = plan.changes[1]!;
    expect(replace.reasons[0]).toMatchObject({ code: 'register_only', fields: ['/connector'] });
    expect(replace.blocked?.hint).toBe('pass --allow-disruption bedrock-titan-embeddings to accept it');
    const allowed = await c.plan(manifests, { allowDisruption: new Set(['bedrock-titan-embeddings']) });
    const result = await c.apply(allowed, manifests);
    expect(result.results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const newId = result.results[1]!.id!;
    expect(newId).not.toBe(replace.id);
    expect(c.emulator.state.model(replace.id!)).toBeUndefined();
    expect(c.emulator.state.model(newId)!.model_state).toBe('DEPLOYED');
    expect(actions(await c.plan(manifests))).toEqual([]);
  });
});
