// applyOpenSearch runs independent changes side by side (bounded), never a change before what it depends on, nor
// two changes of one object at once, nor a model on a connector before that connector's update; --no-wait starts
// deployments without waiting for DEPLOYED. Fingerprints are recorded only for credentials a change sent.
import { describe, expect, it } from 'vitest';
import { applyOpenSearch, type OpenSearchApplyEvent } from '../../src/opensearch/index.js';
import { cluster, connectorYaml, groupYaml, manifestsFrom, modelYaml } from './helpers.js';

const env = { KEY: 'sk-concurrency-canary' };
const set = (models: number) =>
  [
    connectorYaml(),
    groupYaml(),
    ...Array.from({ length: models }, (_, i) => modelYaml(`m${i}`, { description: `model ${i}` })),
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
      // Two changes of one object never overlap (a registration and its deploy, here).
      const objectOf = (x: (typeof plan.changes)[number]) => x.id ?? `${x.kind}/${x.name}`;
      for (const a of plan.changes)
        for (const b of plan.changes) {
          if (a === b || objectOf(a) !== objectOf(b) || started.get(a.key)! > started.get(b.key)!) continue;
          expect(started.get(b.key)!, `${b.key} started while ${a.key} ran`).toBeGreaterThan(
            ended.get(a.key)!,
          );
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

  it('a model moving to a connector that is being updated waits for the update (else OpenSearch refuses it)', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 50 });
    try {
      const first = manifestsFrom(
        [
          connectorYaml({ name: 'a', description: 'one' }),
          connectorYaml({ name: 'b', description: 'one' }),
          groupYaml(),
          modelYaml('m1', { connector: 'a' }),
          modelYaml('m2', { connector: 'b' }),
        ].join('---\n'),
        env,
      );
      expect((await c.apply(await c.plan(first), first)).summary.failed).toBe(0);
      const second = manifestsFrom(
        [
          connectorYaml({ name: 'a', description: 'two' }),
          connectorYaml({ name: 'b', description: 'one' }),
          groupYaml(),
          modelYaml('m1', { connector: 'a' }),
          modelYaml('m2', { connector: 'a' }),
        ].join('---\n'),
        env,
      );
      const plan = await c.plan(second, { allowDisruption: new Set(['a']) });
      const result = await applyOpenSearch(plan, second, c.ml, c.caps, {
        inventory: c.inventory,
        salt: (await c.inventory.read()).salt,
        pollIntervalMs: 5,
        waitTimeoutMs: 5_000,
        concurrency: 4,
      });
      expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
      for (const m of c.emulator.state.models.docs.values()) expect(m.source.model_state).toBe('DEPLOYED');
      expect((await c.plan(second)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('records a credential fingerprint only when the change sent the credential', async () => {
    const c = await cluster('2.19.0');
    try {
      const first = manifestsFrom(set(0), { KEY: 'sk-old-canary' });
      await c.apply(await c.plan(first), first);
      // As after inferctl adopt: the object is owned, its credential unknown.
      const owned = (await c.inventory.read()).records.get('OpenSearchConnector/conn')!;
      await c.inventory.put({ ...owned, secrets: {} });
      const second = manifestsFrom(set(0).replace('version: 1', 'version: 2'), { KEY: 'sk-new-canary' });
      const plan = await c.plan(second);
      expect(plan.unverifiable).toEqual(['OpenSearchConnector/conn']);
      const result = await c.apply(plan, second);
      expect(result.results.flatMap((r) => r.requests)).toEqual([
        expect.stringMatching(/^PUT \/_plugins\/_ml\/connectors\//),
      ]);
      // The update did not carry the credential: still unknown, so still "cannot verify".
      expect((await c.inventory.read()).records.get('OpenSearchConnector/conn')!.secrets).toEqual({});
      expect((await c.plan(second)).unverifiable).toEqual(['OpenSearchConnector/conn']);
    } finally {
      await c.close();
    }
  });

  it('a pruned model on a connector being updated is undeployed once and deleted, not redeployed first', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 20 });
    try {
      const first = manifestsFrom(set(2), env);
      expect((await c.apply(await c.plan(first), first)).summary.failed).toBe(0);
      // m1 is no longer declared (pruned) while the connector changes.
      const second = manifestsFrom(set(1).replace('version: 1', 'version: 2'), env);
      const plan = await c.plan(second, { prune: true, allowDisruption: new Set(['conn']) });
      expect(plan.changes.filter((x) => x.action === 'deploy').map((x) => x.key)).toEqual([
        'OpenSearchModel/m0#deploy',
      ]);
      const result = await c.apply(plan, second);
      expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
      expect([...c.emulator.state.models.docs.values()].map((m) => m.source.name)).toEqual(['m0']);
      expect((await c.plan(second)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('an update and a deploy of the same model run one after the other', async () => {
    const c = await cluster('2.19.0', { deployDelayMs: 30 });
    try {
      const first = manifestsFrom(
        set(1).replace('description: model 0', 'description: model 0, deploy: false'),
        env,
      );
      expect((await c.apply(await c.plan(first), first)).summary.failed).toBe(0);
      const second = manifestsFrom(set(1).replace('description: model 0', 'description: changed'), env);
      const plan = await c.plan(second);
      const update = plan.changes.find((x) => x.key === 'OpenSearchModel/m0')!;
      const deploy = plan.changes.find((x) => x.key === 'OpenSearchModel/m0#deploy')!;
      expect([update.action, deploy.action]).toEqual(['update', 'deploy']);
      const order: string[] = [];
      const result = await applyOpenSearch(plan, second, c.ml, c.caps, {
        inventory: c.inventory,
        salt: (await c.inventory.read()).salt,
        pollIntervalMs: 5,
        waitTimeoutMs: 5_000,
        concurrency: 4,
        onEvent: (e) => {
          if (e.type === 'change-start') order.push(`start ${e.change.key}`);
          if (e.type === 'change-end') order.push(`end ${e.result.key}`);
        },
      });
      expect(result.summary.failed).toBe(0);
      expect(order).toEqual([
        'start OpenSearchModel/m0',
        'end OpenSearchModel/m0',
        'start OpenSearchModel/m0#deploy',
        'end OpenSearchModel/m0#deploy',
      ]);
    } finally {
      await c.close();
    }
  });
});
