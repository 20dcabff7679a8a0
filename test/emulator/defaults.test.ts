/** Default (preconfigured) endpoints per version. */
import { describe, expect, it } from 'vitest';
import { envelope, es } from './helpers.js';

const ids = (body: { endpoints: { inference_id: string }[] }) => body.endpoints.map((x) => x.inference_id);

describe('default endpoints', () => {
  it('none before 8.17', async () => {
    for (const v of ['8.15.5', '8.16.6']) {
      const e = await es(v);
      try {
        expect((await e.req('GET', '/_inference/_all')).body).toEqual({ endpoints: [] });
      } finally {
        await e.close();
      }
    }
  });

  it('8.17: ELSER and E5, never deletable (even with force)', async () => {
    const e = await es('8.17.10');
    try {
      expect(ids((await e.req('GET', '/_inference/_all')).body)).toEqual([
        '.elser-2-elasticsearch',
        '.multilingual-e5-small-elasticsearch',
      ]);
      const reason =
        '[.elser-2-elasticsearch] is a reserved inference endpoint. Cannot delete a reserved inference endpoint.';
      expect((await e.req('DELETE', '/_inference/.elser-2-elasticsearch')).body).toEqual(
        envelope(400, 'status_exception', reason),
      );
      expect((await e.req('DELETE', '/_inference/.elser-2-elasticsearch?force=true')).body).toEqual(
        envelope(400, 'status_exception', reason),
      );
    } finally {
      await e.close();
    }
  });

  it('8.18+: rerank too; shape as documented; delete needs force and they come back on the next read', async () => {
    const e = await es('8.18.8', { platform: 'other' });
    try {
      const all = (await e.req('GET', '/_inference/_all')).body;
      expect(ids(all)).toEqual([
        '.elser-2-elasticsearch',
        '.multilingual-e5-small-elasticsearch',
        '.rerank-v1-elasticsearch',
      ]);
      expect(all.endpoints[2]).toEqual({
        inference_id: '.rerank-v1-elasticsearch',
        task_type: 'rerank',
        service: 'elasticsearch',
        service_settings: {
          num_threads: 1,
          model_id: '.rerank-v1',
          adaptive_allocations: {
            enabled: true,
            min_number_of_allocations: 0,
            max_number_of_allocations: 32,
          },
        },
        task_settings: { return_documents: true },
      });
      expect(all.endpoints[0].service_settings.model_id).toBe('.elser_model_2');
      expect((await e.req('DELETE', '/_inference/.rerank-v1-elasticsearch')).body).toEqual(
        envelope(
          400,
          'status_exception',
          '[.rerank-v1-elasticsearch] is a reserved inference endpoint. Use the force=true query parameter to delete the inference endpoint.',
        ),
      );
      expect((await e.req('DELETE', '/_inference/.rerank-v1-elasticsearch?force=true')).body).toEqual({
        acknowledged: true,
        pipelines: [],
        indexes: [],
      });
      expect(e.state.endpoints.has('.rerank-v1-elasticsearch')).toBe(false);
      expect((await e.req('GET', '/_inference/.rerank-v1-elasticsearch')).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('a default endpoint deploys on first inference and then shows live num_allocations', async () => {
    const e = await es('9.1.0');
    try {
      expect(
        (await e.req('GET', '/_inference/.elser-2-elasticsearch')).body.endpoints[0].service_settings,
      ).not.toHaveProperty('num_allocations');
      await e.req('POST', '/_inference/sparse_embedding/.elser-2-elasticsearch', { input: 'hello world' });
      expect(
        (await e.req('GET', '/_inference/.elser-2-elasticsearch')).body.endpoints[0].service_settings
          .num_allocations,
      ).toBe(1);
    } finally {
      await e.close();
    }
  });
});
