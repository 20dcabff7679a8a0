/**
 * DELETE with references, dry_run and force, and the index / pipeline APIs that record the
 * references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, es, type Es } from './helpers.js';

const elser = {
  service: 'elasticsearch',
  service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
};

describe('delete on 9.1', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
  });
  afterAll(() => e.close());

  it('plain delete → {acknowledged, pipelines:[], indexes:[]}; then 404; deployment stopped', async () => {
    await e.req('PUT', '/_inference/sparse_embedding/x', elser);
    expect(e.state.deployments.has('x')).toBe(true);
    expect((await e.req('DELETE', '/_inference/sparse_embedding/x')).body).toEqual({
      acknowledged: true,
      pipelines: [],
      indexes: [],
    });
    expect(e.state.deployments.has('x')).toBe(false);
    expect((await e.req('DELETE', '/_inference/x')).body).toEqual(
      envelope(404, 'resource_not_found_exception', 'Inference endpoint not found [x]'),
    );
  });

  it('task type mismatch → 400', async () => {
    await e.req('PUT', '/_inference/sparse_embedding/y', elser);
    expect((await e.req('DELETE', '/_inference/text_embedding/y')).body).toEqual(
      envelope(
        400,
        'status_exception',
        "Requested task type [text_embedding] does not match the inference endpoint's task type [sparse_embedding]",
      ),
    );
  });

  it('referenced by a pipeline and an index: 409, dry_run lists, force deletes', async () => {
    await e.req('PUT', '/_inference/sparse_embedding/z', elser);
    expect(
      (
        await e.req('PUT', '/_ingest/pipeline/p1', {
          processors: [{ inference: { model_id: 'z', input_output: [] } }],
        })
      ).body,
    ).toEqual({ acknowledged: true });
    expect(
      (
        await e.req('PUT', '/idx', {
          mappings: {
            properties: { body: { type: 'semantic_text', inference_id: 'other', search_inference_id: 'z' } },
          },
        })
      ).body,
    ).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'idx' });
    const message =
      'Inference endpoint z is referenced by pipelines: [p1]. Ensure that no pipelines are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.' +
      ' Inference endpoint z is being used in the mapping for indexes: [idx]. Ensure that no index mappings are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.';
    expect((await e.req('DELETE', '/_inference/z')).body).toEqual(envelope(409, 'status_exception', message));
    expect((await e.req('DELETE', '/_inference/z?dry_run=true')).body).toEqual({
      acknowledged: false,
      pipelines: ['p1'],
      indexes: ['idx'],
      error_message: message,
    });
    expect((await e.req('GET', '/_inference/z')).status).toBe(200);
    expect((await e.req('DELETE', '/_inference/z?force=true')).body).toEqual({
      acknowledged: true,
      pipelines: [],
      indexes: [],
    });
    expect((await e.req('GET', '/_inference/z')).status).toBe(404);
  });

  it('index-only reference message starts with a space; removing the index unblocks', async () => {
    await e.req('PUT', '/_inference/sparse_embedding/w', elser);
    await e.req('PUT', '/idx2', {
      mappings: { properties: { f: { type: 'semantic_text', inference_id: 'w' } } },
    });
    const res = await e.req('DELETE', '/_inference/w');
    expect(
      res.body.error.reason.startsWith(
        ' Inference endpoint w is being used in the mapping for indexes: [idx2].',
      ),
    ).toBe(true);
    expect((await e.req('DELETE', '/idx2')).body).toEqual({ acknowledged: true });
    expect((await e.req('DELETE', '/_inference/w')).status).toBe(200);
  });

  it('dry_run on an unreferenced endpoint does not delete', async () => {
    await e.req('PUT', '/_inference/sparse_embedding/v', elser);
    expect((await e.req('DELETE', '/_inference/v?dry_run')).body).toEqual({
      acknowledged: false,
      pipelines: [],
      indexes: [],
      error_message: '',
    });
    expect((await e.req('GET', '/_inference/v')).status).toBe(200);
  });

  it('pipeline and index APIs', async () => {
    expect((await e.req('GET', '/_ingest/pipeline/p1')).body).toEqual({
      p1: { processors: [{ inference: { model_id: 'z', input_output: [] } }] },
    });
    expect((await e.req('GET', '/_ingest/pipeline/nope')).status).toBe(404);
    expect((await e.req('DELETE', '/_ingest/pipeline/p1')).body).toEqual({ acknowledged: true });
    expect((await e.req('GET', '/idx')).body.idx.mappings.properties.body.type).toBe('semantic_text');
    expect((await e.req('GET', '/nope')).body.error).toMatchObject({
      type: 'index_not_found_exception',
      reason: 'no such index [nope]',
    });
    expect((await e.req('PUT', '/Bad')).body.error.type).toBe('invalid_index_name_exception');
    expect((await e.req('PUT', '/idx')).body.error.type).toBe('resource_already_exists_exception');
  });

  it('semantic_text without inference_id references .elser-2-elasticsearch', async () => {
    await e.req('PUT', '/idx3', { mappings: { properties: { f: { type: 'semantic_text' } } } });
    const res = await e.req('DELETE', '/_inference/.elser-2-elasticsearch?dry_run=true&force=true');
    expect(res.body.indexes).toContain('idx3');
  });
});

describe('delete before 8.15', () => {
  it('8.14: {acknowledged:true}; dry_run is an unrecognized parameter', async () => {
    const e = await es('8.14.3');
    try {
      await e.req('PUT', '/_inference/sparse_embedding/x', {
        service: 'elser',
        service_settings: { num_allocations: 1, num_threads: 1 },
      });
      expect((await e.req('DELETE', '/_inference/x?dry_run=true')).body.error.reason).toBe(
        'request [/_inference/x] contains unrecognized parameter: [dry_run]',
      );
      expect((await e.req('DELETE', '/_inference/x')).body).toEqual({ acknowledged: true });
    } finally {
      await e.close();
    }
  });
});
