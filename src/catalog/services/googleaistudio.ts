import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const googleaistudio: ServiceSpec = {
  name: 'googleaistudio',
  title: 'Google AI Studio (Gemini)',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-googleaistudio',
  since: '8.15',
  taskTypes: [{ taskType: 'completion' }, { taskType: 'text_embedding' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'Google AI Studio API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId(
      'Google AI Studio model: a Gemini model for completion or an embedding model such as embedding-001.',
    ),
    // PR #146671 (opened 2026-04-17, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(360, '9.5'),
    // PR #146671 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { taskTypes: ['text_embedding'], origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    // No default: the API docs does not list googleaistudio among the services that fill similarity [I].
    similarity: similarity({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {},
  notes: ['A request-time input_type (POST _inference) is honoured only for the model embedding-001.'],
};
