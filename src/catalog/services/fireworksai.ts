import {
  apiKey,
  dimensions,
  maxInputTokens,
  modelId,
  rateLimit,
  similarity,
  taskField,
  url,
} from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const fireworksai: ServiceSpec = {
  name: 'fireworksai',
  title: 'Fireworks AI',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put',
  since: '9.4',
  taskTypes: [{ taskType: 'chat_completion' }, { taskType: 'completion' }, { taskType: 'text_embedding' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'Fireworks AI API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('Fireworks AI model id.'),
    url: url(
      'Override of the Fireworks AI API URL (default: Fireworks AI’s own endpoint for the task type).',
    ),
    dimensions: dimensions({ taskTypes: ['text_embedding'] }),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      default: 'cosine',
      description: 'Similarity measure of the embeddings (default cosine).',
    }),
    // PR #146493 (numbered between #146242, opened 2026-04-14, and #146981: after the 9.4 cut 2026-04-06) ⇒ 9.5
    // by the api reference's dating rule [I].
    rate_limit: rateLimit(6000, '9.5'),
    // PR #146493 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
  },
  taskSettings: {
    user: taskField('string', 'End-user identifier sent to Fireworks AI.', ['completion', 'chat_completion']),
    headers: taskField('string_map', 'Extra HTTP headers sent with each request.', [
      'completion',
      'chat_completion',
    ]),
  },
  noTaskSettingsFor: ['text_embedding'],
};
