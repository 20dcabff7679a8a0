/** Update Model API: fields, merge rules, connector switching, deployment interaction, errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { envelope, openAiConnector, os, remoteModel, type Os } from './helpers.js';

const put = (o: Os, id: string, body?: unknown) => o.req('PUT', `/_plugins/_ml/models/${id}`, body);
const get = async (o: Os, id: string) => (await o.req('GET', `/_plugins/_ml/models/${id}`)).body;

describe('update model (2.19)', () => {
  let o: Os;
  afterEach(() => o.close());

  it('updates a deployed model in place and answers an UpdateResponse; GET then shows model_id', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(
      o,
      'm',
      { rate_limiter: { limit: '4', unit: 'MINUTES' } },
      '?deploy=true',
    );
    const r = await put(o, modelId, { name: 'm2', description: 'new', is_enabled: false, bogus: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      _index: '.plugins-ml-model',
      _id: modelId,
      _version: expect.any(Number),
      result: 'updated',
      _shards: { total: 1, successful: 1, failed: 0 },
      _seq_no: expect.any(Number),
      _primary_term: 1,
    });
    const m = await get(o, modelId);
    expect(m).toMatchObject({
      name: 'm2',
      description: 'new',
      is_enabled: false,
      model_state: 'DEPLOYED',
      model_id: modelId,
    });
    expect(m).not.toHaveProperty('bogus');
  });

  it('guardrails are replaced whole: a dropped guardrail goes, {} clears them', async () => {
    o = await os('2.19.0');
    const both = {
      type: 'local_regex',
      input_guardrail: { regex: ['a.*'] },
      output_guardrail: { regex: ['b.*'] },
    };
    const { modelId } = await remoteModel(o, 'm', { guardrails: both });
    await put(o, modelId, { guardrails: { type: 'local_regex', input_guardrail: { regex: ['a.*'] } } });
    const one = (await get(o, modelId)).guardrails;
    expect(one.input_guardrail).toBeDefined();
    expect(one).not.toHaveProperty('output_guardrail');
    await put(o, modelId, { guardrails: {} });
    const none = (await get(o, modelId)).guardrails;
    expect(none).not.toHaveProperty('input_guardrail');
    expect(none).not.toHaveProperty('output_guardrail');
  });

  it('rate_limiter merges field by field and cannot be removed', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o, 'm', { rate_limiter: { limit: '4', unit: 'MINUTES' } });
    await put(o, modelId, { rate_limiter: { unit: 'SECONDS' } });
    expect((await get(o, modelId)).rate_limiter).toEqual({ limit: '4', unit: 'SECONDS' });
    await put(o, modelId, { rate_limiter: {} });
    expect((await get(o, modelId)).rate_limiter).toEqual({ limit: '4', unit: 'SECONDS' });
    const bad = await put(o, modelId, { rate_limiter: { limit: 'many' } });
    expect(bad.body).toEqual(envelope(400, 'parse_exception', 'Limit field must be a positive number.'));
  });

  it('errors of.2', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o);
    expect((await put(o, modelId)).body).toEqual(
      envelope(400, 'parse_exception', 'Update model request has empty body'),
    );
    expect((await put(o, modelId, { connector_id: 'a', connector: { description: 'b' } })).body).toEqual(
      envelope(
        400,
        'status_exception',
        'Model cannot have both stand-alone connector and internal connector. Please check your update input body.',
      ),
    );
    expect((await put(o, 'nope', { name: 'x' })).body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model to update with the provided model id: nope'),
    );
    expect((await put(o, modelId, { guardrails: { type: 'regex' } })).body).toEqual(
      envelope(400, 'illegal_argument_exception', 'The type of guardrails is required, can not be null.'),
    );
    expect((await put(o, modelId, { model_group_id: 'nope' })).body).toEqual(
      envelope(
        404,
        'status_exception',
        'Failed to find the model group with the provided model group id in the update model input, MODEL_GROUP_ID: nope',
      ),
    );
  });

  it('switching connector_id is in place, also while deployed; only for models registered with one', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o, 'm', {}, '?deploy=true');
    const next = await o.req('POST', '/_plugins/_ml/connectors/_create', openAiConnector({ name: 'v2' }));
    expect((await put(o, modelId, { connector_id: next.body.connector_id })).status).toBe(200);
    expect(await get(o, modelId)).toMatchObject({
      connector_id: next.body.connector_id,
      model_state: 'DEPLOYED',
    });

    const inline = await o.req('POST', '/_plugins/_ml/models/_register', {
      name: 'i',
      function_name: 'remote',
      connector: openAiConnector(),
    });
    expect((await put(o, inline.body.model_id, { connector_id: next.body.connector_id })).body).toEqual(
      envelope(
        400,
        'status_exception',
        'This remote does not have a connector_id field, maybe it uses an internal connector.',
      ),
    );
  });

  it('a switch to a connector that does not exist: written, but the cache refresh fails (500)', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o, 'm', {}, '?deploy=true');
    const r = await put(o, modelId, { connector_id: 'ghost' });
    expect(r.body).toEqual(
      envelope(
        500,
        'runtime_exception',
        `Successfully update ML model index with model ID ${modelId} but update model cache was failed on following nodes [${o.state.nodeIds[0]}], please retry or redeploy model manually.`,
      ),
    );
    expect((await get(o, modelId)).connector_id).toBe('ghost');
  });

  it('an inline connector merges (parameters putAll, credential replaced) and keeps secrets out of GET', async () => {
    o = await os('2.19.0');
    const r = await o.req('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'i',
      function_name: 'remote',
      connector: openAiConnector(),
    });
    const id = r.body.model_id;
    const u = await put(o, id, {
      connector: { parameters: { model: 'text-embedding-3-large' }, credential: { openAI_key: 'sk-new' } },
    });
    expect(u.status).toBe(200);
    const m = await get(o, id);
    expect(m.connector.parameters).toEqual({ model: 'text-embedding-3-large', dimensions: '1536' });
    expect(m.connector).not.toHaveProperty('credential');
    expect(JSON.stringify(m)).not.toContain('sk-new');
    expect(m.model_state).toBe('DEPLOYED');
  });

  it('`connector` on a model registered with connector_id: 2.19 dereferences null (500)', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o);
    const r = await put(o, modelId, { connector: { description: 'x' } });
    expect(r.status).toBe(500);
    expect(r.body.error.type).toBe('null_pointer_exception');
  });

  it('moving to another group makes a new version there', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o);
    const g = await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: 'other' });
    await put(o, modelId, { model_group_id: g.body.model_group_id });
    expect(await get(o, modelId)).toMatchObject({
      model_group_id: g.body.model_group_id,
      model_version: '1',
    });
    expect(
      (await o.req('GET', `/_plugins/_ml/model_groups/${g.body.model_group_id}`)).body.latest_version,
    ).toBe(1);
  });

  it('deploy_setting is rewritten whole: an update without model_ttl_minutes resets it to -1', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o, 'm', { deploy_setting: { model_ttl_minutes: 60 } });
    await put(o, modelId, { deploy_setting: { is_auto_deploy_enabled: true } });
    expect((await get(o, modelId)).deploy_setting).toEqual({
      is_auto_deploy_enabled: true,
      model_ttl_minutes: -1,
    });
  });

  it('local models: connector fields refused; unsupported function categories 403', async () => {
    o = await os('2.19.0', {
      localModels: [{ name: 'minilm' }, { name: 'splade', functionName: 'SPARSE_ENCODING' }],
    });
    const search = await o.req('POST', '/_plugins/_ml/models/_search', {
      query: { bool: { must_not: [{ exists: { field: 'chunk_number' } }] } },
    });
    const ids = Object.fromEntries(
      search.body.hits.hits.map((h: { _id: string; _source: { name: string } }) => [h._source.name, h._id]),
    ) as Record<string, string>;
    expect((await put(o, ids.minilm as string, { connector_id: 'x' })).body).toEqual(
      envelope(
        400,
        'status_exception',
        'Trying to update the connector or connector_id field on a local model.',
      ),
    );
    expect((await put(o, ids.splade as string, { name: 'y' })).body).toEqual(
      envelope(
        403,
        'status_exception',
        'The function category SPARSE_ENCODING is not supported at this time.',
      ),
    );
  });
});

describe('update model across versions', () => {
  it('3.1: `connector` on a connector_id model is a 400; model_config is validated after merging', async () => {
    const o = await os('3.1.0');
    try {
      const { modelId } = await remoteModel(o);
      expect((await put(o, modelId, { connector: { description: 'x' } })).body).toEqual(
        envelope(
          400,
          'status_exception',
          'Cannot update connector settings for this model. The model was created with a connector_id and does not have an inline connector.',
        ),
      );
      const cfg = await put(o, modelId, {
        model_config: {
          model_type: 'text_embedding',
          embedding_dimension: 1536,
          framework_type: 'sentence_transformers',
        },
      });
      expect(cfg.body).toEqual(
        envelope(
          400,
          'illegal_argument_exception',
          'Space type must be provided in additional_config for remote text embedding model',
        ),
      );
      const ok = await put(o, modelId, {
        model_config: {
          model_type: 'text_embedding',
          embedding_dimension: 1536,
          framework_type: 'sentence_transformers',
          additional_config: { space_type: 'l2' },
        },
      });
      expect(ok.status).toBe(200);
      expect((await get(o, modelId)).model_config).toEqual({
        model_type: 'text_embedding',
        embedding_dimension: 1536,
        framework_type: 'SENTENCE_TRANSFORMERS',
        additional_config: { space_type: 'l2' },
      });
    } finally {
      await o.close();
    }
  });

  it('2.12: guardrails and interface are unknown keys on update (skipped)', async () => {
    const o = await os('2.12.0');
    try {
      const { modelId } = await remoteModel(o);
      const r = await put(o, modelId, {
        guardrails: { type: 'x' },
        interface: { input: '{}' },
        description: 'd',
      });
      expect(r.status).toBe(200);
      const m = await get(o, modelId);
      expect(m).not.toHaveProperty('guardrails');
      expect(m).not.toHaveProperty('interface');
      expect(m.description).toBe('d');
    } finally {
      await o.close();
    }
  });
});
