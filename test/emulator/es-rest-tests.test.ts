/**
 * Elasticsearch's own inference REST tests, ported: same requests, same expected responses.
 * - x-pack/plugin/src/yamlRestTest/.../inference/inference_crud.yml (current and 8.13-era)
 * - elastic/elasticsearch-clients-tests tests/inference/10_basic.yml
 * - InferenceCrudIT (counts with the 3 default endpoints, update via URL/body task type, references)
 * - CreateFromDeploymentIT (409s) — see deployments.test.ts for the attach cases
 * - InferenceBasicLicenseIT (403 vs 200/404)
 */
import { describe, expect, it } from 'vitest';
import { es } from './helpers.js';

describe('inference_crud.yml', () => {
  it('Test get missing model', async () => {
    const e = await es('9.1.0');
    try {
      const res = await e.req('GET', '/_inference/inference_to_get');
      expect(res.status).toBe(404);
      expect(res.body.error.type).toBe('resource_not_found_exception');
      expect(res.body.error.reason).toBe('Inference endpoint not found [inference_to_get]');
    } finally {
      await e.close();
    }
  });

  it('Test put inference with bad task type', async () => {
    const e = await es('9.1.0');
    try {
      const res = await e.req('PUT', '/_inference/elser_model', {
        task_type: 'bad',
        service: 'elser',
        service_settings: { num_allocations: 1, num_threads: 1 },
        task_settings: {},
      });
      expect(res.status).toBe(400);
      expect(res.body.error.reason).toBe('Unknown task_type [bad]');
    } finally {
      await e.close();
    }
  });

  it('8.13-era: get_model missing, bad task type on inference, *, _all and "" list 0 models', async () => {
    const e = await es('8.13.4');
    try {
      expect((await e.req('GET', '/_inference/model_to_get')).body.error.reason).toBe(
        'Model not found [model_to_get]',
      );
      expect((await e.req('POST', '/_inference/bad/elser_model', { input: 'x' })).body.error.reason).toBe(
        'Unknown task_type [bad]',
      );
      for (const id of ['*', '_all'])
        expect((await e.req('GET', `/_inference/${id}`)).body.models).toHaveLength(0);
      expect((await e.req('GET', '/_inference/sparse_embedding/')).status).toBeGreaterThanOrEqual(400);
    } finally {
      await e.close();
    }
  });
});

describe('clients-tests 10_basic.yml', () => {
  for (const version of ['8.15.5', '8.17.10', '9.1.0']) {
    it(`${version}: put, get, inference, delete`, async () => {
      const e = await es(version);
      try {
        const put = await e.req('PUT', '/_inference/elser_model_test', {
          task_type: 'sparse_embedding',
          service: 'elser',
          service_settings: { num_allocations: 1, num_threads: 1 },
          task_settings: {},
        });
        expect(put.body.task_type).toBe('sparse_embedding');
        expect(put.body.inference_id).toBe('elser_model_test');
        expect(put.body.service).toBe(version.startsWith('8.15') ? 'elser' : 'elasticsearch');
        const get = await e.req('GET', '/_inference/elser_model_test');
        expect(get.body.endpoints[0].task_type).toBe('sparse_embedding');
        expect(get.body.endpoints[0].inference_id).toBe('elser_model_test');
        const inf = await e.req('POST', '/_inference/sparse_embedding/elser_model_test', {
          input: 'The sky above the port was the color of television tuned to a dead channel.',
        });
        expect(inf.body.sparse_embedding[0].embedding).toBeTruthy();
        const del = await e.req('DELETE', '/_inference/sparse_embedding/elser_model_test');
        expect(del.body.acknowledged).toBe(true);
      } finally {
        await e.close();
      }
    });
  }
});

describe('InferenceCrudIT', () => {
  const sparse = (i: number) => ({
    service: 'elasticsearch',
    service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
    i,
  });
  const dense = { service: 'openai', service_settings: { api_key: 'k', model_id: 'text-embedding-3-small' } };

  it('counts include the 3 default endpoints: 5 sparse + 4 dense created ⇒ _all 12, sparse 6, dense 5', async () => {
    const e = await es('9.1.0');
    try {
      for (let i = 0; i < 5; i++) {
        const { i: _i, ...body } = sparse(i);
        expect((await e.req('PUT', `/_inference/sparse_embedding/se_model_${i}`, body)).status).toBe(200);
      }
      for (let i = 0; i < 4; i++)
        expect((await e.req('PUT', `/_inference/text_embedding/te_model_${i}`, dense)).status).toBe(200);
      expect((await e.req('GET', '/_inference/_all')).body.endpoints).toHaveLength(12);
      expect((await e.req('GET', '/_inference/sparse_embedding/_all')).body.endpoints).toHaveLength(6);
      expect((await e.req('GET', '/_inference/text_embedding/_all')).body.endpoints).toHaveLength(5);
    } finally {
      await e.close();
    }
  });

  it('update with the task type in the URL or the body; wrong task type rejected', async () => {
    const e = await es('9.1.0');
    try {
      await e.req('PUT', '/_inference/text_embedding/upd', { ...dense, task_settings: { user: 'a' } });
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/upd/_update', {
            service_settings: { api_key: 'k2' },
            task_settings: { user: 'b' },
          })
        ).body.task_settings,
      ).toEqual({ user: 'b' });
      expect(
        (
          await e.req('PUT', '/_inference/upd/_update', {
            task_type: 'text_embedding',
            service_settings: { api_key: 'k3' },
            task_settings: { user: 'c' },
          })
        ).body.task_settings,
      ).toEqual({ user: 'c' });
      expect(
        (await e.req('PUT', '/_inference/sparse_embedding/upd/_update', { task_settings: { user: 'd' } }))
          .body.error.reason,
      ).toBe('Task type must match the task type of the existing endpoint');
      expect((await e.req('GET', '/_inference/sparse_embedding/upd')).body.error.reason).toBe(
        "Requested task type [sparse_embedding] does not match the inference endpoint's task type [text_embedding]",
      );
    } finally {
      await e.close();
    }
  });

  it('skip_validate_and_start: no provider call, no deployment', async () => {
    const e = await es('9.1.0', { skipValidateAndStart: true, providerValidation: { failAll: true } });
    try {
      expect((await e.req('PUT', '/_inference/text_embedding/x', dense)).status).toBe(200);
      const { i: _i, ...body } = sparse(0);
      expect((await e.req('PUT', '/_inference/sparse_embedding/y', body)).status).toBe(200);
      expect(e.state.deployments.size).toBe(0);
    } finally {
      await e.close();
    }
  });
});

describe('InferenceBasicLicenseIT', () => {
  it('basic licence: put/update/infer 403; get 200/404; delete 404', async () => {
    const e = await es('9.0.7', { license: 'basic' });
    try {
      expect(
        (
          await e.req('PUT', '/_inference/sparse_embedding/x', {
            service: 'elser',
            service_settings: { num_allocations: 1, num_threads: 1 },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await e.req('PUT', '/_inference/sparse_embedding/x/_update', {
            service_settings: { num_allocations: 2 },
          })
        ).status,
      ).toBe(403);
      expect((await e.req('POST', '/_inference/sparse_embedding/x', { input: 'a' })).status).toBe(403);
      expect((await e.req('GET', '/_inference/_all')).status).toBe(200);
      expect((await e.req('GET', '/_inference/x')).status).toBe(404);
      expect((await e.req('DELETE', '/_inference/x')).status).toBe(404);
    } finally {
      await e.close();
    }
  });
});
