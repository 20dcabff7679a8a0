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
export const openai: ServiceSpec = {
  name: 'openai',
  title: 'OpenAI',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-openai',
  since: '8.12',
  taskTypes: [
    { taskType: 'text_embedding' },
    { taskType: 'completion' },
    { taskType: 'chat_completion' },
    // Listed in the spec on main only; 9.4 is when the `embedding` task type arrived.
    { taskType: 'embedding', since: '9.4' },
  ],
  chunking: ['text_embedding', 'embedding'],
  serviceSettings: {
    api_key: apiKey({
      required: { until: '9.4' },
      description:
        'OpenAI API key. From 9.5 you may use OAuth2 (client_secret) instead: exactly one of the two.',
    }),
    client_secret: apiKey({
      required: undefined,
      since: '9.5',
      description: 'OAuth2 client secret (9.5+), with client_id, scopes and token_url.',
    }),
    client_id: {
      type: 'string',
      since: '9.5',
      description: 'OAuth2 client id (9.5+).',
      updatable: { since: '9.5' },
    },
    scopes: {
      type: 'string_array',
      since: '9.5',
      description: 'OAuth2 scopes (9.5+).',
      updatable: { since: '9.5' },
    },
    token_url: {
      type: 'string',
      since: '9.5',
      description: 'OAuth2 token URL (9.5+).',
      updatable: { since: '9.5' },
    },
    model_id: modelId('OpenAI model, e.g. text-embedding-3-small or gpt-4o.'),
    organization_id: {
      type: 'string',
      description: 'OpenAI organization id, sent as the OpenAI-Organization header.',
      // PR #147465 (opened 2026-04-24, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
      updatable: { since: '9.5' },
    },
    dimensions: dimensions({
      taskTypes: ['text_embedding', 'embedding'],
      description: 'Output dimensions (text-embedding-3 and later only). Defaults to the model’s own.',
    }),
    similarity: similarity({
      taskTypes: ['text_embedding', 'embedding'],
      default: 'dot_product',
      serverFilled: true,
    }),
    url: url(
      'Override of the OpenAI URL (default https://api.openai.com/v1/embeddings or …/v1/chat/completions).',
    ),
    // PR #147465 (opened 2026-04-24, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(
      { text_embedding: 3000, embedding: 3000, completion: 500, chat_completion: 500 },
      '9.5',
    ),
    // PR #147465 ⇒ 9.5 [I], as rate_limit.
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
  },
  taskSettings: {
    user: taskField('string', 'End-user identifier sent to OpenAI for abuse monitoring.'),
    headers: taskField('string_map', 'Extra HTTP headers sent with each request (9.2+).', undefined, {
      since: '9.2',
    }),
  },
  rules: [
    {
      kind: 'exactlyOne',
      fields: ['api_key', 'client_secret'],
      message: 'set exactly one of api_key or client_secret (OAuth2, 9.5+)',
      serverMessageFrom: {
        since: '9.5',
        text: '[service_settings] must have exactly one field of [api_key, client_secret] set',
      },
    },
    {
      kind: 'allOrNone',
      fields: ['client_secret', 'client_id', 'scopes', 'token_url'],
      message: 'OAuth2 needs client_secret, client_id, scopes and token_url together',
    },
  ],
};
