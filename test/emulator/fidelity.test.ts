/**
 * Behaviours a reconciler tested against the emulator must see as a real cluster shows them: the 2026
 * mutable-settings dating per PR, the chunking reset bug #139574, server-filled values on create, `_update`
 * parse errors and check order, the licence check position, Java `HashMap`/`HashSet` print order, and a few
 * version-specific bugs (reference sections in each test name).
 */
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { javaHashOrder, javaString } from '../../src/emulator/errors.js';
import type { EmulatorOptions } from '../../src/emulator/options.js';
import { envelope, es, type Es } from './helpers.js';

async function withEs(version: string, fn: (e: Es) => Promise<void>, options: EmulatorOptions = {}) {
  const e = await es(version, options);
  try {
    await fn(e);
  } finally {
    await e.close();
  }
}

const SENTENCE = { strategy: 'sentence', max_chunk_size: 250, sentence_overlap: 1 };
const LEGACY = { strategy: 'word', max_chunk_size: 250, overlap: 100 };
const openaiEmbed = {
  service: 'openai',
  service_settings: { api_key: 'k', model_id: 'text-embedding-3-small' },
};
const elser = {
  service: 'elasticsearch',
  service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
};
const invalidId = (id: string) =>
  envelope(
    400,
    'action_request_validation_exception',
    `Validation Failed: 1: Invalid inference_id; '${id}' can contain lowercase alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with alphanumeric;`,
  );
const forbidden = {
  error: {
    root_cause: [
      {
        type: 'security_exception',
        reason: 'current license is non-compliant for [inference]',
        'license.expired.feature': 'inference',
      },
    ],
    type: 'security_exception',
    reason: 'current license is non-compliant for [inference]',
    'license.expired.feature': 'inference',
  },
  status: 403,
};

describe('bug #139574: _update resets chunking to word/250/100 (8.17.0 – 9.2.5, 9.3.0)', () => {
  for (const version of ['8.17.10', '8.19.3', '9.1.0', '9.2.3', '9.2.5', '9.3.0']) {
    it(`${version}: response and later GET show the legacy chunking`, () =>
      withEs(version, async (e) => {
        expect(
          (await e.req('PUT', '/_inference/text_embedding/oa', openaiEmbed)).body.chunking_settings,
        ).toEqual(SENTENCE);
        const res = await e.req('PUT', '/_inference/text_embedding/oa/_update', {
          task_settings: { user: 'u2' },
        });
        expect(res.status).toBe(200);
        expect(res.body.chunking_settings).toEqual(LEGACY);
        expect((await e.req('GET', '/_inference/oa')).body.endpoints[0].chunking_settings).toEqual(LEGACY);
      }));
  }

  for (const version of ['9.2.6', '9.3.1', '9.4.0', '9.5.0']) {
    it(`${version}: fixed (PRs #141687 / #141682 / #140003), chunking kept`, () =>
      withEs(version, async (e) => {
        await e.req('PUT', '/_inference/text_embedding/oa', openaiEmbed);
        const res = await e.req('PUT', '/_inference/text_embedding/oa/_update', {
          task_settings: { user: 'u2' },
        });
        expect(res.body.chunking_settings).toEqual(SENTENCE);
      }));
  }

  it('endpoints without chunking settings keep none', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/completion/c', {
        service: 'openai',
        service_settings: { api_key: 'k', model_id: 'gpt-4o' },
      });
      const res = await e.req('PUT', '/_inference/completion/c/_update', { task_settings: { user: 'u' } });
      expect(res.body.chunking_settings).toBeUndefined();
    }));

  it('is a documented capability', () => {
    expect(capabilitiesFor('8.16.6').updateResetsChunkingToLegacy).toBe(false);
    expect(capabilitiesFor('8.17.0').updateResetsChunkingToLegacy).toBe(true);
    expect(capabilitiesFor('9.2.5').updateResetsChunkingToLegacy).toBe(true);
    expect(capabilitiesFor('9.2.6').updateResetsChunkingToLegacy).toBe(false);
    expect(capabilitiesFor('9.3.0').updateResetsChunkingToLegacy).toBe(true);
    expect(capabilitiesFor('9.3.1').updateResetsChunkingToLegacy).toBe(false);
    expect(capabilitiesFor('9.4.0').updateResetsChunkingToLegacy).toBe(false);
  });
});

