import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const cohere: ServiceSpec = {
  name: 'cohere',
  title: 'Cohere',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-cohere',
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
    // [V CohereService.defaultSimilarity]: dot_product for every embedding type. the API docs
    // "int8/byte → cosine" is not what that source does; the verified value is used.
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description:
        'Similarity measure of the embeddings. Elasticsearch fills in cosine when omitted (8.18+), dot_product before.',
      default: 'dot_product',
      // CohereService.defaultSimilarity returns COSINE from 8.18 / 9.0 (PR #125370), DOT_PRODUCT before.
      defaultWhen: [{ when: {}, value: 'cosine', since: ['8.18', '9.0'] }],
    }),
    // PR #145360 (in review 2026-04-02, four days before the 9.4 cut 2026-04-06) ⇒ 9.4 as the reference dates it
    // ("≈9.4"); its merge date is not recorded and could fall after the cut [I].
    rate_limit: rateLimit(10000, '9.4'),
    // PR #145360 ⇒ 9.4 [I], as rate_limit.
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
      { enum: ['classification', 'clustering', 'ingest', 'search'], caseInsensitive: true },
    ),
    truncate: taskField('string', 'How over-long inputs are truncated.', ['text_embedding'], {
      enum: ['END', 'NONE', 'START'],
      caseInsensitive: true,
    }),
    return_documents: taskField('boolean', 'Return the document text with each result.', ['rerank']),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
};
