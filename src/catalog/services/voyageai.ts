import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const voyageai: ServiceSpec = {
  name: 'voyageai',
  title: 'VoyageAI',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-voyageai',
  since: ['8.19', '9.1'],
  taskTypes: [{ taskType: 'text_embedding' }, { taskType: 'rerank' }],
  chunking: ['text_embedding'],
  serviceSettings: {
    // Missing from the spec class and examples, but the server requires it (DefaultSecretSettings).
    api_key: apiKey({
      description: 'VoyageAI API key. Write-only: Elasticsearch never returns it.',
      origin: 'server',
    }),
    model_id: modelId('VoyageAI model id.'),
    dimensions: dimensions({
      taskTypes: ['text_embedding'],
      description:
        'Output dimensions of the embeddings, sent to VoyageAI as output_dimension. Defaults to the model’s own.',
    }),
    // The spec types it as float by mistake; the values are strings.
    embedding_type: {
      type: 'string',
      enum: ['float', 'int8', 'bit'],
      taskTypes: ['text_embedding'],
      description: 'Embedding element type (default float). Stored as the element type: int8 → byte.',
      default: 'float',
      // A default value in the API docs; the API docs lists the element-type rewrite for cohere/jinaai only,
      // so an omitted embedding_type is not shown [I].
      storedWhenOmitted: false,
      // says int8 ≡ byte and bit ≡ binary; the element-type rewrite is assumed to match cohere/jinaai.
      canonical: { int8: 'byte' },
      updatable: 'never',
    },
    // PR #147676 (numbered after #147597, which was opened 2026-04-27, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the
    // api reference's dating rule [I].
    rate_limit: rateLimit(2000, '9.5'),
    // PR #147676 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in dot_product when omitted.',
      default: 'dot_product',
      origin: 'server',
    }),
  },
  taskSettings: {
    input_type: taskField(
      'string',
      'Whether the texts are documents to index (ingest) or queries (search).',
      ['text_embedding'],
      { enum: ['ingest', 'search'], caseInsensitive: true },
    ),
    truncation: taskField(
      'boolean',
      'Whether VoyageAI truncates over-long inputs instead of failing (default true for text_embedding).',
      ['text_embedding', 'rerank'],
    ),
    return_documents: taskField(
      'boolean',
      'Return the document text with each rerank result (default false).',
      ['rerank'],
    ),
    top_k: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
};