describe('2026 mutable service settings, dated per PR', () => {
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    // service, task type, create settings, update (mutable) settings
    ['openai', 'completion', { api_key: 'k', model_id: 'gpt-4o' }, { organization_id: 'org' }],
    ['groq', 'chat_completion', { api_key: 'k', model_id: 'llama' }, { organization_id: 'org' }],
    ['hugging_face', 'text_embedding', { api_key: 'k', url: 'http://hf' }, { max_input_tokens: 7 }],
    ['jinaai', 'text_embedding', { api_key: 'k', model_id: 'jina-embeddings-v3' }, { max_input_tokens: 7 }],
    ['nvidia', 'text_embedding', { api_key: 'k', model_id: 'nv' }, { max_input_tokens: 7 }],
    ['openshift_ai', 'completion', { api_key: 'k', url: 'http://os' }, { max_input_tokens: 7 }],
    [
      'watsonxai',
      'completion',
      { api_key: 'k', model_id: 'm', project_id: 'p', url: 'http://w', api_version: '2024-05-01' },
      { max_input_tokens: 7 },
    ],
    ['voyageai', 'text_embedding', { api_key: 'k', model_id: 'voyage-3' }, { max_input_tokens: 7 }],
    ['fireworksai', 'completion', { api_key: 'k', model_id: 'f' }, { max_input_tokens: 7 }],
    [
      'googleaistudio',
      'completion',
      { api_key: 'k', model_id: 'gemini' },
      { rate_limit: { requests_per_minute: 9 } },
    ],
  ];
  for (const [service, taskType, settings, mutable] of cases) {
    // 9.5.3: the first 9.5 release whose _update takes a rotated secret for every service (PR #157214).
    it(`${service}: ignored on 9.4, applied on 9.5`, async () => {
      for (const [version, applied] of [
        ['9.4.0', false],
        ['9.5.3', true],
      ] as const) {
        await withEs(version, async (e) => {
          const created = await e.req('PUT', `/_inference/${taskType}/x`, {
            service,
            service_settings: settings,
          });
          expect(created.status, JSON.stringify(created.body)).toBe(200);
          const key = Object.keys(mutable)[0] as string;
          const res = await e.req('PUT', `/_inference/${taskType}/x/_update`, {
            service_settings: { api_key: 'k2', ...mutable },
          });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          if (applied) expect(res.body.service_settings[key]).toEqual(mutable[key]);
          else expect(res.body.service_settings[key]).toEqual(created.body.service_settings[key]);
        });
      }
    });
  }

  it('9.5.0 – 9.5.2 refuse a secret in _update for the services of PR #157214; 9.5.3 takes it', async () => {
    for (const [version, status] of [
      ['9.5.0', 400],
      ['9.5.2', 400],
      ['9.5.3', 200],
    ] as const) {
      await withEs(version, async (e) => {
        await e.req('PUT', '/_inference/text_embedding/co', {
          service: 'cohere',
          service_settings: { api_key: 'k', model_id: 'embed-english-v3.0' },
        });
        const res = await e.req('PUT', '/_inference/text_embedding/co/_update', {
          service_settings: { api_key: 'k2' },
        });
        expect(res.status, `${version} ${JSON.stringify(res.body)}`).toBe(status);
        // OpenAI is not among them: its update parser declared the secret.
        await e.req('PUT', '/_inference/text_embedding/oa', openaiEmbed);
        const openai = await e.req('PUT', '/_inference/text_embedding/oa/_update', {
          service_settings: { api_key: 'k2' },
        });
        expect(openai.status, JSON.stringify(openai.body)).toBe(200);
      });
    }
  });

  it('amazon_sagemaker batch_size and custom url: 9.5 (PRs #147597, #146242)', () =>
    withEs('9.4.0', async (e) => {
      await e.req('PUT', '/_inference/completion/sm', {
        service: 'amazon_sagemaker',
        service_settings: {
          access_key: 'a',
          secret_key: 's',
          endpoint_name: 'ep',
          api: 'openai',
          region: 'us-east-1',
        },
      });
      const res = await e.req('PUT', '/_inference/completion/sm/_update', {
        service_settings: { access_key: 'a', secret_key: 's', batch_size: 3 },
      });
      expect(res.body.service_settings.batch_size).toBeUndefined();
    }));

  it('ai21, alibaba, bedrock, azure, cohere keep 9.4', () =>
    withEs('9.4.0', async (e) => {
      await e.req('PUT', '/_inference/rerank/co', {
        service: 'cohere',
        service_settings: { api_key: 'k', model_id: 'rerank-v3.5' },
      });
      const res = await e.req('PUT', '/_inference/rerank/co/_update', {
        service_settings: { api_key: 'k', rate_limit: { requests_per_minute: 11 } },
      });
      expect(res.body.service_settings.rate_limit).toEqual({ requests_per_minute: 11 });
    }));
});

