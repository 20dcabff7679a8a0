import { apiKey, dimensions, rateLimit, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const azureopenai: ServiceSpec = {
  name: 'azureopenai',
  title: 'Azure OpenAI',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-azureopenai',
  since: '8.14',
  taskTypes: [
    { taskType: 'completion' },
    // Streaming only. In the spec from the 9.3 branch (ES PR #138726, Nov 2025); lists it without a version.
    { taskType: 'chat_completion', since: '9.3' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    api_key: apiKey({
      required: undefined,
      description:
        'Azure OpenAI API key. Set exactly one of api_key, entra_id or client_secret (9.4+). Write-only.',
    }),
    entra_id: apiKey({
      required: undefined,
      description: 'Microsoft Entra ID token, instead of api_key or client_secret. Write-only.',
    }),
    client_secret: apiKey({
      required: undefined,
      since: '9.4',
      description:
        'OAuth2 client-credentials secret (9.4+), instead of api_key or entra_id; needs client_id, scopes and tenant_id. Write-only.',
    }),
    // ? marks the OAuth2 fields "M26?" (s OAuth2 non-secret fields as mutable, unconfirmed): create-time only.
    client_id: { type: 'string', since: '9.4', description: 'OAuth2 client id (9.4+).', updatable: 'never' },
    // ? "M26?" as above.
    scopes: {
      type: 'string_array',
      since: '9.4',
      description: 'OAuth2 scopes (9.4+), e.g. https://cognitiveservices.azure.com/.default.',
      updatable: 'never',
    },
    // ? "M26?" as above.
    tenant_id: {
      type: 'string',
      since: '9.4',
      description: 'OAuth2 (Entra) tenant id (9.4+).',
      updatable: 'never',
    },
    api_version: {
      type: 'string',
      description: 'Azure OpenAI API version to call.',
      required: true,
      updatable: 'never',
    },
    deployment_id: {
      type: 'string',
      description: 'Name of the model deployment in Azure OpenAI Studio.',
      required: true,
      updatable: 'never',
    },
    resource_name: {
      type: 'string',
      description: 'Name of the Azure OpenAI resource.',
      required: true,
      updatable: 'never',
    },
    // PR #145233 (opened 2026-03-30, before the 9.4 cut 2026-04-06) ⇒ 9.4; merge date not in the reference [I].
    rate_limit: rateLimit({ text_embedding: 1440, completion: 120, chat_completion: 120 }, '9.4'),
    // Appendix B / PR #145233: accepted by the server, immutable.
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
    similarity: similarity({
      taskTypes: ['text_embedding'],
      origin: 'server',
      default: 'dot_product',
      description: 'Similarity measure of the embeddings (default dot_product, filled in by Elasticsearch).',
    }),
  },
  taskSettings: {
    user: taskField('string', 'End-user identifier sent to Azure OpenAI for abuse monitoring.'),
    headers: taskField('string_map', 'Extra HTTP headers sent with each request (9.4+).', undefined, {
      since: '9.4',
    }),
  },
  rules: [
    {
      kind: 'exactlyOne',
      fields: ['api_key', 'entra_id', 'client_secret'],
      message: 'set exactly one of api_key, entra_id or client_secret (OAuth2, 9.4+)',
      // AzureOpenAiSecretSettings.fromMap (Elasticsearch source): one text for neither key, one for both. 9.4 added
      // client_secret; its wording is not known, so from 9.4 `message` is used [I].
      serverMessage: '[secret_settings] must have only one of the [api_key] or the [entra_id] key set',
      serverMessageNone: '[secret_settings] must have either the [api_key] or the [entra_id] key set',
      serverMessageUntil: '9.3',
      // 9.5's wording; 9.4's is not known [I].
      serverMessageFrom: {
        since: '9.5',
        text: '[service_settings] must have exactly one field of [api_key, entra_id, client_secret] set',
      },
    },
    {
      kind: 'allOrNone',
      fields: ['client_secret', 'client_id', 'scopes', 'tenant_id'],
      message: 'OAuth2 needs client_secret, client_id, scopes and tenant_id together',
    },
  ],
  notes: ['chat_completion endpoints can only be used with streaming.'],
};
