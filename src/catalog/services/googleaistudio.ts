import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Reference: elasticsearch-inference-services.md §3.15. */
export const googleaistudio: ServiceSpec = {
  name: 'googleaistudio',
  title: 'Google AI Studio (Gemini)',
  reference: '§3.15',
  since: '8.15',
  taskTypes: [{ taskType: 'completion' }, { taskType: 'text_embedding' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'Google AI Studio API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId(
      'Google AI Studio model: a Gemini model for completion or an embedding model such as embedding-001.',
    ),
    rate_limit: rateLimit(360, '9.4'),
    max_input_tokens: maxInputTokens('9.4', { taskTypes: ['text_embedding'], origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    similarity: similarity({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {},
  notes: ['A request-time input_type (POST _inference) is honoured only for the model embedding-001.'],
};