describe('server-filled values on create', () => {
  it('JinaAI bit/binary → l2_norm, float → dot_product', () =>
    withEs('9.1.0', async (e) => {
      for (const [type, similarity] of [
        ['bit', 'l2_norm'],
        ['binary', 'l2_norm'],
        ['float', 'dot_product'],
      ]) {
        const res = await e.req('PUT', `/_inference/text_embedding/j-${type}`, {
          service: 'jinaai',
          service_settings: { api_key: 'k', model_id: 'jina-embeddings-v3', embedding_type: type },
        });
        expect(res.body.service_settings.similarity, type).toBe(similarity);
      }
    }));

  it('a given similarity is kept', () =>
    withEs('9.1.0', async (e) => {
      const res = await e.req('PUT', '/_inference/text_embedding/j', {
        service: 'jinaai',
        service_settings: {
          api_key: 'k',
          model_id: 'jina-embeddings-v3',
          embedding_type: 'bit',
          similarity: 'cosine',
        },
      });
      expect(res.body.service_settings.similarity).toBe('cosine');
    }));

  it('Amazon Bedrock similarity by provider: amazontitan → cosine, cohere → dot_product', () =>
    withEs('9.1.0', async (e) => {
      const base = { access_key: 'a', secret_key: 's', region: 'us-east-1' };
      const titan = await e.req('PUT', '/_inference/text_embedding/b1', {
        service: 'amazonbedrock',
        service_settings: { ...base, model: 'amazon.titan-embed-text-v2:0', provider: 'amazontitan' },
      });
      expect(titan.body.service_settings.similarity).toBe('cosine');
      const cohere = await e.req('PUT', '/_inference/text_embedding/b2', {
        service: 'amazonbedrock',
        service_settings: { ...base, model: 'cohere.embed-english-v3', provider: 'cohere' },
      });
      expect(cohere.body.service_settings.similarity).toBe('dot_product');
    }));

  it('skip_validate_and_start: neither dimensions nor similarity (both come from the validation call)', () =>
    withEs(
      '9.1.0',
      async (e) => {
        const res = await e.req('PUT', '/_inference/text_embedding/oa', openaiEmbed);
        expect(res.body.service_settings).toEqual({
          model_id: 'text-embedding-3-small',
          rate_limit: { requests_per_minute: 3000 },
        });
      },
      { skipValidateAndStart: true },
    ));

  it('services the reference does not list get no similarity; unlisted defaults are not shown', () =>
    withEs('9.5.0', async (e) => {
      const gs = await e.req('PUT', '/_inference/text_embedding/g', {
        service: 'googleaistudio',
        service_settings: { api_key: 'k', model_id: 'text-embedding-004' },
      });
      expect(gs.body.service_settings).toEqual({
        model_id: 'text-embedding-004',
        rate_limit: { requests_per_minute: 360 },
        dimensions: 768,
      });
      const voyage = await e.req('PUT', '/_inference/text_embedding/v', {
        service: 'voyageai',
        service_settings: { api_key: 'k', model_id: 'voyage-3' },
      });
      expect(voyage.body.service_settings.embedding_type).toBeUndefined();
      expect(voyage.body.service_settings.similarity).toBe('dot_product');
    }));

  it('mistral, nvidia, openshift_ai, llama text_embedding get dimensions', () =>
    withEs('9.5.0', async (e) => {
      const bodies: Record<string, Record<string, unknown>> = {
        mistral: { api_key: 'k', model: 'mistral-embed' },
        nvidia: { api_key: 'k', model_id: 'nv-embed' },
        openshift_ai: { api_key: 'k', url: 'http://os' },
        llama: { url: 'http://l/v1/inference/embeddings', model_id: 'all-MiniLM-L6-v2' },
      };
      for (const [service, settings] of Object.entries(bodies)) {
        const res = await e.req('PUT', `/_inference/text_embedding/d-${service.replace('_', '-')}`, {
          service,
          service_settings: settings,
        });
        expect(res.status, service).toBe(200);
        expect(typeof res.body.service_settings.dimensions, service).toBe('number');
      }
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/m1', {
            service: 'mistral',
            service_settings: { api_key: 'k', model: 'mistral-embed', dimensions: 1024 },
          })
        ).body.service_settings.dimensions,
      ).toBe(1024);
      // NVIDIA reads dimensions only from stored configs: in a request it is an unknown setting.
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/n1', {
            service: 'nvidia',
            service_settings: { api_key: 'k', model_id: 'nv-embed', dimensions: 1024 },
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'Configuration contains settings [{dimensions=1024}] unknown to the [nvidia] service',
        ),
      );
    }));

  it('elasticsearch rerank gets task_settings {return_documents: true}', () =>
    withEs('9.1.0', async (e) => {
      const res = await e.req('PUT', '/_inference/rerank/er', {
        service: 'elasticsearch',
        service_settings: { model_id: '.rerank-v1', num_threads: 1, num_allocations: 1 },
      });
      expect(res.body.task_settings).toEqual({ return_documents: true });
      const off = await e.req('PUT', '/_inference/rerank/er2', {
        service: 'elasticsearch',
        service_settings: { model_id: '.rerank-v1', num_threads: 1, num_allocations: 1 },
        task_settings: { return_documents: false },
      });
      expect(off.body.task_settings).toEqual({ return_documents: false });
    }));
});

