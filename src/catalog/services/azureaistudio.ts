import { apiKey, dimensions, maxInputTokens, rateLimit, similarity, taskField, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const azureaistudio: ServiceSpec = {
  name: 'azureaistudio',
  title: 'Azure AI Studio / Azure AI Foundry',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-azureaistudio',
  since: '8.14',
  taskTypes: [
    { taskType: 'completion' },
    // The rerank task type arrived with its task settings: in the spec from the 9.2 branch (spec PR #4953, Jul 2025).
    { taskType: 'rerank', since: '9.2' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({
      description: 'Azure AI Studio deployment API key. Write-only: Elasticsearch never returns it.',
    }),
    endpoint_type: {
      type: 'string',
      enum: ['token', 'realtime'],
      description: 'Deployment type: token (pay-as-you-go) or realtime (a real-time endpoint).',
      required: true,
      updatable: 'never',
    },
    target: url('Target URL of the deployment, from its overview page in Azure AI Studio.', {
      required: true,
    }),
    provider: {
      type: 'string',
      enum: ['cohere', 'databricks', 'meta', 'microsoft_phi', 'mistral', 'openai'],
      description:
        'Model provider. cohere: text_embedding, rerank, completion; openai: text_embedding, completion; ' +
        'databricks, meta, microsoft_phi, mistral: completion only.',
      required: true,
      // the API docs; AzureAiStudioService.checkProviderAndEndpointTypeForTask (Elasticsearch source). Its
      // endpoint-type checks per provider are not in the reference and are not modelled.
      valuesByTaskType: { text_embedding: ['cohere', 'openai'], rerank: ['cohere'] },
      updatable: 'never',
    },
    // PR #144812 (opened 2026-03-23, before the 9.4 cut 2026-04-06) ⇒ 9.4; merge date not in the reference [I].
    rate_limit: rateLimit(240, '9.4'),
    // Appendix B / PR #144812: accepted by the server, immutable.
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    // No default: the API docs does not list azureaistudio among the services that fill similarity [I].
    similarity: similarity({ taskTypes: ['text_embedding'], origin: 'server' }),
    // lists it as "max_input_tokens?" (unsure) in the same immutable server row: accepted, create-time only.
    max_input_tokens: maxInputTokens(undefined, { origin: 'server' }),
  },
  taskSettings: {
    do_sample: taskField('number', 'Whether to use sampling when generating (completion).', ['completion']),
    max_new_tokens: taskField('integer', 'Maximum number of tokens to generate (completion).', [
      'completion',
    ]),
    temperature: taskField(
      'number',
      'Sampling temperature, 0.0–2.0; higher is more random. Do not set both temperature and top_p.',
      ['completion'],
      { minimum: 0, maximum: 2 },
    ),
    top_p: taskField(
      'number',
      'Nucleus sampling, 0.0–2.0: an alternative to temperature; do not set both.',
      ['completion'],
      { minimum: 0, maximum: 2 },
    ),
    user: taskField('string', 'End-user identifier sent with embedding requests, for abuse monitoring.', [
      'text_embedding',
    ]),
    return_documents: taskField(
      'boolean',
      'Return the document text with each rerank result (9.2+).',
      ['rerank'],
      {
        since: '9.2',
      },
    ),
    top_n: taskField(
      'integer',
      'Number of most relevant documents to return (default: all of them; 9.2+).',
      ['rerank'],
      {
        since: '9.2',
      },
    ),
  },
  notes: [
    'The provider must support the task type: cohere or openai for text_embedding, cohere for rerank.',
    'For completion, set either temperature or top_p, not both.',
  ],
};
