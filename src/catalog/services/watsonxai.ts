import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const watsonxai: ServiceSpec = {
  name: 'watsonxai',
  title: 'IBM watsonx.ai',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-watsonx',
  since: '8.16',
  taskTypes: [
    { taskType: 'text_embedding' },
    { taskType: 'chat_completion' },
    { taskType: 'completion' },
    // In the put task-type enum though missing from TaskTypeWatsonx (GET); undated, so as old as the service.
    { taskType: 'rerank' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({
      description: 'IBM Cloud API key for watsonx.ai. Write-only: Elasticsearch never returns it.',
    }),
    api_version: {
      type: 'string',
      schema: { pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      description: 'watsonx.ai API version, a date in the form YYYY-MM-DD.',
      required: true,
      updatable: 'never',
    },
    model_id: modelId('watsonx.ai model id.'),
    project_id: {
      type: 'string',
      description: 'watsonx.ai project id.',
      required: true,
      updatable: 'never',
    },
    url: url('URL of the watsonx.ai endpoint.', { required: true }),
    // PR #147250 (opened 2026-04-23, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(120, '9.5'),
    // PR #147250 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in dot_product when omitted.',
      default: 'dot_product',
      origin: 'server',
    }),
  },
  taskSettings: {},
};