describe('_update parse errors and check order', () => {
  it('8.17–9.4 wording prints the remaining body map; non-string task_type is a 500', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', openaiEmbed);
      expect(
        (await e.req('PUT', '/_inference/text_embedding/o/_update', { service_settings: 'abc' })).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'Unable to parse service settings in the request [{service_settings=abc}]',
        ),
      );
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/o/_update', {
            service_settings: {},
            task_settings: [1],
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'Unable to parse task settings in the request [{task_settings=[1]}]',
        ),
      );
      expect((await e.req('PUT', '/_inference/text_embedding/o/_update', { task_type: 5 })).body).toEqual(
        envelope(500, 'status_exception', 'Failed to parse [task_type] in update request [{task_type=5}]'),
      );
    }));

  it('9.5 wording: "Unable to parse [service_settings] …", task_type → 400', () =>
    withEs('9.5.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', openaiEmbed);
      expect(
        (await e.req('PUT', '/_inference/text_embedding/o/_update', { service_settings: 'abc' })).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'Unable to parse [service_settings] in the request [{service_settings=abc}]',
        ),
      );
      expect((await e.req('PUT', '/_inference/text_embedding/o/_update', { task_type: 5 })).body).toEqual(
        envelope(400, 'status_exception', 'Failed to parse [task_type] in update request [{task_type=5}]'),
      );
    }));

  it('the id is validated before the body; task_type before the allow-list', () =>
    withEs('9.1.0', async (e) => {
      expect((await e.req('PUT', '/_inference/text_embedding/Bad/_update', {})).body).toEqual(
        invalidId('Bad'),
      );
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/.elser-2-elasticsearch/_update', {
            service: 'elasticsearch',
            service_settings: { num_allocations: 2 },
          })
        ).body,
      ).toEqual(invalidId('.elser-2-elasticsearch'));
      expect(
        (await e.req('PUT', '/_inference/text_embedding/x/_update', { task_type: 'bad', service: 'x' })).body,
      ).toEqual(envelope(400, 'status_exception', 'Unknown task_type [bad]'));
    }));

  it('create: the id is validated before a missing body', () =>
    withEs('9.1.0', async (e) => {
      expect((await e.req('PUT', '/_inference/text_embedding/Bad-Id', '')).body).toEqual(invalidId('Bad-Id'));
    }));
});

describe('licence check position', () => {
  it('8.18–9.1: create checks the licence before the task type and the service', async () => {
    for (const version of ['8.18.8', '9.1.0']) {
      await withEs(
        version,
        async (e) => {
          expect(
            (await e.req('PUT', '/_inference/x', { service: 'openai', service_settings: { api_key: 'k' } }))
              .body,
          ).toEqual(forbidden);
          expect(
            (await e.req('PUT', '/_inference/text_embedding/x/_update', { task_type: 'bad' })).body,
          ).toEqual(forbidden);
        },
        { license: 'basic' },
      );
    }
  });

  it('9.2+: task type and missing service first on create; the 404 first on _update', () =>
    withEs(
      '9.2.3',
      async (e) => {
        expect(
          (await e.req('PUT', '/_inference/x', { service: 'openai', service_settings: { api_key: 'k' } }))
            .body,
        ).toEqual(envelope(400, 'status_exception', 'model is missing required setting [task_type]'));
        expect(
          (await e.req('PUT', '/_inference/completion/x', { service: 'openai', service_settings: {} })).body,
        ).toEqual(forbidden);
        expect(
          (await e.req('PUT', '/_inference/completion/missing/_update', { task_settings: { user: 'a' } }))
            .status,
        ).toBe(404);
      },
      { license: 'basic' },
    ));
});

