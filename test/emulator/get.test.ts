/**
 * GET shapes per version: wrapper and id key, sorting, task-type filter, 404 texts, secrets
 * never returned, empty task_settings omitted from 8.17, elser → elasticsearch from 8.16, live num_allocations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, es, type Es } from './helpers.js';

const cohere = (model: string) => ({
  service: 'cohere',
  service_settings: { api_key: 'secret', model_id: model },
});

describe('8.12–8.14: models / model_id', () => {
  for (const v of ['8.12.2', '8.13.4', '8.14.3']) {
    it(`${v}: {"models":[{"model_id":…}]}, task_settings always present, "Model not found"`, async () => {
      const e = await es(v);
      try {
        const put = await e.req('PUT', '/_inference/text_embedding/c1', {
          service: 'openai',
          service_settings: { api_key: 'k', model_id: 'text-embedding-3-small' },
        });
        expect(put.body).toMatchObject({
          model_id: 'c1',
          task_type: 'text_embedding',
          service: 'openai',
          task_settings: {},
        });
        const get = await e.req('GET', '/_inference/text_embedding/_all');
        expect(get.body.models.map((m: { model_id: string }) => m.model_id)).toEqual(['c1']);
        expect(get.body.models[0]).not.toHaveProperty('chunking_settings');
        expect((await e.req('GET', '/_inference/text_embedding/nope')).body).toEqual(
          envelope(404, 'resource_not_found_exception', 'Model not found [nope]'),
        );
      } finally {
        await e.close();
      }
    });
  }
});

describe('8.15: endpoints / inference_id, elser still elser', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('8.15.5');
  });
  afterAll(() => e.close());
  it('renders endpoints sorted by id with task_settings {}', async () => {
    await e.req('PUT', '/_inference/rerank/b', cohere('rerank-english-v3.0'));
    await e.req('PUT', '/_inference/rerank/a', cohere('rerank-english-v3.0'));
    await e.req('PUT', '/_inference/sparse_embedding/elser', {
      service: 'elser',
      service_settings: { num_allocations: 1, num_threads: 1 },
    });
    const res = await e.req('GET', '/_inference');
    expect(res.body.endpoints.map((x: { inference_id: string }) => x.inference_id)).toEqual([
      'a',
      'b',
      'elser',
    ]);
    expect(res.body.endpoints[0].task_settings).toEqual({});
    expect(res.body.endpoints[2].service).toBe('elser');
    expect(res.body.endpoints[2]).not.toHaveProperty('chunking_settings');
  });
  it('404 "Inference endpoint not found"', async () => {
    expect((await e.req('GET', '/_inference/nope')).body).toEqual(
      envelope(404, 'resource_not_found_exception', 'Inference endpoint not found [nope]'),
    );
  });
});

describe('9.1: the full shape', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
  });
  afterAll(() => e.close());

  it('GET forms: /_inference, /_all, /*, /{id}, /{task}/{id}, /{task}/_all', async () => {
    await e.req('PUT', '/_inference/text_embedding/emb', cohere('embed-english-v3.0'));
    await e.req('PUT', '/_inference/rerank/rr', cohere('rerank-english-v3.0'));
    const ids = (body: { endpoints: { inference_id: string }[] }) =>
      body.endpoints.map((x) => x.inference_id);
    const all = [
      '.elser-2-elasticsearch',
      '.multilingual-e5-small-elasticsearch',
      '.rerank-v1-elasticsearch',
      'emb',
      'rr',
    ];
    expect(ids((await e.req('GET', '/_inference')).body)).toEqual(all);
    expect(ids((await e.req('GET', '/_inference/_all')).body)).toEqual(all);
    expect(ids((await e.req('GET', '/_inference/*')).body)).toEqual(all);
    expect(ids((await e.req('GET', '/_inference/rr')).body)).toEqual(['rr']);
    expect(ids((await e.req('GET', '/_inference/rerank/rr')).body)).toEqual(['rr']);
    expect(ids((await e.req('GET', '/_inference/rerank/_all')).body)).toEqual([
      '.rerank-v1-elasticsearch',
      'rr',
    ]);
    expect((await e.req('GET', '/_inference/my-*')).status).toBe(404); // literal id
  });

  it('task type mismatch and unknown task type', async () => {
    expect((await e.req('GET', '/_inference/text_embedding/rr')).body).toEqual(
      envelope(
        400,
        'status_exception',
        "Requested task type [text_embedding] does not match the inference endpoint's task type [rerank]",
      ),
    );
    expect((await e.req('GET', '/_inference/bad/rr')).body).toEqual(
      envelope(400, 'status_exception', 'Unknown task_type [bad]'),
    );
  });

  it('secrets are never returned and empty task_settings are omitted', async () => {
    const res = await e.req('GET', '/_inference/emb');
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.endpoints[0]).not.toHaveProperty('task_settings');
  });

  it('elser → elasticsearch with the platform model id (8.16+)', async () => {
    const res = await e.req('PUT', '/_inference/sparse_embedding/my-elser', {
      service: 'elser',
      service_settings: { num_allocations: 1, num_threads: 1 },
    });
    expect(res.body).toEqual({
      inference_id: 'my-elser',
      task_type: 'sparse_embedding',
      service: 'elasticsearch',
      service_settings: { num_allocations: 1, num_threads: 1, model_id: '.elser_model_2_linux-x86_64' },
      chunking_settings: { strategy: 'sentence', max_chunk_size: 250, sentence_overlap: 1 },
    });
  });

  it('live num_allocations under adaptive allocations', async () => {
    const res = await e.req('PUT', '/_inference/text_embedding/e5', {
      service: 'elasticsearch',
      service_settings: {
        model_id: '.multilingual-e5-small',
        num_threads: 1,
        adaptive_allocations: { enabled: true, min_number_of_allocations: 2, max_number_of_allocations: 4 },
      },
    });
    expect(res.body.service_settings).toEqual({
      num_allocations: 2,
      num_threads: 1,
      model_id: '.multilingual-e5-small',
      adaptive_allocations: { enabled: true, min_number_of_allocations: 2, max_number_of_allocations: 4 },
    });
  });
});

describe('8.16 vs 8.17: empty task_settings', () => {
  it('8.16 keeps task_settings {}, 8.17 omits it', async () => {
    for (const [v, expected] of [
      ['8.16.6', true],
      ['8.17.10', false],
    ] as const) {
      const e = await es(v);
      try {
        const res = await e.req('PUT', '/_inference/text_embedding/x', cohere('embed-english-v3.0'));
        expect('task_settings' in res.body).toBe(expected);
      } finally {
        await e.close();
      }
    }
  });
});
