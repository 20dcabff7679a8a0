// applyOpenSearch runs independent changes side by side (bounded), never a change before what it depends on nor
// two changes of one object at once; --no-wait starts deployments without waiting for DEPLOYED.
import { describe, expect, it } from 'vitest';
import { applyOpenSearch, type OpenSearchApplyEvent } from '../../src/opensearch/index.js';
import { cluster, manifestsFrom } from './helpers.js';

const env = { KEY: 'sk-concurrency-canary' };
const set = (models: number) =>
  [
    `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: conn }
spec:
  version: 1
  protocol: http
  parameters: { model: text-embedding-3-small }
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${credential.openAI_key}' }
      request_body: '{ "input": \${parameters.input} }'
`,
    `apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: group }
spec: { description: models }
`,
    ...Array.from(
      { length: models },
      (_, i) => `apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m${i} }
spec: { model_group: group, connector: conn, description: model ${i} }
`,
    ),
  ].join('---\n');

describe('applyOpenSearch concurrency', () => {
  it('runs independent changes side by side, at most `concurrency`, each after what it depends on', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 30 });
    try {
      const manifests = manifestsFrom(set(8), env);
      const plan = await c.plan(manifests);
      const events: OpenSearchApplyEvent[] = [];
      let inFlight = 0;
      let most = 0;
      const result = await applyOpenSearch(plan, manifests, c.ml, c.caps, {
        inventory: c.inventory,
        salt: (await c.inventory.read()).salt,
        pollIntervalMs: 5,
        waitTimeoutMs: 5_000,
        concurrency: 3,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'change-start') most = Math.max(most, ++inFlight);
          if (e.type === 'change-end') inFlight--;
        },
      });
      expect(result.summary).toMatchObject({ succeeded: plan.changes.length, failed: 0 });
      expect(most).toBe(3);
      const started = new Map<string, number>();
      const ended = new Map<string, number>();
      events.forEach((e, i) => {
        if (e.type === 'change-start') started.set(e.change.key, i);
        if (e.type === 'change-end') ended.set(e.result.key, i);
      });
      for (const change of plan.changes) {
        for (const dep of change.dependsOn) expect(started.get(change.key)!).toBeGreaterThan(ended.get(dep)!);
      }
      // A model's deploy never overlaps its registration.
      for (let i = 0; i < 8; i++) {
        expect(started.get(`OpenSearchModel/m${i}#deploy`)!).toBeGreaterThan(
          ended.get(`OpenSearchModel/m${i}`)!,
        );
      }
      // Results keep the plan's order, whatever order the changes finished in.
      expect(result.results.map((r) => r.key)).toEqual(plan.changes.map((x) => x.key));
      expect((await c.plan(manifests)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('without waiting, a deployment is started and reported as such; a later plan sees it DEPLOYED', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 200 });
    try {
      const manifests = manifestsFrom(set(1), env);
      const plan = await c.plan(manifests);
      const result = await applyOpenSearch(plan, manifests, c.ml, c.caps, {
        inventory: c.inventory,
        salt: (await c.inventory.read()).salt,
        pollIntervalMs: 5,
        wait: false,
      });
      expect(result.results.find((r) => r.key === 'OpenSearchModel/m0#deploy')?.message).toBe(
        'deployment started (not waited for)',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect((await c.plan(manifests)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
