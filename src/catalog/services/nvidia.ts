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
export const nvidia: ServiceSpec = {
  name: 'nvidia',
  title: 'NVIDIA',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-nvidia',
  since: '9.3',
  taskTypes: [
    { taskType: 'chat_completion' },
    { taskType: 'completion' },
    { taskType: 'rerank' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({ description: 'NVIDIA API key. Write-only: Elasticsearch never returns it.' }),
    url: url(
      'Override of the NVIDIA URL. Defaults per task type: https://integrate.api.nvidia.com/v1/embeddings, ' +
        '…/v1/chat/completions, or https://ai.api.nvidia.com/v1/retrieval/nvidia/reranking for rerank.',
    ),
    model_id: modelId('NVIDIA model id.'),
    // PR #147429 (opened 2026-04-24, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    max_input_tokens: maxInputTokens('9.5', { taskTypes: ['text_embedding'] }),
    // No default: the API docs does not list nvidia among the services that fill similarity [I].
    similarity: similarity({ taskTypes: ['text_embedding'] }),
    // the API docs: filled with the size the validation call returned. NvidiaEmbeddingsServiceSettings reads
    // it only from stored configs (request context: left in the map → unknown setting).
    dimensions: dimensions({
      taskTypes: ['text_embedding'],
      description: 'Filled in by Elasticsearch from a test call at creation; not accepted in a request.',
      acceptedInRequest: false,
      origin: 'server',
    }),
    // PR #147429 ⇒ 9.5 [I], as max_input_tokens.
    rate_limit: rateLimit(3000, '9.5'),
  },
  taskSettings: {
    input_type: taskField(
      'string',
      'Whether the texts are documents to index (ingest) or queries (search). Default search.',
      ['text_embedding'],
      { enum: ['ingest', 'search'], caseInsensitive: true },
    ),
    truncate: taskField('string', 'How over-long inputs are truncated.', ['text_embedding'], {
      enum: ['END', 'NONE', 'START'],
      caseInsensitive: true,
    }),
  },
  noTaskSettingsFor: ['chat_completion', 'completion', 'rerank'],
  notes: ['chat_completion is streaming only.'],
};
