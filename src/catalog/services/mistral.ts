import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const mistral: ServiceSpec = {
  name: 'mistral',
  title: 'Mistral',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-mistral',
  since: '8.15',
  taskTypes: [{ taskType: 'text_embedding' }, { taskType: 'completion' }, { taskType: 'chat_completion' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'Mistral API key. Write-only: Elasticsearch never returns it.' }),
    model: modelId('Mistral model name. Note the key is model, not model_id.'),
    max_input_tokens: maxInputTokens(undefined), // ?
    rate_limit: rateLimit(240, undefined), // ?
    // Not in.21's table; the API docs lists it as filled in (dot_product) for mistral text_embedding.
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in dot_product when omitted.',
      default: 'dot_product',
      origin: 'server',
    }),
    // the API docs: external text_embedding endpoints get the size the validation call returned; the server
    // also reads a user value (MistralEmbeddingsServiceSettings, extractOptionalPositiveInteger).
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {},
};
