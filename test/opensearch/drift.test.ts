// openSearchDriftReport: every declared object has an entry (also a model whose only pending changes are its
// connector's undeploy/redeploy), and a credential is "verified" only when the inventory's fingerprints say so.
import { describe, expect, it } from 'vitest';
import { openSearchDriftReport } from '../../src/opensearch/index.js';
import { readOpenSearch } from '../../src/opensearch/read.js';
import { cluster, manifestsFrom, type Cluster } from './helpers.js';

const env = { KEY: 'sk-drift-canary' };
const manifests = (description: string) =>
  manifestsFrom(
    `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: a }
spec:
  description: ${description}
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
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: group }
spec: { description: models }
---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m1 }
spec: { model_group: group, connector: a, description: model one }
`,
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
});