describe('Java HashMap / HashSet order', () => {
  it('matches java.util.HashMap iteration order', () => {
    expect(javaHashOrder(['strategy', 'max_chunk_size', 'overlap'])).toEqual([
      'overlap',
      'max_chunk_size',
      'strategy',
    ]);
    expect(javaHashOrder(['idx-a', 'idx-b'])).toEqual(['idx-b', 'idx-a']);
    expect(javaString({ foo: 1, bar: { b: 2, a: [1, 'x'] }, zed: 'q' })).toBe(
      '{bar={a=[1, x], b=2}, foo=1, zed=q}',
    );
  });

  it('delete 409 and dry_run list indexes in HashSet order', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/sparse_embedding/z', elser);
      for (const name of ['idx-a', 'idx-b']) {
        await e.req('PUT', `/${name}`, {
          mappings: { properties: { body: { type: 'semantic_text', inference_id: 'z' } } },
        });
      }
      const res = await e.req('DELETE', '/_inference/z');
      expect(res.status).toBe(409);
      expect(res.body.error.reason).toContain('mapping for indexes: [idx-b, idx-a]');
      expect((await e.req('DELETE', '/_inference/z?dry_run=true')).body.indexes).toEqual(['idx-b', 'idx-a']);
    }));
});

describe('Azure OpenAI secrets', () => {
  const azure = { api_version: '2024-02-01', deployment_id: 'd', resource_name: 'r' };
  it('≤9.3: the server wording, one text for neither and one for both', () =>
    withEs('9.1.0', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/a', {
            service: 'azureopenai',
            service_settings: azure,
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'validation_exception',
          'Validation Failed: 1: [secret_settings] must have either the [api_key] or the [entra_id] key set;',
        ),
      );
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/a', {
            service: 'azureopenai',
            service_settings: { ...azure, api_key: 'k', entra_id: 'e' },
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'validation_exception',
          'Validation Failed: 1: [secret_settings] must have only one of the [api_key] or the [entra_id] key set;',
        ),
      );
    }));

  it('9.5 _update: at most one secret of the group; the one sent replaces the stored one', () =>
    withEs('9.5.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/a', {
        service: 'azureopenai',
        service_settings: { ...azure, api_key: 'k' },
      });
      const both = await e.req('PUT', '/_inference/text_embedding/a/_update', {
        service_settings: { api_key: 'e', entra_id: 'x' },
      });
      expect(both.status).toBe(400);
      const swap = await e.req('PUT', '/_inference/text_embedding/a/_update', {
        service_settings: { entra_id: 'x' },
      });
      expect(swap.status).toBe(200);
      expect(e.state.endpoints.get('a')?.secrets).toEqual({ entra_id: 'x' });
    }));
});

describe('version-specific behaviour', () => {
  it('hugging_face rerank/completion/chat_completion from 8.19 / 9.1', async () => {
    await withEs('9.0.7', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/rerank/hf', {
            service: 'hugging_face',
            service_settings: { api_key: 'k', url: 'http://hf' },
          })
        ).body,
      ).toEqual(
        envelope(400, 'status_exception', 'The [hugging_face] service does not support task type [rerank]'),
      );
    });
    await withEs('9.1.0', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/rerank/hf', {
            service: 'hugging_face',
            service_settings: { api_key: 'k', url: 'http://hf' },
            task_settings: { top_n: 2 },
          })
        ).status,
      ).toBe(200);
    });
  });

  it('9.2 (issue #137127): the adaptive conflict fails after the endpoint was stored', async () => {
    const body = {
      service: 'elasticsearch',
      service_settings: {
        model_id: '.rerank-v1',
        num_threads: 1,
        num_allocations: 1,
        adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 32 },
      },
    };
    const conflict = envelope(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: [number_of_allocations] cannot be set if adaptive allocations is enabled;',
    );
    await withEs('9.2.3', async (e) => {
      expect((await e.req('PUT', '/_inference/rerank/mytest', body)).body).toEqual(conflict);
      expect((await e.req('GET', '/_inference/rerank/mytest')).status).toBe(200);
      expect(e.state.deployments.has('mytest')).toBe(false);
    });
    await withEs('9.3.1', async (e) => {
      expect((await e.req('PUT', '/_inference/rerank/mytest', body)).body).toEqual(conflict);
      expect((await e.req('GET', '/_inference/rerank/mytest')).status).toBe(404);
    });
  });

  it('≤8.17 basic: inference on a default endpoint needs the ML licence to start its deployment', () =>
    withEs(
      '8.17.10',
      async (e) => {
        const res = await e.req('POST', '/_inference/text_embedding/.multilingual-e5-small-elasticsearch', {
          input: 'a',
        });
        expect(res.status).toBe(403);
        expect(res.body.error.reason).toBe('current license is non-compliant for [ml]');
        expect(e.state.deployments.size).toBe(0);
      },
      { license: 'basic' },
    ));

  it('8.17.0: an endpoint attached to another deployment gets the 404 (no 409 before PR #121231)', async () => {
    const attach = async (e: Es) => {
      await e.req('POST', '/_ml/trained_models/.elser_model_2/deployment/_start?deployment_id=dep1');
      await e.req('PUT', '/_inference/sparse_embedding/att', {
        service: 'elasticsearch',
        service_settings: { deployment_id: 'dep1' },
      });
      return e.req('PUT', '/_inference/sparse_embedding/att/_update', {
        service_settings: { num_allocations: 2 },
      });
    };
    await withEs('8.17.0', async (e) => expect((await attach(e)).status).toBe(404));
    await withEs('8.17.10', async (e) => expect((await attach(e)).status).toBe(409));
  });
});

