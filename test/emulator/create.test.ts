/**
 * Create: every service of the catalog × task type × version accepts its minimal body, rejects
 * unknown keys at every level and missing required fields with the server's messages, never returns secrets,
 * and fills the server defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRequired, taskSettingsFor } from '../../src/catalog/index.js';
import type { FieldSpec } from '../../src/catalog/types.js';
import { catalogCases, minimalBody, secretNames } from './catalog-bodies.js';
import { envelope, es, type Es } from './helpers.js';

const VERSIONS = ['8.15.5', '8.17.4', '8.19.3', '9.1.0', '9.4.0', '9.5.0'];

describe.each(VERSIONS)('every catalog service on %s', (version) => {
  let e: Es;
  beforeAll(async () => {
    e = await es(version, { deploymentStartDelayMs: 0, eisAuthorized: true }); // EIS on, so elastic endpoints can be created
  });
  afterAll(() => e.close());
  const unknownPrefix =
    version.startsWith('9.') && Number(version.split('.')[1]) >= 2 ? 'Configuration' : 'Model configuration';

  for (const { spec, taskType } of catalogCases(version)) {
    const name = `${spec.name}-${taskType}`.replace(/_/g, '-');
    it(`${spec.name} ${taskType}: minimal body → 200, no secrets in PUT or GET`, async () => {
      const body = minimalBody(spec, taskType, version);
      const put = await e.req('PUT', `/_inference/${taskType}/${name}`, body);
      expect(put.status, put.text).toBe(200);
      const get = await e.req('GET', `/_inference/${name}`);
      expect(get.status).toBe(200);
      for (const secret of secretNames(spec)) {
        expect(put.body.service_settings).not.toHaveProperty(secret);
        expect(get.body.endpoints[0].service_settings).not.toHaveProperty(secret);
      }
      expect(get.body.endpoints[0]).toEqual(put.body);
    });

    it(`${spec.name} ${taskType}: unknown keys rejected at every level`, async () => {
      const body = minimalBody(spec, taskType, version);
      const id = `${name}-unknown`;
      const msg = (m: string) =>
        `${unknownPrefix} contains settings [${m}] unknown to the [${spec.name}] service`;
      const top = await e.req('PUT', `/_inference/${taskType}/${id}`, { ...body, extra_key: 'v' });
      expect(top.body).toEqual(envelope(400, 'status_exception', msg('{extra_key=v}')));
      const inService = await e.req('PUT', `/_inference/${taskType}/${id}`, {
        ...body,
        service_settings: { ...body.service_settings, extra_key: 'v' },
      });
      expect(inService.body).toEqual(envelope(400, 'status_exception', msg('{extra_key=v}')));
      const inTask = await e.req('PUT', `/_inference/${taskType}/${id}`, {
        ...body,
        task_settings: { ...(body.task_settings ?? {}), extra_key: 'v' },
      });
      expect(inTask.body).toEqual(envelope(400, 'status_exception', msg('{extra_key=v}')));
    });

    const requiredFields = Object.entries(spec.serviceSettings).filter(([, f]: [string, FieldSpec]) => {
      if (f.taskTypes && !f.taskTypes.includes(taskType)) return false;
      return isRequired(f, taskType, version);
    });
    for (const [field, spec2] of requiredFields) {
      it(`${spec.name} ${taskType}: missing required ${field} → validation_exception`, async () => {
        const body = minimalBody(spec, taskType, version);
        if (!(field in body.service_settings)) return; // not applicable on this version
        delete body.service_settings[field];
        const res = await e.req('PUT', `/_inference/${taskType}/${name}-missing`, body);
        const scope = spec2.secret ? 'secret_settings' : 'service_settings';
        expect(res.status).toBe(400);
        expect(res.body.error.type).toBe('validation_exception');
        expect(res.body.error.reason).toContain(
          `[${scope}] does not contain the required setting [${field}]`,
        );
      });
    }

    if (
      !['rerank', 'completion', 'chat_completion'].includes(taskType) &&
      spec.chunking.includes(taskType) &&
      version >= '8.16'
    ) {
      it(`${spec.name} ${taskType}: chunking defaults to sentence/250/1`, async () => {
        const res = await e.req('GET', `/_inference/${name}`);
        expect(res.body.endpoints[0].chunking_settings).toEqual({
          strategy: 'sentence',
          max_chunk_size: 250,
          sentence_overlap: 1,
        });
      });
    }
    if (Object.keys(taskSettingsFor(spec, taskType, version)).length === 0) {
      it(`${spec.name} ${taskType}: takes no task settings`, async () => {
        const body = { ...minimalBody(spec, taskType, version), task_settings: { anything: 1 } };
        const res = await e.req('PUT', `/_inference/${taskType}/${name}-ts`, body);
        expect(res.status).toBe(400);
        expect(res.body.error.reason).toContain('{anything=1}');
      });
    }
  }
});

describe('create flow on 9.1', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
  });
  afterAll(() => e.close());
  const openai = {
    service: 'openai',
    service_settings: { api_key: 'sk-1', model_id: 'text-embedding-3-small' },
  };

  it('invalid ids → action_request_validation_exception', async () => {
    for (const id of ['My-Id', '-x', 'x-', '.x']) {
      const res = await e.req('PUT', `/_inference/text_embedding/${id}`, openai);
      expect(res.body).toEqual(
        envelope(
          400,
          'action_request_validation_exception',
          `Validation Failed: 1: Invalid inference_id; '${id}' can contain lowercase alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with alphanumeric;`,
        ),
      );
    }
  });

  it('task type resolution: missing, any, conflict, unknown', async () => {
    expect((await e.req('PUT', '/_inference/x', openai)).body).toEqual(
      envelope(400, 'status_exception', 'model is missing required setting [task_type]'),
    );
    expect((await e.req('PUT', '/_inference/x', { ...openai, task_type: 'any' })).body).toEqual(
      envelope(400, 'status_exception', 'task_type [any] is not valid type for inference'),
    );
    expect(
      (await e.req('PUT', '/_inference/completion/x', { ...openai, task_type: 'text_embedding' })).body,
    ).toEqual(
      envelope(
        400,
        'status_exception',
        'Cannot resolve conflicting task_type parameter in the request URL [completion] and the request body [text_embedding]',
      ),
    );
    expect((await e.req('PUT', '/_inference/bad/x', openai)).body).toEqual(
      envelope(400, 'status_exception', 'Unknown task_type [bad]'),
    );
    expect((await e.req('PUT', '/_inference/embedding/x', openai)).body).toEqual(
      envelope(400, 'status_exception', 'Unknown task_type [embedding]'),
    );
  });

  it('missing and unknown service; unsupported task type', async () => {
    expect((await e.req('PUT', '/_inference/text_embedding/x', { service_settings: {} })).body).toEqual(
      envelope(400, 'status_exception', 'Inference endpoint configuration is missing the [service] setting'),
    );
    expect((await e.req('PUT', '/_inference/text_embedding/x', { ...openai, service: 'foo' })).body).toEqual(
      envelope(400, 'status_exception', 'Unknown service [foo]'),
    );
    expect((await e.req('PUT', '/_inference/sparse_embedding/x', openai)).body).toEqual(
      envelope(400, 'status_exception', 'The [openai] service does not support task type [sparse_embedding]'),
    );
    expect((await e.req('PUT', '/_inference/text_embedding/x', { service: 'openai' })).body).toEqual(
      envelope(400, 'status_exception', 'Missing required field [service_settings]'),
    );
  });

  it('types, enums, empty strings, rate_limit', async () => {
    const bad = async (ss: Record<string, unknown>) =>
      (
        await e.req('PUT', '/_inference/text_embedding/x', {
          service: 'openai',
          service_settings: { ...openai.service_settings, ...ss },
        })
      ).body.error;
    expect((await bad({ dimensions: 'many' })).reason).toBe(
      'Validation Failed: 1: field [dimensions] is not of the expected type. The value [many] cannot be converted to a [Integer];',
    );
    expect((await bad({ similarity: 'manhattan' })).reason).toBe(
      'Validation Failed: 1: [service_settings] Invalid value [manhattan] received. [similarity] must be one of [cosine, dot_product, l2_norm];',
    );
    expect((await bad({ model_id: '' })).reason).toBe(
      'Validation Failed: 1: [service_settings] Invalid value empty string. [model_id] must be a non-empty string;',
    );
    expect((await bad({ dimensions: 0 })).reason).toBe(
      'Validation Failed: 1: [service_settings] Invalid value [0]. [dimensions] must be a positive integer;',
    );
    expect((await bad({ rate_limit: { requests_per_minute: 1, burst: 2 } })).reason).toBe(
      'Model configuration contains settings [{burst=2}] unknown to the [openai] service',
    );
    expect((await bad({ api_key: '' })).reason).toBe(
      'Validation Failed: 1: [secret_settings] Invalid value empty string. [api_key] must be a non-empty string;',
    );
  });

  it('chunking per strategy', async () => {
    const put = (chunking: unknown) =>
      e.req('PUT', '/_inference/text_embedding/chunky', { ...openai, chunking_settings: chunking });
    expect((await put({ max_chunk_size: 100 })).body).toEqual(
      envelope(400, 'illegal_argument_exception', "Can't generate Chunker without ChunkingStrategy provided"),
    );
    expect((await put({ strategy: 'sentence', max_chunk_size: 100, overlap: 5 })).body.error.reason).toBe(
      'Validation Failed: 1: Sentence based chunking settings can not have the following settings: [overlap];',
    );
    expect((await put({ strategy: 'word', max_chunk_size: 100 })).body.error.reason).toBe(
      'Validation Failed: 1: [chunking_settings] does not contain the required setting [overlap];',
    );
    expect((await put({ strategy: 'sentence', max_chunk_size: 5 })).body.error.type).toBe(
      'validation_exception',
    );
    expect((await put({ strategy: 'sentence', max_chunk_size: 301 })).body.error.reason).toContain(
      'less than or equal to [300]',
    );
    const ok = await put({ strategy: 'sentence', max_chunk_size: 100 });
    expect(ok.body.chunking_settings).toEqual({
      strategy: 'sentence',
      max_chunk_size: 100,
      sentence_overlap: 1,
    });
    const recursive = await e.req('PUT', '/_inference/text_embedding/chunky2', {
      ...openai,
      chunking_settings: { strategy: 'recursive', max_chunk_size: 100, separator_group: 'markdown' },
    });
    expect(recursive.status).toBe(200);
    // chunking on a task type without it is an unknown top-level setting
    const completion = await e.req('PUT', '/_inference/completion/chunky3', {
      service: 'openai',
      service_settings: { api_key: 'k', model_id: 'gpt-4o' },
      chunking_settings: { strategy: 'word', max_chunk_size: 100, overlap: 10 },
    });
    expect(completion.body.error.reason).toBe(
      'Model configuration contains settings [{chunking_settings={overlap=10, max_chunk_size=100, strategy=word}}] unknown to the [openai] service',
    );
  });

  it('server-filled defaults: rate_limit, dimensions, similarity, embedding_type canonicalisation', async () => {
    const res = await e.req('PUT', '/_inference/my-openai', {
      ...openai,
      task_type: 'text_embedding',
      task_settings: { user: 'me' },
    });
    expect(res.body).toEqual({
      inference_id: 'my-openai',
      task_type: 'text_embedding',
      service: 'openai',
      service_settings: {
        model_id: 'text-embedding-3-small',
        similarity: 'dot_product',
        dimensions: 1536,
        rate_limit: { requests_per_minute: 3000 },
      },
      task_settings: { user: 'me' },
      chunking_settings: { strategy: 'sentence', max_chunk_size: 250, sentence_overlap: 1 },
    });
    const cohere = await e.req('PUT', '/_inference/text_embedding/my-cohere', {
      service: 'cohere',
      service_settings: { api_key: 'k', model_id: 'embed-english-v3.0', embedding_type: 'int8' },
    });
    expect(cohere.body.service_settings).toMatchObject({
      embedding_type: 'byte',
      rate_limit: { requests_per_minute: 10000 },
      dimensions: 1024,
    });
    const completion = await e.req('PUT', '/_inference/completion/my-chat', {
      service: 'openai',
      service_settings: { api_key: 'k', model_id: 'gpt-4o' },
    });
    expect(completion.body).toEqual({
      inference_id: 'my-chat',
      task_type: 'completion',
      service: 'openai',
      service_settings: { model_id: 'gpt-4o', rate_limit: { requests_per_minute: 500 } },
    });
  });

  it('duplicate id → resource_already_exists_exception', async () => {
    await e.req('PUT', '/_inference/completion/dup', {
      service: 'openai',
      service_settings: { api_key: 'k', model_id: 'gpt-4o' },
    });
    const res = await e.req('PUT', '/_inference/completion/dup', {
      service: 'openai',
      service_settings: { api_key: 'k', model_id: 'gpt-4o' },
    });
    expect(res.body).toEqual(
      envelope(400, 'resource_already_exists_exception', 'Inference endpoint [dup] already exists'),
    );
  });

  it('elasticsearch service: allocations rule, unknown model, platform model for elser', async () => {
    const res = await e.req('PUT', '/_inference/sparse_embedding/e1', {
      service: 'elasticsearch',
      service_settings: { model_id: '.elser_model_2', num_threads: 1 },
    });
    expect(res.body.error.reason).toBe(
      'Validation Failed: 1: [service_settings] does not contain one of the required settings [num_allocations, adaptive_allocations];',
    );
    const unknown = await e.req('PUT', '/_inference/text_embedding/e2', {
      service: 'elasticsearch',
      service_settings: { model_id: 'my-model', num_threads: 1, num_allocations: 1 },
    });
    expect(unknown.body).toEqual(
      envelope(
        400,
        'illegal_argument_exception',
        'Error parsing request config, model id does not match any models available on this platform. Was [my-model]. You may need to load it into the cluster using eland.',
      ),
    );
    const both = await e.req('PUT', '/_inference/sparse_embedding/e3', {
      service: 'elasticsearch',
      service_settings: {
        model_id: '.elser_model_2',
        num_threads: 1,
        num_allocations: 1,
        adaptive_allocations: { enabled: true },
      },
    });
    expect(both.body).toEqual(
      envelope(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: [number_of_allocations] cannot be set if adaptive allocations is enabled;',
      ),
    );
  });

  it('provider validation failure → 400 with caused_by', async () => {
    const failing = await es('9.1.0', { providerValidation: { failServices: ['cohere'] } });
    try {
      const res = await failing.req('PUT', '/_inference/rerank/r1', {
        service: 'cohere',
        service_settings: { api_key: 'k', model_id: 'rerank-v3.5' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.reason).toBe(
        'Could not complete inference endpoint creation as validation call to service threw an exception.',
      );
      expect(res.body.error.caused_by).toEqual({ type: 'connect_exception', reason: 'Connection refused' });
      expect((await failing.req('GET', '/_inference/r1')).status).toBe(404);
    } finally {
      await failing.close();
    }
  });

  it('provider returns a different size than requested → 400', async () => {
    const other = await es('9.1.0', {
      providerValidation: { dimensions: { 'text-embedding-3-small': 1536 } },
    });
    try {
      const res = await other.req('PUT', '/_inference/text_embedding/d1', {
        service: 'openai',
        service_settings: { api_key: 'k', model_id: 'text-embedding-3-small', dimensions: 512 },
      });
      expect(res.body.error.reason).toBe(
        'The retrieved embeddings size [1536] does not match the size specified in the settings [512]. Please recreate the [d1] configuration with the correct dimensions',
      );
    } finally {
      await other.close();
    }
  });

  it('9.2+ unknown-settings prefix is "Configuration"', async () => {
    const newer = await es('9.2.3');
    try {
      const res = await newer.req('PUT', '/_inference/completion/u', {
        service: 'openai',
        service_settings: { api_key: 'k', model_id: 'm', foo: 'bar' },
      });
      expect(res.body.error.reason).toBe(
        'Configuration contains settings [{foo=bar}] unknown to the [openai] service',
      );
    } finally {
      await newer.close();
    }
  });
});
