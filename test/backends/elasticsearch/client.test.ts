/**
 * Contract tests of the undici client against the emulator, per version profile: 8.14 (`models` /
 * `model_id`, no `_update`, plain delete answer), 8.15 (`endpoints` / `inference_id`, dry_run/force, no
 * `_update`) and 9.1 (`_update`, default endpoints).
 */
import { createServer } from 'node:http';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElasticsearchError } from '../../../src/backends/elasticsearch/errors.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { Secret } from '../../../src/manifest/secrets.js';
import { connect, recordedClient, startFront, thrown, type Recorded } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const openai = (key: string) => ({
  service: 'openai',
  service_settings: { api_key: new Secret(key, 'env OPENAI_API_KEY'), model_id: 'text-embedding-3-small' },
});
const elser = { service: 'elser', service_settings: { num_allocations: 1, num_threads: 1 } };

async function raw(e: Emulator, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(e.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  await res.text();
  return res.status;
}

for (const version of ['8.14.3', '8.15.5', '9.1.0']) {
  describe(`round trips against ${version}`, () => {
    let e: Emulator;
    let r: Recorded;
    const modern = version !== '8.14.3';
    beforeEach(async () => {
      e = await startEmulator({ esVersion: version });
      r = recordedClient(connect({ url: e.url }));
    });
    afterEach(async () => {
      await r.client.close();
      await e.close();
    });

    it('info() reads the version', async () => {
      expect(await r.client.info()).toMatchObject({ version, buildFlavor: 'default' });
    });

    it('put → get → list: the wrapper and id key of the version are unwrapped, secrets never returned', async () => {
      const put = await r.client.putEndpoint('text_embedding', 'my-openai', openai('sk-one'));
      expect(put).toMatchObject({
        inference_id: 'my-openai',
        task_type: 'text_embedding',
        service: 'openai',
      });
      expect(put).not.toHaveProperty('model_id');
      expect(put.service_settings).toMatchObject({ model_id: 'text-embedding-3-small' });
      expect(JSON.stringify(put)).not.toContain('sk-one');
      const got = await r.client.getEndpoint('my-openai');
      expect(got).toEqual(put);
      const list = await r.client.listEndpoints();
      expect(list.map((x) => x.inference_id)).toContain('my-openai');
      expect(list.find((x) => x.inference_id === 'my-openai')).toEqual(put);
      // One request each: no retries, no reads around the create.
      expect(r.sent()).toEqual([
        'PUT /_inference/text_embedding/my-openai',
        'GET /_inference/my-openai',
        'GET /_inference/_all',
      ]);
    });

    it('getEndpoint of a missing id → undefined', async () => {
      expect(await r.client.getEndpoint('nope')).toBeUndefined();
    });

    it('the sent body carries the revealed secret (the emulator accepted the key)', async () => {
      await r.client.putEndpoint('text_embedding', 'k', openai('sk-stored'));
      const stored = e.state.endpoints.get('k');
      expect(stored?.secrets).toMatchObject({ api_key: 'sk-stored' });
    });

    it('an in-cluster endpoint and its deployment stats by deployment id', async () => {
      const put = await r.client.putEndpoint('sparse_embedding', 'my-elser', elser);
      // `elser` is stored as `elasticsearch` from 8.16.
      expect(put.service).toBe(version === '9.1.0' ? 'elasticsearch' : 'elser');
      const stats = await r.client.deploymentStats(['my-elser', 'not-deployed']);
      expect([...stats.keys()]).toEqual(['my-elser']);
      expect(stats.get('my-elser')).toMatchObject({
        deployment_id: 'my-elser',
        state: 'started',
        allocation_status: { allocation_count: 1, target_allocation_count: 1, state: 'fully_allocated' },
      });
      // The unknown id made ES answer 404; it was dropped and the rest asked again.
      expect(r.sent()).toEqual([
        'PUT /_inference/sparse_embedding/my-elser',
        'GET /_ml/trained_models/my-elser,not-deployed/_stats?allow_no_match=true&size=10000',
        'GET /_ml/trained_models/my-elser/_stats?allow_no_match=true&size=10000',
      ]);
      expect(await r.client.deploymentStats([])).toEqual(new Map());
    });

    it('delete', async () => {
      await r.client.putEndpoint('text_embedding', 'gone', openai('sk-x'));
      expect(await r.client.deleteEndpoint('text_embedding', 'gone')).toEqual({
        acknowledged: true,
        pipelines: [],
        indexes: [],
      });
      expect(await r.client.getEndpoint('gone')).toBeUndefined();
      const err = await thrown(() => r.client.deleteEndpoint('text_embedding', 'gone'));
      expect(err).toBeInstanceOf(ElasticsearchError);
      expect(err.code).toBe('not_found');
    });

    if (version === '9.1.0') {
      it('_update returns the stored config', async () => {
        await r.client.putEndpoint('text_embedding', 'u', openai('sk-1'));
        const updated = await r.client.updateEndpoint('text_embedding', 'u', {
          service_settings: { api_key: new Secret('sk-2', 'env K') },
          task_settings: { user: 'me' },
        });
        expect(updated).toMatchObject({ inference_id: 'u', task_settings: { user: 'me' } });
        expect(e.state.endpoints.get('u')?.secrets).toMatchObject({ api_key: 'sk-2' });
        expect(r.sent().at(-1)).toBe('PUT /_inference/text_embedding/u/_update');
      });

      it('lists the default endpoints the version materialises', async () => {
        const ids = (await r.client.listEndpoints()).map((x) => x.inference_id);
        expect(ids).toEqual(
          expect.arrayContaining(['.elser-2-elasticsearch', '.multilingual-e5-small-elasticsearch']),
        );
      });
    } else {
      it('_update does not exist: a clear bad_request naming the version limit', async () => {
        await r.client.putEndpoint('text_embedding', 'u', openai('sk-1'));
        const err = await thrown(() =>
          r.client.updateEndpoint('text_embedding', 'u', { task_settings: { user: 'me' } }),
        );
        expect(err.code).toBe('bad_request');
        expect(err.message).toContain('PUT /_inference/text_embedding/u/_update');
        expect(err.hint).toContain('_update needs 8.17');
      });
    }

    // 8.15's DELETE checks pipelines only (PR #111626); the semantic_text check is 8.16's (PR #110487).
    if (modern && version !== '8.15.5') {
      it('referenced endpoint: dry_run lists referrers; delete is a conflict naming them; force deletes', async () => {
        await r.client.putEndpoint('sparse_embedding', 'ref', elser);
        expect(
          await raw(e, 'PUT', '/_ingest/pipeline/p1', {
            processors: [
              { inference: { model_id: 'ref', input_output: { input_field: 'a', output_field: 'b' } } },
            ],
          }),
        ).toBe(200);
        expect(
          await raw(e, 'PUT', '/idx-a', {
            mappings: { properties: { body: { type: 'semantic_text', inference_id: 'ref' } } },
          }),
        ).toBe(200);
        const dry = await r.client.deleteEndpoint('sparse_embedding', 'ref', { dryRun: true });
        expect(dry).toMatchObject({ acknowledged: false, pipelines: ['p1'], indexes: ['idx-a'] });
        expect(dry.error_message).toContain('referenced by pipelines: [p1]');

        const err = await thrown(() => r.client.deleteEndpoint('sparse_embedding', 'ref'));
        expect(err).toBeInstanceOf(ElasticsearchError);
        const es = err as ElasticsearchError;
        expect(es.code).toBe('conflict');
        expect(es.status).toBe(409);
        expect(es.references).toEqual({ pipelines: ['p1'], indexes: ['idx-a'] });
        expect(es.message).toBe(
          'cannot delete inference endpoint [ref]: it is used by ingest pipelines [p1] and the mappings of indexes [idx-a]',
        );
        expect(r.sent().at(-1)).toBe('DELETE /_inference/sparse_embedding/ref');

        expect(await r.client.deleteEndpoint('sparse_embedding', 'ref', { force: true })).toEqual({
          acknowledged: true,
          pipelines: [],
          indexes: [],
        });
        expect(r.sent().at(-1)).toBe('DELETE /_inference/sparse_embedding/ref?force=true');
      });
    }
  });
}

describe('requests', () => {
  it('sends ApiKey auth and JSON headers with a user agent; sockets are kept alive and bounded', async () => {
    const e = await startEmulator({ esVersion: '9.1.0', apiKey: 'a2V5OnNlY3JldA==' });
    const seen: { headers: Record<string, string | string[] | undefined>; port: number | undefined }[] = [];
    // A pass-through server that records what arrives (headers, client socket).
    const front = createServer((req, res) => {
      seen.push({ headers: req.headers, port: req.socket.remotePort });
      void fetch(e.url + (req.url ?? '/'), {
        method: req.method ?? 'GET',
        headers: { authorization: req.headers.authorization ?? '' },
      }).then(async (u) => {
        res.writeHead(u.status, { 'content-type': 'application/json' });
        res.end(await u.text());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
    const port = (front.address() as { port: number }).port;
    const r = recordedClient(connect({ url: `http://127.0.0.1:${port}`, apiKey: 'key:secret' }), {
      connections: 2,
    });
    try {
      await r.client.info();
      expect(seen[0]?.headers).toMatchObject({
        authorization: 'ApiKey a2V5OnNlY3JldA==',
        accept: 'application/json',
      });
      expect(seen[0]?.headers['user-agent']).toMatch(/^inferctl\/\d+\.\d+\.\d+ \(Node\.js v\d+/);
      for (let i = 0; i < 5; i++) await r.client.listEndpoints();
      await Promise.all(Array.from({ length: 20 }, () => r.client.listEndpoints()));
      const sockets = new Set(seen.map((s) => s.port));
      // 26 requests over at most `connections` sockets: kept alive and bounded.
      expect(seen).toHaveLength(26);
      expect(sockets.size).toBeLessThanOrEqual(2);
    } finally {
      await r.client.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await e.close();
    }
  });

  it('basic auth from the environment against an emulator that requires it', async () => {
    const e = await startEmulator({
      esVersion: '9.1.0',
      basicAuth: { username: 'elastic', password: 'changeme' },
    });
    const r = recordedClient(
      connect({ url: e.url }, { ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: 'changeme' }),
    );
    try {
      expect((await r.client.info()).version).toBe('9.1.0');
    } finally {
      await r.client.close();
      await e.close();
    }
  });

  it('a path prefix in the URL (a cluster behind a reverse proxy) is kept in front of every path', async () => {
    const e = await startEmulator({ esVersion: '9.1.0' });
    const front = await startFront(e.url, () => ({ kind: 'respond', status: 200, body: { endpoints: [] } }));
    const r = recordedClient(connect({ url: `${front.url}/es/` }));
    try {
      expect(await r.client.listEndpoints()).toEqual([]);
      expect(front.seen).toEqual(['GET /es/_inference/_all']);
      // Logs and events show the cluster's path, not the proxy's.
      expect(r.sent()).toEqual(['GET /_inference/_all']);
    } finally {
      await r.client.close();
      await front.close();
      await e.close();
    }
  });

  it('an injected dispatcher (undici MockAgent) is used and left open by close()', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://es.test:9200');
    pool
      .intercept({ path: '/', method: 'GET', headers: { authorization: 'ApiKey a2V5OnNlY3JldA==' } })
      .reply(200, { cluster_name: 'mock', version: { number: '8.19.3' } })
      .times(2);
    const r = recordedClient(
      connect({ url: 'http://es.test:9200' }, { ELASTICSEARCH_API_KEY: 'key:secret' }),
      {
        dispatcher: agent,
      },
    );
    expect(await r.client.info()).toEqual({ version: '8.19.3', clusterName: 'mock' });
    await r.client.close();
    expect((await r.client.info()).version).toBe('8.19.3');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
