import { apiKey, dimensions, maxInputTokens, similarity, taskField, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const custom: ServiceSpec = {
  name: 'custom',
  title: 'Custom HTTP service',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-custom',
  since: ['8.19', '9.1'],
  taskTypes: [
    { taskType: 'text_embedding' },
    { taskType: 'sparse_embedding' },
    { taskType: 'rerank' },
    { taskType: 'completion' },
  ],
  chunking: ['sparse_embedding', 'text_embedding'],
  // Every mutable field below: PR #146242 (opened 2026-04-14, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api
  // reference's dating rule [I].
  serviceSettings: {
    secret_parameters: apiKey({
      type: 'string_map',
      description:
        'Secret values (API keys, tokens) usable as ${key} templates in url, headers, query_parameters and request. ' +
        'Write-only; _update replaces the whole map.',
    }),
    // "N (spec)": the reference gives only the spec's flag; left optional so valid input is never rejected.
    url: url('URL the requests are sent to.', { updatable: { since: '9.5' } }),
    headers: {
      type: 'string_map',
      description:
        'HTTP headers sent with each request; may use templates, e.g. Authorization: Bearer ${api_key}.',
      updatable: { since: '9.5' },
    },
    query_parameters: {
      type: 'object',
      description: 'Query parameters as [key, value] pairs (a key may repeat), appended to url in order.',
      schema: {
        type: 'array',
        items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
      },
      updatable: { since: '9.5' },
    },
    request: {
      type: 'object',
      description:
        'Request body template as a JSON string, e.g. "{\\"input\\": ${input}}". Older clusters read the object form {content: "…"}.',
      required: true,
      // The spec class is {content}; spec examples and newer server source use a plain string: both accepted.
      schema: {
        oneOf: [
          { type: 'string' },
          {
            type: 'object',
            properties: { content: { type: 'string' } },
            required: ['content'],
            additionalProperties: false,
          },
        ],
      },
      updatable: { since: '9.5' },
    },
    response: {
      type: 'object',
      description:
        'How to read the provider’s response: json_parser maps result fields to JSON paths. text_embedding: ' +
        'text_embeddings (+ embedding_type); sparse_embedding: token_path, weight_path; rerank: relevance_score ' +
        '(+ reranked_index, document_text); completion: completion_result.',
      required: true,
      schema: {
        type: 'object',
        properties: {
          json_parser: {
            type: 'object',
            properties: {
              text_embeddings: { type: 'string' },
              embedding_type: { enum: ['float', 'byte', 'bit', 'binary'] },
              token_path: { type: 'string' },
              weight_path: { type: 'string' },
              reranked_index: { type: 'string' },
              relevance_score: { type: 'string' },
              document_text: { type: 'string' },
              completion_result: { type: 'string' },
            },
            // The reference types json_parser as map<string,string> and does not say whether other keys are rejected.
            additionalProperties: { type: 'string' },
          },
        },
        required: ['json_parser'],
        additionalProperties: false,
      },
      updatable: { since: '9.5' },
    },
    input_type: {
      type: 'object',
      description:
        'Values substituted for ${input_type}: translation maps the request context (classification, clustering, ' +
        'ingest, search) to a value; default is used for any other context (empty string when absent).',
      schema: {
        type: 'object',
        properties: {
          translation: {
            type: 'object',
            properties: {
              classification: { type: 'string' },
              clustering: { type: 'string' },
              ingest: { type: 'string' },
              search: { type: 'string' },
            },
            additionalProperties: false,
          },
          default: { type: 'string' },
        },
        additionalProperties: false,
      },
      updatable: { since: '9.5' },
    },
    batch_size: {
      type: 'integer',
      minimum: 1,
      description:
        'Maximum number of inputs per request to the service when ingesting semantic_text (default 10).',
      default: 10,
      // A default value in the API docs, not among the documented server-filled values: not shown [I].
      storedWhenOmitted: false,
      updatable: { since: '9.5' },
    },
    // Appendix B / PR #146242: accepted by the server; no default.
    rate_limit: {
      type: 'rate_limit',
      description: 'Requests per minute Elasticsearch sends to the service. No default is documented.',
      updatable: { since: '9.5' },
      origin: 'server',
    },
    max_input_tokens: maxInputTokens('9.5', { origin: 'server' }),
    // No default: the API docs does not list custom among the services that fill similarity [I].
    similarity: similarity({ taskTypes: ['text_embedding'], origin: 'server' }),
    dimensions: dimensions({ taskTypes: ['text_embedding'], origin: 'server' }),
  },
  taskSettings: {
    parameters: taskField(
      'object',
      'Extra values usable as ${key} templates in the request. Keys must not repeat secret_parameters keys.',
      undefined,
      { schema: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } },
    ),
  },
  notes: [
    'task_settings.parameters keys must not collide with secret_parameters keys (rejected on PUT and on inference).',
    'Templates: ${input}, ${input_type}, ${query}, ${top_n}, ${return_documents}, plus secret_parameters and ' +
      'parameters keys; a template left unresolved is an error.',
    'secret_parameters is one secret: an _update replaces the whole map.',
  ],
};
