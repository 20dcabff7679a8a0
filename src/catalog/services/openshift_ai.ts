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
export const openshiftAi: ServiceSpec = {
  name: 'openshift_ai',
  title: 'Red Hat OpenShift AI',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-openshift-ai',
  since: '9.3',
  taskTypes: [
    { taskType: 'text_embedding' },
    { taskType: 'completion' },
    { taskType: 'chat_completion' },
    { taskType: 'rerank' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'OpenShift AI API key. Write-only: Elasticsearch never returns it.' }),
    url: url('URL of the model served on OpenShift AI.', { required: true }),
    model_id: modelId('Model id sent to the endpoint (optional).', { required: undefined }),
    // PR #147480 (opened 2026-04-24, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    max_input_tokens: maxInputTokens('9.5'),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in dot_product when omitted.',
      default: 'dot_product',
    }),
    // the API docs: filled with the size the validation call returned; a user value is read too
    // (OpenShiftAiEmbeddingsServiceSettings, extractOptionalPositiveInteger).
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    // PR #147480 ⇒ 9.5 [I], as max_input_tokens.
    rate_limit: rateLimit(3000, '9.5'),
  },
  taskSettings: {
    return_documents: taskField('boolean', 'Return the document text with each rerank result.', ['rerank']),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
  noTaskSettingsFor: ['text_embedding', 'completion', 'chat_completion'],
  notes: ['chat_completion is streaming only.'],
};
