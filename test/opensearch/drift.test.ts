// openSearchDriftReport: every declared object has an entry (also a model whose only pending changes are its
// connector's undeploy/redeploy), and a credential is "verified" only when the inventory's fingerprints say so.
import { describe, expect, it } from 'vitest';
import { openSearchDriftReport } from '../../src/opensearch/index.js';
import { readOpenSearch } from '../../src/opensearch/read.js';
import { cluster, connectorYaml, groupYaml, manifestsFrom, modelYaml, type Cluster } from './helpers.js';

const env = { KEY: 'sk-drift-canary' };
const manifests = (description: string) =>
  manifestsFrom(
    [
      connectorYaml({ name: 'a', description }),
      groupYaml(),
      modelYaml('m1', { connector: 'a', description: 'model one' }),
    ].join('---\n'),
    env,
  );

async function report(c: Cluster, declared: ReturnType<typeof manifests>) {
  const plan = await c.plan(declared);
  const live = await readOpenSearch(c.ml, declared, new Map(), { everything: true });
  const owned = new Map([...(await c.inventory.read()).records].map(([k, r]) => [k, r.object_id]));
  return openSearchDriftReport(plan, live, owned);
}

describe('openSearchDriftReport', () => {
  it('lists a model whose connector drifted as in sync, saying the fix undeploys it', async () => {
    const c = await cluster('2.19.0');
    try {
      await c.apply(await c.plan(manifests('one')), manifests('one'));
      const r = await report(c, manifests('two'));
      expect(r.endpoints.map((e) => `${e.id} ${e.status} ${e.fix}`)).toEqual([
        'OpenSearchConnector/a drifted downtime',
        'OpenSearchModel/m1 in-sync in-place',
        'OpenSearchModelGroup/group in-sync in-place',
      ]);
      expect(r.endpoints[1]!.detail).toBe('as declared; fixing its connector undeploys and redeploys it');
      expect(r.summary).toEqual({ in_sync: 2, drifted: 1, missing: 0, unmanaged: 0 });
    } finally {
      await c.close();
    }
  });

  it('cannot verify a credential the inventory has no fingerprint of', async () => {
    const c = await cluster('2.19.0');
    try {
      await c.apply(await c.plan(manifests('one')), manifests('one'));
      expect((await report(c, manifests('one'))).endpoints[0]).toMatchObject({
        id: 'OpenSearchConnector/a',
        secrets: 'verified',
      });
      await c.inventory.remove('OpenSearchConnector/a');
      expect((await report(c, manifests('one'))).endpoints[0]).toMatchObject({
        id: 'OpenSearchConnector/a',
        secrets: 'cannot-verify',
      });
    } finally {
      await c.close();
    }
  });

  it('shows a model that is undeployed and has another drifted field with both, not only the field', async () => {
    const c = await cluster('2.19.0');
    try {
      await c.apply(await c.plan(manifests('one')), manifests('one'));
      const id = String(c.emulator.state.models.docs.keys().next().value);
      expect(
        (await c.client.raw('PUT', `/_plugins/_ml/models/${id}`, { body: { description: 'by hand' } }))
          .status,
      ).toBe(200);
      expect((await c.client.raw('POST', `/_plugins/_ml/models/${id}/_undeploy`)).status).toBe(200);
      const m1 = (await report(c, manifests('one'))).endpoints.find((e) => e.id === 'OpenSearchModel/m1');
      expect(m1?.status).toBe('drifted');
      expect(m1?.fields?.map((f) => f.path).sort()).toEqual(['/description', '/model_state']);
    } finally {
      await c.close();
    }
  });
});

describe('a connector change under a model declared deploy: false', () => {
  it('undeploys the model for good, updates the connector, and needs no consent (nothing declared serving is lost)', async () => {
    const c = await cluster('2.19.0');
    try {
      await c.apply(await c.plan(manifests('one')), manifests('one'));
      const next = manifestsFrom(
        [
          connectorYaml({ name: 'a', description: 'two' }),
          groupYaml(),
          modelYaml('m1', { connector: 'a', description: 'model one, deploy: false' }),
        ].join('---\n'),
        env,
      );
      const plan = await c.plan(next);
      expect(
        plan.changes.map(
          (x) => `${x.action} ${x.key}${x.blocked ? ' blocked' : ''}${x.downtime ? ' downtime' : ''}`,
        ),
      ).toEqual(['undeploy OpenSearchModel/m1#undeploy', 'update OpenSearchConnector/a']);
      const result = await c.apply(plan, next);
      expect(result.results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
      const model = [...c.emulator.state.models.docs.values()][0]!;
      expect(JSON.stringify(model)).toContain('UNDEPLOYED');
      expect((await c.plan(next)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
