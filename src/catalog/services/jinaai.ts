import { apiKey, dimensions, maxInputTokens, modelId, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec, TaskType } from '../types.js';

const EMBEDDINGS: readonly TaskType[] = ['text_embedding', 'embedding'];
const INPUT_TYPES = ['classification', 'clustering', 'ingest', 'search'];

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const jinaai: ServiceSpec = {
  name: 'jinaai',
  title: 'JinaAI',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-jinaai',
  since: '8.18',
  taskTypes: [
    { taskType: 'embedding', since: '9.4' },
    { taskType: 'rerank' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding', 'embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'JinaAI API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('JinaAI model id. Required from 8.19 / 9.1 (optional in 8.18 and 9.0).', {
      required: { since: ['8.19', '9.1'] },
    }),
    similarity: similarity({
      taskTypes: EMBEDDINGS,
      description:
        'Similarity measure of the embeddings. Filled in when omitted: dot_product for float embeddings, ' +
        'l2_norm for bit/binary.',
      // the API docs: dot_product for float, l2_norm for binary/bit (JinaAIService.defaultSimilarity).
      default: 'dot_product',
      defaultWhen: [{ when: { embedding_type: ['bit', 'binary'] }, value: 'l2_norm' }],
    }),
    dimensions: dimensions({
      since: ['8.19', '9.1'],
      taskTypes: EMBEDDINGS,
      description: 'Output dimensions of the embeddings (8.19 / 9.1+). Defaults to the model’s own.',
    }),
    embedding_type: {
      type: 'string',
      enum: ['binary', 'bit', 'float'],
      since: ['8.19', '9.1'],
      taskTypes: EMBEDDINGS,
      description:
        'Embedding element type (8.19 / 9.1+; default float). Stored as the element type: binary → bit.',
      default: 'float',
      canonical: { binary: 'bit' },
      updatable: 'never',
    },
    multimodal_model: {
      type: 'boolean',
      since: '9.4',
      taskTypes: ['embedding'],
      description: 'Whether the model is multimodal, for the embedding task type (9.4+). Default true.',
      default: true,
      // A default value in the API docs, not among the documented server-filled values: not shown [I].
      storedWhenOmitted: false,
      updatable: 'never',
    },
    // PR #147295 (opened 2026-04-23, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(2000, '9.5'),
    // PR #147295 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
  },
  taskSettings: {
    // Named `task` in the spec up to 9.3 and `input_type` from 9.4; the reference is unsure which name older
    // servers read ("check server version"), so each name is offered for its own versions.
    task: taskField(
      'string',
      'Intended use of the embeddings (up to 9.3; renamed input_type in 9.4).',
      EMBEDDINGS,
      {
        enum: INPUT_TYPES,
        caseInsensitive: true,
        until: '9.3',
      },
    ),
    input_type: taskField(
      'string',
      'Intended use of the embeddings (9.4+; called task before).',
      EMBEDDINGS,
      {
        enum: INPUT_TYPES,
        caseInsensitive: true,
        since: '9.4',
      },
    ),
    late_chunking: taskField(
      'boolean',
      'Apply JinaAI late chunking to the embeddings (9.4+). Default false.',
      EMBEDDINGS,
      { since: '9.4' },
    ),
    return_documents: taskField('boolean', 'Return the document text with each rerank result.', ['rerank']),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
  notes: ['similarity defaults to dot_product for float embeddings but to l2_norm for bit/binary ones.'],
};