describe('provider checks', () => {
  const bedrock = { access_key: 'a', secret_key: 's', region: 'us-east-1', model: 'm' };
  it('Amazon Bedrock: provider must serve the task type; top_k only for anthropic/cohere/mistral', () =>
    withEs('9.1.0', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/b', {
            service: 'amazonbedrock',
            service_settings: { ...bedrock, provider: 'anthropic' },
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'The [text_embedding] task type for provider [anthropic] is not available',
        ),
      );
      expect(
        (
          await e.req('PUT', '/_inference/completion/b', {
            service: 'amazonbedrock',
            service_settings: { ...bedrock, provider: 'amazontitan' },
            task_settings: { top_k: 2 },
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'The [top_k] task parameter is not available for provider [amazontitan]',
        ),
      );
      expect(
        (
          await e.req('PUT', '/_inference/completion/b2', {
            service: 'amazonbedrock',
            service_settings: { ...bedrock, provider: 'anthropic' },
            task_settings: { top_k: 2, max_new_tokens: 10 },
          })
        ).status,
      ).toBe(200);
    }));

  it('Azure AI Studio: rerank only with the cohere provider', () =>
    withEs('9.2.3', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/rerank/az', {
            service: 'azureaistudio',
            service_settings: {
              api_key: 'k',
              endpoint_type: 'token',
              target: 'http://t',
              provider: 'openai',
            },
          })
        ).body,
      ).toEqual(
        envelope(400, 'status_exception', 'The [rerank] task type for provider [openai] is not available'),
      );
    }));
});

describe('trained-model stats edge cases', () => {
  it('adaptive min 0 scaled to zero: 0/0 fully_allocated, GET num_allocations 0', () =>
    withEs(
      '9.1.0',
      async (e) => {
        await e.req('PUT', '/_inference/sparse_embedding/s', {
          service: 'elasticsearch',
          service_settings: {
            model_id: '.elser_model_2',
            num_threads: 1,
            adaptive_allocations: {
              enabled: true,
              min_number_of_allocations: 0,
              max_number_of_allocations: 4,
            },
          },
        });
        const stats = (await e.req('GET', '/_ml/trained_models/s/_stats')).body.trained_model_stats[0]
          .deployment_stats;
        expect(stats.allocation_status).toEqual({
          allocation_count: 0,
          target_allocation_count: 0,
          state: 'fully_allocated',
        });
        expect((await e.req('GET', '/_inference/s')).body.endpoints[0].service_settings.num_allocations).toBe(
          0,
        );
      },
      { adaptiveScaledToZero: true },
    ));

  it('a failed deployment reports state failed with its reason', () =>
    withEs(
      '9.1.0',
      async (e) => {
        await e.req('PUT', '/_inference/sparse_embedding/f', elser);
        const stats = (await e.req('GET', '/_ml/trained_models/f/_stats')).body.trained_model_stats[0]
          .deployment_stats;
        expect(stats.state).toBe('failed');
        expect(stats.reason).toBe('out of memory');
        expect(stats.allocation_status.state).not.toBe('fully_allocated');
      },
      { failedDeployments: { f: 'out of memory' } },
    ));
});
