import { apiKey, dimensions, modelId, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const amazonbedrock: ServiceSpec = {
  name: 'amazonbedrock',
  title: 'Amazon Bedrock',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-amazonbedrock',
  since: '8.12',
  taskTypes: [
    // In the spec from the 9.4 branch (spec PR #5970, Jan 2026; ES PR #133697); lists it without a version.
    { taskType: 'chat_completion', since: '9.4' },
    { taskType: 'completion' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    access_key: apiKey({
      description:
        'AWS access key with permission to invoke Bedrock models. Write-only; on _update send it with secret_key.',
    }),
    secret_key: apiKey({
      description: 'AWS secret key paired with access_key. Write-only; on _update send both keys.',
    }),
    model: modelId(
      'Bedrock base model id or the ARN of a custom model or provisioned throughput (note: model, not model_id).',
    ),
    // "N (spec)": the reference gives only the spec's flag; left optional so valid input is never rejected.
    provider: {
      type: 'string',
      enum: ['amazontitan', 'anthropic', 'ai21labs', 'cohere', 'meta', 'mistral'],
      description:
        'Model provider. amazontitan: text_embedding, completion; cohere: text_embedding, completion, chat_completion; ' +
        'anthropic, ai21labs, meta, mistral: completion, chat_completion.',
      // the API docs; AmazonBedrockProviderCapabilities.providerAllowsTaskType (Elasticsearch source).
      valuesByTaskType: { text_embedding: ['amazontitan', 'cohere'] },
      updatable: 'never',
    },
    region: {
      type: 'string',
      description: 'AWS region the model or ARN is deployed in.',
      required: true,
      updatable: 'never',
    },
    // PR #144749 (opened 2026-03-23, before the 9.4 cut 2026-04-06) ⇒ 9.4; merge date not in the reference [I].
    rate_limit: rateLimit(240, '9.4'),
    // Appendix B / PR #144749: accepted by the server, immutable.
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    // the documented server-filled values; from Elasticsearch's source (AmazonBedrockProviderCapabilities
    // .getProviderDefaultSimilarityMeasure): cohere → dot_product, amazontitan and any other provider → cosine.
    similarity: similarity({
      taskTypes: ['text_embedding'],
      origin: 'server',
      description:
        'Similarity measure of the embeddings. Filled in when omitted: dot_product for the cohere provider, cosine otherwise.',
      default: 'cosine',
      defaultWhen: [{ when: { provider: 'cohere' }, value: 'dot_product' }],
    }),
  },
  taskSettings: {
    max_new_tokens: taskField('integer', 'Maximum number of output tokens to generate (default 64).', [
      'completion',
      'chat_completion',
    ]),
    temperature: taskField(
      'number',
      'Sampling temperature, 0.0–1.0; higher is more random. Use either temperature or top_p/top_k, not both.',
      ['completion', 'chat_completion'],
      { minimum: 0, maximum: 1 },
    ),
    top_k: taskField(
      'number',
      'Only sample from the top K options for each token (anthropic, cohere and mistral providers only).',
      ['completion', 'chat_completion'],
      // the API docs; AmazonBedrockProviderCapabilities.chatCompletionProviderHasTopKParameter.
      { onlyWhen: { provider: ['anthropic', 'cohere', 'mistral'] } },
    ),
    top_p: taskField(
      'number',
      'Nucleus sampling, 0.0–1.0: an alternative to temperature; do not set both.',
      ['completion', 'chat_completion'],
      { minimum: 0, maximum: 1 },
    ),
  },
  noTaskSettingsFor: ['text_embedding'],
  notes: [
    'text_embedding endpoints take no task settings ("Amazon Bedrock embeddings model cannot have task settings").',
    'Use either temperature or top_p/top_k, not both.',
    'The provider must support the task type: amazontitan/cohere for text_embedding.',
  ],
};
