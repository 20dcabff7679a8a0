import { apiKey, maxInputTokens, modelId, rateLimit, similarity, taskField, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Reference: elasticsearch-inference-services.md §3.22. */
export const nvidia: ServiceSpec = {
  name: 'nvidia',
  title: 'NVIDIA',
  reference: '§3.22',
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
    max_input_tokens: maxInputTokens('9.4', { taskTypes: ['text_embedding'] }),
    similarity: similarity({ taskTypes: ['text_embedding'] }),
    rate_limit: rateLimit(3000, '9.4'),
  },
  taskSettings: {
    input_type: taskField(
      'string',
      'Whether the texts are documents to index (ingest) or queries (search). Default search.',
      ['text_embedding'],
      { enum: ['ingest', 'search'] },
    ),
    truncate: taskField('string', 'How over-long inputs are truncated.', ['text_embedding'], {
      enum: ['END', 'NONE', 'START'],
    }),
  },
  noTaskSettingsFor: ['chat_completion', 'completion', 'rerank'],
  notes: ['chat_completion is streaming only.'],
};
