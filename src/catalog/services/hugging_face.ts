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

/** Reference: elasticsearch-inference-services.md §3.18. */
export const huggingFace: ServiceSpec = {
  name: 'hugging_face',
  title: 'Hugging Face',
  reference: '§3.18',
  since: '8.12',
  taskTypes: [
    { taskType: 'chat_completion' },
    { taskType: 'completion' },
    { taskType: 'rerank' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({
      description: 'Hugging Face access token. Write-only: Elasticsearch never returns it.',
    }),
    url: url(
      'URL of the Hugging Face inference endpoint. For completion and chat_completion it must include ' +
        '/v1/chat/completions.',
      { required: true },
    ),
    model_id: modelId('Model id sent to the endpoint (8.19 / 9.1+). Must not be set for text_embedding.', {
      required: undefined,
      since: ['8.19', '9.1'],
    }),
    rate_limit: rateLimit(3000, '9.4'),
    // The "(server)" fields are the text_embedding ones (api reference §4: hugging_face text_embedding).
    max_input_tokens: maxInputTokens('9.4', {
      taskTypes: ['text_embedding'],
      description:
        'Maximum number of tokens per input; longer inputs are truncated. Filled in with the model’s limit when known.',
      // api reference §4 marks "model token limit if known" as an inference.
      serverFilled: true,
      origin: 'server',
    }),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description: 'Similarity measure of the embeddings. Elasticsearch fills in cosine when omitted.',
      default: 'cosine',
      origin: 'server',
    }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {
    return_documents: taskField('boolean', 'Return the document text with each rerank result.', ['rerank']),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
  },
  noTaskSettingsFor: ['chat_completion', 'completion', 'text_embedding'],
  rules: [
    {
      kind: 'forbiddenFor',
      field: 'model_id',
      taskTypes: ['text_embedding'],
      message: 'model_id must not be set for a text_embedding endpoint: the request to Hugging Face fails',
    },
  ],
  notes: [
    'For completion and chat_completion the url must include /v1/chat/completions; the rule kinds cannot ' +
      'express a per-task-type URL pattern.',
  ],
};
