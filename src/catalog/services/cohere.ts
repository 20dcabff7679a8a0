import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Reference: elasticsearch-inference-services.md §3.8. */
export const cohere: ServiceSpec = {
  name: 'cohere',
  title: 'Cohere',
  reference: '§3.8',
  since: '8.13',
  taskTypes: [{ taskType: 'completion' }, { taskType: 'rerank' }, { taskType: 'text_embedding' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey(),
    model_id: modelId('Cohere model, e.g. embed-english-v3.0 or rerank-english-v3.0. Required from 9.1.', {
      required: { since: '9.1' },
    }),
    embedding_type: {
      type: 'string',
      enum: ['binary', 'bit', 'byte', 'float', 'int8'],
      taskTypes: ['text_embedding'],
      description:
        'Embedding element type (default float). Stored as the element type: int8 → byte, binary → bit.',
      default: 'float',
      canonical: { int8: 'byte', binary: 'bit' },
      updatable: 'never',
    },
    similarity: similarity({ taskTypes: ['text_embedding'] }),
    rate_limit: rateLimit(10000, '9.4'),
    max_input_tokens: maxInputTokens('9.4', { origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    url: {
      type: 'string',
      description: 'Override of the Cohere API URL.',
      updatable: 'never',
      origin: 'server',
    },
    api_version: { type: 'string', description: 'Cohere API version.', updatable: 'never', origin: 'server' },
  },
  taskSettings: {
    input_type: taskField(
      'string',
      'Type of input for Cohere v3+ embedding models; can also be given per request.',
      ['text_embedding'],
      { enum: ['classification', 'clustering', 'ingest', 'search'] },
    ),
    truncate: taskField('string', 'How over-long inputs are truncated.', ['text_embedding'], {
      enum: ['END', 'NONE', 'START'],
    }),
    return_documents: taskField('boolean', 'Return the document text with each result.', ['rerank']),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
};
