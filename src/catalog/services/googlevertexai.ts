import { apiKey, dimensions, modelId, rateLimit, taskField, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const googlevertexai: ServiceSpec = {
  name: 'googlevertexai',
  title: 'Google Vertex AI / Model Garden',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-googlevertexai',
  since: '8.15',
  taskTypes: [
    { taskType: 'chat_completion' },
    { taskType: 'completion' },
    { taskType: 'rerank' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['text_embedding'],
  serviceSettings: {
    service_account_json: apiKey({
      description:
        'Google Cloud service account key: the whole JSON key file as one string. Write-only: Elasticsearch never returns it.',
    }),
    provider: {
      type: 'string',
      enum: ['google', 'anthropic', 'meta', 'hugging_face', 'mistral', 'ai21'],
      since: '9.2',
      description:
        'Model provider (9.2+). google (the default) is Vertex AI; any other value is Model Garden, which serves ' +
        'completion and chat_completion only.',
      default: 'google',
      // A default value in the API docs, not among the documented server-filled values: not shown [I].
      storedWhenOmitted: false,
      updatable: 'never',
    },
    // Model Garden only; Model Garden serves completion and chat_completion only, hence the task types.
    url: url(
      'Model Garden endpoint URL (9.2+). Model Garden needs url or streaming_url; Vertex AI mode rejects it.',
      {
        since: '9.2',
        taskTypes: ['completion', 'chat_completion'],
      },
    ),
    streaming_url: url(
      'Model Garden streaming endpoint URL (9.2+). Model Garden needs url or streaming_url; Vertex AI mode rejects it.',
      { since: '9.2', taskTypes: ['completion', 'chat_completion'] },
    ),
    // Rerank has its own settings class (GoogleVertexAiRerankServiceSettings in Elasticsearch's source):
    // project_id required, model_id optional, no location, rate limit 300. The reference does not
    // split the service by task type; the source does.
    model_id: modelId(
      'Vertex AI model id. Required up to 9.1 (optional for rerank); from 9.2 required in Vertex AI mode only.',
      { required: { until: '9.1', taskTypes: ['text_embedding', 'completion', 'chat_completion'] } },
    ),
    project_id: {
      type: 'string',
      description:
        'Google Cloud project id. Always required for rerank; otherwise required up to 9.1 and, from 9.2, in Vertex AI mode.',
      required: [{ until: '9.1' }, { taskTypes: ['rerank'] }],
      updatable: 'never',
    },
    location: {
      type: 'string',
      schema: { minLength: 1 },
      description:
        'Google Cloud location (region). Required up to 9.1; from 9.2 optional (omitted → the global ' +
        'endpoint) and ignored by Model Garden. Must not be an empty string.',
      required: { until: '9.1' },
      taskTypes: ['text_embedding', 'completion', 'chat_completion'],
      updatable: 'never',
    },
    dimensions: dimensions({
      since: '9.2',
      taskTypes: ['text_embedding'],
      description: 'Output dimensions of the embeddings (9.2+). Defaults to the model’s own.',
    }),
    // The reference says "9.4 spec; ES 9.3": the server takes it from 9.3, so valid 9.3 input is not rejected.
    max_batch_size: {
      type: 'integer',
      minimum: 1,
      maximum: 250,
      since: '9.3',
      taskTypes: ['text_embedding'],
      description:
        'Maximum number of inputs per embedding request to Vertex AI (9.3+). Default and maximum 250.',
      default: 250,
      // A default value in the API docs, not among the documented server-filled values: not shown [I].
      storedWhenOmitted: false,
      updatable: 'never', // ?
    },
    // the API docs: 30000; Elasticsearch's rerank settings default to 300 (see model_id above). Not
    // updatable per the reference ("?").
    rate_limit: rateLimit(
      { text_embedding: 30000, completion: 30000, chat_completion: 30000, rerank: 300 },
      undefined,
    ),
  },
  taskSettings: {
    auto_truncate: taskField('boolean', 'Whether Vertex AI truncates over-long inputs automatically.', [
      'text_embedding',
    ]),
    top_n: taskField('integer', 'Number of most relevant documents to return.', ['rerank'], { minimum: 1 }),
    thinking_config: taskField(
      'object',
      'Thinking settings (9.2+): { thinking_budget: integer }, the token budget the model may spend on reasoning.',
      ['completion', 'chat_completion'],
      {
        since: '9.2',
        // The reference documents only thinking_budget; assumed strict like the rest of the request.
        schema: {
          type: 'object',
          properties: { thinking_budget: { type: 'integer' } },
          additionalProperties: false,
        },
      },
    ),
    // Default 1024 is applied for Model Garden anthropic requests; not known to be stored, so description only.
    max_tokens: taskField(
      'integer',
      'Maximum number of tokens to generate (9.2+). Model Garden provider anthropic only; default 1024.',
      ['completion', 'chat_completion'],
      { since: '9.2', minimum: 1 },
    ),
  },
  rules: [
    // provider defaults to google, so an omitted provider is Vertex AI mode.
    {
      kind: 'requiredWhen',
      field: 'model_id',
      when: { provider: 'google' },
      // Rerank's own settings class (GoogleVertexAiRerankServiceSettings) keeps model_id optional.
      taskTypes: ['text_embedding', 'completion', 'chat_completion'],
      message: 'model_id is required in Vertex AI mode (provider google or omitted)',
    },
    {
      kind: 'requiredWhen',
      field: 'project_id',
      when: { provider: 'google' },
      message: 'project_id is required in Vertex AI mode (provider google or omitted)',
    },
  ],
  notes: [
    'provider other than google (Model Garden, 9.2+) supports completion and chat_completion only; the rule kinds ' +
      'cannot express a provider restricted by task type.',
    'Model Garden (provider not google) needs at least one of url / streaming_url, and Vertex AI mode (provider ' +
      'google or omitted) forbids both; the rule kinds cannot express "≠ google" or a conditional at-least-one.',
    'location is ignored in Model Garden mode; when omitted in Vertex AI mode (9.2+) the global endpoint is used.',
  ],
};
