// What an apply does when the cluster is not simply willing: deployments that take time, fail or reach
// some nodes only, updates refused while DEPLOYING, names that match several objects, chunk documents,
// versions that lack a field, pruning — and the CLI's plan on an OpenSearch cluster.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openSearchPlanSchema } from '../../src/opensearch/schema.js';
import { InferctlError } from '../../src/errors.js';
import { planOpenSearch, readOpenSearch } from '../../src/opensearch/index.js';
import { inferctlAsync } from '../helpers/cli.js';
import { actions, cluster, manifestsFrom } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/opensearch');
const read = (f: string) => readFileSync(join(EXAMPLES, `${f}.yaml`), 'utf8');
const openai = read('openai');
const all = ['openai', 'cohere', 'bedrock'].map(read).join('\n---\n');
const env = {
  OPENAI_API_KEY: 'sk-first',
  COHERE_API_KEY: 'co-first',
  AWS_ACCESS_KEY_ID: 'AKIAFIRST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-first',
  AWS_SESSION_TOKEN: 'aws-token-first',
};

describe('deployments', () => {
  it('waits while a model is DEPLOYING, then sees it DEPLOYED', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 80 });
    try {
      const manifests = manifestsFrom(openai, env);
      const result = await c.apply(await c.plan(manifests), manifests);
      expect(result.summary).toMatchObject({ succeeded: 4, failed: 0 });
      const model = [...c.emulator.state.models.docs.values()][0]!;
      expect(model.source.model_state).toBe('DEPLOYED');
    } finally {
      await c.close();
    }
  });

  it('an update answered 409 (model DEPLOYING) is sent again once the deployment ends', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 150 });
    try {
      const manifests = manifestsFrom(openai, env);
      await c.apply(await c.plan(manifests), manifests);
      const id = (await c.plan(manifests)).ids['OpenSearchModel/openai-embeddings']!;
      await c.ml.deployModel(id); // DEPLOYING again for 150 ms
      const changed = manifestsFrom(openai.replace('for semantic search', 'for search'), env);
      const plan = await c.plan(changed);
      expect(actions(plan)).toEqual(['update OpenSearchModel/openai-embeddings']);
      expect(plan.changes[0]!.warnings).toContain(
        'the model is DEPLOYING: the update waits until the deployment ends (OpenSearch answers 409 until then)',
      );
      const result = await c.apply(plan, changed);
      expect(result.results[0]).toMatchObject({
        outcome: 'succeeded',
        message: 'updated in place and verified',
      });
      expect(c.emulator.state.model(id)!.description).toBe('text-embedding-3-small for search');
    } finally {
      await c.close();
    }
  });

  it('reports DEPLOY_FAILED with the nodes’ error, and plans the deploy again', async () => {
    const c = await cluster('2.19.0', {
      deployOutcomes: { 'openai-embeddings': { outcome: 'fail', error: 'provider refused the key' } },
    });
    try {
      const manifests = manifestsFrom(openai, env);
      const result = await c.apply(await c.plan(manifests), manifests);
      const deploy = result.results.find((r) => r.action === 'deploy')!;
      expect(deploy.outcome).toBe('failed');
      expect(deploy.error?.code).toBe('deploy_failed');
      expect(deploy.message).toMatch(/is DEPLOY_FAILED.*provider refused the key/);
      const again = await c.plan(manifests);
      expect(actions(again)).toEqual(['deploy OpenSearchModel/openai-embeddings']);
      expect(again.changes[0]!.reasons[0]!.message).toBe(
        'DEPLOY_FAILED: deployed and waited for until DEPLOYED',
      );
    } finally {
      await c.close();
    }
  });

  it('reports PARTIALLY_DEPLOYED honestly (failed, with the node count)', async () => {
    const c = await cluster('3.1.0', {
      nodes: 2,
      deployOutcomes: { 'openai-embeddings': { outcome: 'partial', error: 'out of memory' } },
    });
    try {
      const manifests = manifestsFrom(openai, env);
      const result = await c.apply(await c.plan(manifests), manifests);
      const deploy = result.results.find((r) => r.action === 'deploy')!;
      expect(deploy).toMatchObject({ outcome: 'failed', error: { code: 'partially_deployed' } });
      expect(deploy.message).toMatch(/PARTIALLY_DEPLOYED \(1 of 2 nodes\).*out of memory/);
    } finally {
      await c.close();
    }
  });
});

