// The CLI on an OpenSearch cluster, as a user runs it: detected, not configured; the examples apply
// (connector → group → model → deploy) and the next plan is empty.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { inventoryMapping } from '../../src/inventory/cluster.js';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';

const env = secretEnv(join(EXAMPLES, 'opensearch'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read by path in assertions
type Json = Record<string, any>;

describe.each(['2.19.0', '3.1.0'])('inferctl apply on OpenSearch %s', (version) => {
  let emulator: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startOpenSearchEmulator({ version, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'inferctl-os-cli-'));
  });
  afterAll(async () => emulator.close());

  it('applies examples/opensearch with a state file, then plans no changes', async () => {
    const args = [
      join(EXAMPLES, 'opensearch'),
      '--url',
      emulator.url,
      '--state-file',
      join(dir, 'state.json'),
    ];
    const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('✓ OpenSearchModel/openai-embeddings#deploy: DEPLOYED');
    const planned = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
    expect(planned.stdout).toContain('No changes.');
    expect(planned.code).toBe(0);
    for (const out of [applied.stdout, applied.stderr, planned.stdout])
      for (const v of Object.values(env)) expect(out).not.toContain(v);
  });

  it('keeps the inventory and the lock in the cluster by default, as on Elasticsearch', async () => {
    // A fresh cluster: the state-file test above must not leave objects behind for this one.
    const own = await startOpenSearchEmulator({ version, port: 0 });
    try {
      const args = [join(EXAMPLES, 'opensearch'), '--url', own.url];
      const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(applied.stdout).toContain('index inferctl-inventory on the cluster');
      const planned = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
      expect(planned.stdout).toContain('No changes.');
      expect(planned.code).toBe(0);

      const get = (path: string) =>
        fetch(own.url + path).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Json,
        }));
      const mapping = await get('/inferctl-inventory');
      expect(mapping.body['inferctl-inventory'].mappings._meta.inferctl).toMatchObject({
        flavor: 'opensearch',
      });
      const docs = await get('/inferctl-inventory/_search?size=100');
      const records = (docs.body.hits.hits as { _id: string; _source: Record<string, unknown> }[]).map(
        (h) => h._source,
      );
      expect(records.map((r) => r['key']).sort()).toEqual(
        expect.arrayContaining([
          'OpenSearchConnector/openai-embeddings-connector',
          'OpenSearchModel/openai-embeddings',
        ]),
      );
      for (const r of records) expect(r['object_id']).toMatch(/^[\w-]{20}$/);
      expect(JSON.stringify(records)).not.toMatch(/sk-|secret-/);
      // The lease was released.
      expect((await get('/inferctl-inventory-lock/_doc/lock')).status).toBe(404);

      // An Elasticsearch-format inventory index is refused, not mixed.
      await fetch(own.url + '/es-inv', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mappings: inventoryMapping('salt') }),
      });
      const wrong = await inferctlAsync(['plan', ...args, '--inventory-index', 'es-inv'], { env });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain(
        'index es-inv holds an inventory of elasticsearch objects, not of opensearch ones',
      );
    } finally {
      await own.close();
    }
  });
});
