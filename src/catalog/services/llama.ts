import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const llama: ServiceSpec = {
  name: 'llama',
  title: 'Llama Stack',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-llama',
  since: '9.2',
  taskTypes: [{ taskType: 'text_embedding' }, { taskType: 'completion' }, { taskType: 'chat_completion' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    url: url(
      'URL of the Llama Stack endpoint: it must contain /v1/inference/embeddings for text_embedding, ' +
        '/v1/openai/v1/chat/completions otherwise.',
      { required: true },
    ),
    model_id: modelId('Llama Stack model id.'),
    max_input_tokens: maxInputTokens(undefined), // ?
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in dot_product when omitted.',
      default: 'dot_product',
    }),
    // the API docs: filled with the size the validation call returned; a user value is read too
    // (LlamaEmbeddingsServiceSettings, extractOptionalPositiveInteger).
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    rate_limit: rateLimit(3000, undefined), // ?
    api_key: apiKey({
      required: undefined,
      origin: 'server',
      description: 'Llama Stack API key; without one Elasticsearch sends no authentication. Write-only.',
    }),
  },
  taskSettings: {},
  notes: [
    'url must contain /v1/inference/embeddings (text_embedding) or /v1/openai/v1/chat/completions (completion, ' +
      'chat_completion); the rule kinds cannot express a per-task-type URL pattern.',
  ],
};
