// The compile step: a planned change → the requests that carry it out, per version's rules.
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { compileChange } from '../../src/engine/compile.js';
import { plan } from '../../src/engine/plan.js';
import type { LiveEndpoint } from '../../src/backends/elasticsearch/api.js';
import type { EndpointManifest } from '../../src/manifest/load.js';
import { Secret } from '../../src/manifest/secrets.js';
import { live, manifest } from '../helpers/engine.js';

function steps(
  desired: EndpointManifest,
  current: LiveEndpoint | undefined,
  version: string,
  rotateSecrets = false,
) {
  const caps = capabilitiesFor(version);
  const p = plan({
    desired: [desired],
    live: current ? [current] : [],
    capabilities: caps,
    target: { url: 'x' },
    options: { rotateSecrets },
  });
  expect(p.changes).toHaveLength(1);
  // Secrets compile to Secret values: shown here by where they came from.
  const show = (v: unknown): unknown =>
    v instanceof Secret
      ? `<${v.source}>`
      : Array.isArray(v)
        ? v.map(show)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, show(x)]))
          : v;
  return show(compileChange(p.changes[0]!, desired, caps));
}

const bedrock = (extra = '') => `
task_type: completion
service: amazonbedrock
service_settings:
  access_key: { secretRef: { env: AWS_AK } }
  secret_key: { secretRef: { env: AWS_SK } }
  region: us-east-1
  model: anthropic.claude-3-haiku
  provider: anthropic
${extra}task_settings: { max_new_tokens: 256 }
`;
const bedrockLive = `
inference_id: br
task_type: completion
service: amazonbedrock
service_settings: { region: us-east-1, model: anthropic.claude-3-haiku, provider: anthropic, rate_limit: { requests_per_minute: 240 } }
task_settings: { max_new_tokens: 128 }
`;

describe('create', () => {
  it('PUT with the task type in the path, the spec as body, secrets as Secret values', () => {
    expect(steps(manifest('br', bedrock()), undefined, '9.1.0')).toEqual([
      {
        kind: 'put',
        taskType: 'completion',
        id: 'br',
        body: {
          service: 'amazonbedrock',
          service_settings: {
            access_key: '<env AWS_AK>',
            secret_key: '<env AWS_SK>',
            region: 'us-east-1',
            model: 'anthropic.claude-3-haiku',
            provider: 'anthropic',
          },
          task_settings: { max_new_tokens: 256 },
        },
      },
    ]);
  });
});

describe('_update', () => {
  it('sends only the changed task settings, and never the service', () => {
    expect(steps(manifest('br', bedrock()), live(bedrockLive), '9.1.0')).toEqual([
      { kind: 'update', taskType: 'completion', id: 'br', body: { task_settings: { max_new_tokens: 256 } } },
    ]);
  });

  it('sends the complete secret set when a secret changes', () => {
    const current = live(bedrockLive.replace('max_new_tokens: 128', 'max_new_tokens: 256'));
    expect(steps(manifest('br', bedrock()), current, '9.1.0', true)).toEqual([
      {
        kind: 'update',
        taskType: 'completion',
        id: 'br',
        body: { service_settings: { access_key: '<env AWS_AK>', secret_key: '<env AWS_SK>' } },
      },
    ]);
  });

  it('before 9.5, resends the secrets with any service setting; from 9.5 it need not', () => {
    const current = live(bedrockLive.replace('max_new_tokens: 128', 'max_new_tokens: 256'));
    const changed = manifest(
      'br',
      bedrock('  rate_limit: { requests_per_minute: 100 }\n').replace(
        'provider: anthropic\n',
        'provider: anthropic\n',
      ),
    );
    const on95 = steps(changed, current, '9.5.0') as {
      body: { service_settings: Record<string, unknown> };
    }[];
    expect(on95[0]!.body.service_settings).toEqual({ rate_limit: { requests_per_minute: 100 } });
  });

  it('8.17: an in-cluster update carries num_allocations, whatever else changes', () => {
    const spec = `
task_type: rerank
service: elasticsearch
service_settings: { model_id: .rerank-v1, num_threads: 1, num_allocations: 2 }
task_settings: { return_documents: false }
`;
    const current = live(`
inference_id: rr
task_type: rerank
service: elasticsearch
service_settings: { num_allocations: 2, num_threads: 1, model_id: .rerank-v1 }
task_settings: { return_documents: true }
`);
    expect(steps(manifest('rr', spec), current, '8.17.10')).toEqual([
      {
        kind: 'update',
        taskType: 'rerank',
        id: 'rr',
        body: { service_settings: { num_allocations: 2 }, task_settings: { return_documents: false } },
      },
    ]);
  });

  it('9.5: switching to adaptive allocations sends only adaptive_allocations', () => {
    const spec = `
task_type: text_embedding
service: elasticsearch
service_settings:
  model_id: .multilingual-e5-small_linux-x86_64
  num_threads: 1
  adaptive_allocations: { enabled: true, max_number_of_allocations: 4 }
`;
    const current = live(`
inference_id: e5
task_type: text_embedding
service: elasticsearch
service_settings: { num_allocations: 1, num_threads: 1, model_id: .multilingual-e5-small_linux-x86_64 }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    expect(steps(manifest('e5', spec), current, '9.5.0')).toEqual([
      {
        kind: 'update',
        taskType: 'text_embedding',
        id: 'e5',
        body: { service_settings: { adaptive_allocations: { enabled: true, max_number_of_allocations: 4 } } },
      },
    ]);
  });

  it('9.5: chunking settings are sent whole (they replace)', () => {
    const spec = `
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, api_key: { secretRef: { env: OPENAI_API_KEY } } }
chunking_settings: { strategy: sentence, max_chunk_size: 100 }
`;
    const current = live(`
inference_id: o
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, similarity: dot_product, dimensions: 1536, rate_limit: { requests_per_minute: 3000 } }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    expect(steps(manifest('o', spec), current, '9.5.0')).toEqual([
      {
        kind: 'update',
        taskType: 'text_embedding',
        id: 'o',
        body: { chunking_settings: { strategy: 'sentence', max_chunk_size: 100, sentence_overlap: 1 } },
      },
    ]);
  });
  it('9.5: chunking_settings removed from the manifest sends the default as a whole object, never a bare strategy', () => {
    const spec = `
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, api_key: { secretRef: { env: OPENAI_API_KEY } } }
`;
    const current = live(`
inference_id: o
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, similarity: dot_product, dimensions: 1536, rate_limit: { requests_per_minute: 3000 } }
chunking_settings: { strategy: word, max_chunk_size: 300, overlap: 50 }
`);
    expect(steps(manifest('o', spec), current, '9.5.0')).toEqual([
      {
        kind: 'update',
        taskType: 'text_embedding',
        id: 'o',
        body: { chunking_settings: { strategy: 'sentence', max_chunk_size: 250, sentence_overlap: 1 } },
      },
    ]);
  });
});

describe('replace', () => {
  it('DELETE naming the live task type, then PUT', () => {
    const current = live(bedrockLive.replace('task_type: completion', 'task_type: chat_completion'));
    const result = steps(manifest('br', bedrock()), current, '9.4.0') as { kind: string; taskType: string }[];
    expect(result.map((s) => `${s.kind} ${s.taskType}`)).toEqual([
      'delete chat_completion',
      'put completion',
    ]);
  });
});
