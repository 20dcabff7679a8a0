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
export const huggingFace: ServiceSpec = {
  name: 'hugging_face',
  title: 'Hugging Face',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-hugging-face',
  since: '8.12',
  // Services Appendix A: the settings these task types need (model_id for completion/chat, the rerank task
  // settings) first appear in the 8.19 / 9.1 spec; the 8.18 / 9.0 spec has text_embedding settings only.
  taskTypes: [
    { taskType: 'chat_completion', since: ['8.19', '9.1'] },
    { taskType: 'completion', since: ['8.19', '9.1'] },
    { taskType: 'rerank', since: ['8.19', '9.1'] },
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
    // PR #147143 (opened 2026-04-22, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(3000, '9.5'),
    // The "(server)" fields are the text_embedding ones (: hugging_face text_embedding).
    // PR #147143 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', {
      taskTypes: ['text_embedding'],
      description:
        'Maximum number of tokens per input; longer inputs are truncated. Filled in with the model’s limit when known.',
      // the API docs marks "model token limit if known" as an inference.
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