describe('identity', () => {
  it('refuses to guess between two connectors of the same name, naming both ids', async () => {
    const c = await cluster('2.19.0');
    try {
      const manifests = manifestsFrom(openai, env);
      const body = {
        name: 'openai-embeddings-connector',
        version: 1,
        protocol: 'http',
        credential: { openAI_key: 'x' },
        actions: [{ action_type: 'predict', method: 'POST', url: 'https://api.openai.com/v1/embeddings' }],
      };
      const first = await c.ml.createConnector(body);
      const second = await c.ml.createConnector(body);
      const plan = await c.plan(manifests);
      expect(plan.conflicts.map((x) => x.key)).toEqual([
        'OpenSearchConnector/openai-embeddings-connector',
        'OpenSearchModel/openai-embeddings',
      ]);
      expect(plan.conflicts[0]!.ids).toEqual([first, second].sort());
      const result = await c.apply(plan, manifests);
      expect(result.summary.succeeded).toBe(0);
      expect(result.results.every((r) => r.error?.code === 'ambiguous_name')).toBe(true);
      expect(c.emulator.state.modelGroups.docs.size).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('never takes a chunk document of a local model for a model', async () => {
    const c = await cluster('2.19.0', {
      localModels: [{ name: 'openai-embeddings', modelGroupName: 'openai-models', chunks: 3 }],
    });
    try {
      const manifests = manifestsFrom(openai, env);
      const live = await readOpenSearch(c.ml, manifests, new Map());
      expect(live.models.map((m) => m.source['algorithm'])).toEqual(['TEXT_EMBEDDING']);
      // The local model of that name in that group is matched and is not a remote one: re-registration.
      const plan = await c.plan(manifests);
      expect(plan.conflicts).toEqual([]);
      expect(plan.changes.find((x) => x.action === 'replace')?.reasons[0]?.message).toBe(
        'the live model is a TEXT_EMBEDDING model, not a remote one',
      );
    } finally {
      await c.close();
    }
  });
});

describe('versions', () => {
  it('refuses a field the cluster version would silently skip, before reading anything else', async () => {
    const c = await cluster('2.12.0');
    try {
      const manifests = manifestsFrom(
        openai.replace(
          '  deploy: true\n',
          '  deploy: true\n  guardrails: { input_guardrail: { regex: [".*secret.*"] } }\n',
        ),
        env,
      );
      const error = await planOpenSearch(c.ml, manifests, c.caps, { url: c.emulator.url }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InferctlError);
      expect((error as InferctlError).code).toBe('invalid_manifests');
      const diagnostics = (error as InferctlError).context['diagnostics'] as {
        path: string;
        message: string;
      }[];
      expect(diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
        'spec.guardrails: guardrails needs OpenSearch 2.13 or later; the cluster is 2.12.0, which would silently ignore it',
      ]);
    } finally {
      await c.close();
    }
  });
});

describe('prune', () => {
  it('undeploys, then deletes a model, its group and its connector, in reverse order', async () => {
    const c = await cluster('2.19.0');
    try {
      const manifests = manifestsFrom(all, env);
      await c.apply(await c.plan(manifests), manifests);
      const kept = manifestsFrom(['openai', 'cohere'].map(read).join('\n---\n'), env);
      const orphaned = await c.plan(kept);
      expect(orphaned.orphaned).toEqual([
        'OpenSearchConnector/bedrock-titan-embeddings-connector',
        'OpenSearchModel/bedrock-titan-embeddings',
        'OpenSearchModelGroup/bedrock-models',
      ]);
      expect(actions(orphaned)).toEqual([]);
      const guarded = await c.plan(kept, { prune: true });
      expect(guarded.changes.filter((x) => x.action === 'delete').every((x) => x.blocked)).toBe(true);
      const plan = await c.plan(kept, { prune: true, maxDeletes: 3 });
      expect(actions(plan)).toEqual([
        'undeploy OpenSearchModel/bedrock-titan-embeddings',
        'delete OpenSearchModel/bedrock-titan-embeddings',
        'delete OpenSearchModelGroup/bedrock-models',
        'delete OpenSearchConnector/bedrock-titan-embeddings-connector',
      ]);
      const result = await c.apply(plan, kept);
      expect(result.results.map((r) => r.outcome)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
        'succeeded',
      ]);
      expect([...c.emulator.state.models.docs.values()].map((d) => d.source.name).sort()).toEqual([
        'cohere-embeddings',
        'openai-embeddings',
      ]);
      expect(actions(await c.plan(kept, { prune: true }))).toEqual([]);
      expect((await c.inventory.read()).records.has('OpenSearchModel/bedrock-titan-embeddings')).toBe(false);
    } finally {
      await c.close();
    }
  });
});

describe('inferctl plan on an OpenSearch cluster', () => {
  it('detects OpenSearch from GET / and plans the ML Commons objects (text, JSON, exit 2 with changes)', async () => {
    const c = await cluster('2.19.0');
    try {
      const state = join(mkdtempSync(join(tmpdir(), 'inferctl-os-cli-')), 'state.json');
      const args = ['plan', 'examples/opensearch', '--url', c.emulator.url, '--state-file', state];
      const text = await inferctlAsync([...args, '--detailed-exitcode'], { env });
      expect(text.stderr).toBe('');
      expect(text.code).toBe(2);
      expect(text.stdout).toContain('(OpenSearch 2.19.0, ML Commons)');
      expect(text.stdout).toContain(
        'Plan: 9 to create, 0 to update in place, 0 to re-register, 0 to delete, 3 to deploy, 0 to undeploy.',
      );
      const json = await inferctlAsync([...args, '--format', 'json'], { env });
      expect(JSON.parse(json.stdout)).toMatchObject({
        flavor: 'opensearch',
        summary: { create: 9, deploy: 3 },
      });
      const validate = new Ajv2020Module.default({ strict: false }).compile(openSearchPlanSchema() as object);
      expect(validate(JSON.parse(json.stdout)), JSON.stringify(validate.errors)).toBe(true);
      expect(json.stdout + text.stdout).not.toContain('sk-first');
      // Without --state-file the inventory is an index of the cluster, as on Elasticsearch.
      const inCluster = await inferctlAsync(['plan', 'examples/opensearch', '--url', c.emulator.url], {
        env,
      });
      expect(inCluster.code, inCluster.stderr).toBe(0);
      expect(inCluster.stdout).toContain('index inferctl-inventory on the cluster');
      const wrong = await inferctlAsync(
        ['plan', 'examples/services/openai.yaml', '--url', c.emulator.url, '--state-file', state],
        { env: { ...env, OPENAI_API_KEY: 'x' } },
      );
      expect(wrong.stderr).toContain('the cluster is OpenSearch 2.19.0, but');
    } finally {
      await c.close();
    }
  });
});
