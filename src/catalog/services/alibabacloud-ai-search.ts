import { apiKey, dimensions, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const alibabacloudAiSearch: ServiceSpec = {
  name: 'alibabacloud-ai-search',
  title: 'AlibabaCloud AI Search',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-alibabacloud',
  since: '8.16',
  taskTypes: [
    { taskType: 'completion' },
    { taskType: 'rerank' },
    // The 8.18–9.1 spec spells this `space_embedding` (a typo fixed in 9.2); the server takes sparse_embedding.
    { taskType: 'sparse_embedding' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['sparse_embedding', 'text_embedding'],
  serviceSettings: {
    api_key: apiKey({
      description: 'AlibabaCloud AI Search API key. Write-only: Elasticsearch never returns it.',
    }),
    host: {
      type: 'string',
      description: 'Host address of the AlibabaCloud AI Search service (from the console’s API keys page).',
      required: true,
      updatable: 'never',
    },
    service_id: {
      type: 'string',
      description:
        'AlibabaCloud model: completion ops-qwen-turbo, qwen-turbo, qwen-plus, qwen-max…; rerank ops-bge-reranker-larger; ' +
        'sparse_embedding ops-text-sparse-embedding-001; text_embedding ops-text-embedding-001/-zh-001/-en-001/-002.',
      required: true,
      updatable: 'never',
    },
    workspace: {
      type: 'string',
      description: 'Name of the AlibabaCloud AI Search workspace.',
      required: true,
      updatable: 'never',
    },
    // PR #142738 (reviewed 2026-02-20…23, before the 9.4 cut 2026-04-06) ⇒ 9.4; merge date not in the reference [I].
    rate_limit: rateLimit(1000, '9.4'),
    // Appendix B / PR #142738: accepted by the server, immutable.
    // No default: the API docs does not list this service among those that fill similarity [I].
    similarity: similarity({ taskTypes: ['text_embedding'], origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {
    input_type: taskField(
      'string',
      'Type of input (ingest or search), which the model may embed differently.',
      ['text_embedding', 'sparse_embedding'],
      { enum: ['ingest', 'search'], caseInsensitive: true },
    ),
    return_token: taskField(
      'boolean',
      'Return the token strings instead of token ids in the sparse embedding (default false).',
      ['sparse_embedding'],
    ),
  },
};
