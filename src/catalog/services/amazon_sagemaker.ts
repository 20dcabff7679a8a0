import { apiKey, dimensions, similarity, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const amazonSagemaker: ServiceSpec = {
  name: 'amazon_sagemaker',
  title: 'Amazon SageMaker',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-amazonsagemaker',
  since: ['8.19', '9.1'],
  taskTypes: [
    { taskType: 'chat_completion' },
    { taskType: 'completion' },
    { taskType: 'rerank' },
    { taskType: 'sparse_embedding' },
    { taskType: 'text_embedding' },
  ],
  chunking: ['sparse_embedding', 'text_embedding'],
  serviceSettings: {
    access_key: apiKey({
      description:
        'AWS access key with permission to invoke the SageMaker endpoint. Write-only; on _update send it with secret_key.',
    }),
    secret_key: apiKey({
      description: 'AWS secret key paired with access_key. Write-only; on _update send both keys.',
    }),
    endpoint_name: {
      type: 'string',
      description: 'Name of the SageMaker endpoint to invoke.',
      required: true,
      updatable: 'never',
    },
    api: {
      type: 'string',
      enum: ['openai', 'elastic'],
      description:
        'Request/response format Elasticsearch uses with the endpoint: openai (OpenAI-compatible) or elastic ' +
        '(Elastic’s own format).',
      required: true,
      updatable: 'never',
    },
    region: {
      type: 'string',
      description: 'AWS region the endpoint is deployed in.',
      required: true,
      updatable: 'never',
    },
    // The spec lists similarity/element_type in the generic settings only from 9.5 (before: in the `elastic` API's
    // settings class); both are documented for text_embedding only.
    // No default: the API docs does not list amazon_sagemaker among the services that fill similarity [I].
    similarity: similarity({
      taskTypes: ['text_embedding'],
      description:
        'Similarity measure of the embeddings. Required when api is elastic; otherwise filled in by Elasticsearch.',
    }),
    element_type: {
      type: 'string',
      enum: ['byte', 'float', 'bit'],
      taskTypes: ['text_embedding'],
      description:
        'Data type of the embeddings the model returns, used to parse the response. Required when api is elastic.',
      updatable: 'never',
    },
    target_model: {
      type: 'string',
      description: 'Model to invoke on a multi-model endpoint.',
      updatable: 'never',
    },
    target_container_hostname: {
      type: 'string',
      description: 'Container to invoke directly on a multi-container endpoint.',
      updatable: 'never',
    },
    inference_component_name: {
      type: 'string',
      description: 'Inference component to invoke directly on a multi-component endpoint.',
      updatable: 'never',
    },
    batch_size: {
      type: 'integer',
      minimum: 1,
      description:
        'Maximum number of inputs per call to the endpoint when ingesting semantic_text (default 256).',
      default: 256,
      // A default value in the API docs, not among the documented server-filled values: not shown [I].
      storedWhenOmitted: false,
      // PR #147597 (opened 2026-04-27, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
      updatable: { since: '9.5' },
    },
    dimensions: dimensions({
      taskTypes: ['text_embedding'],
      description:
        'Number of dimensions of the embeddings. When omitted Elasticsearch learns it by calling the endpoint.',
    }),
  },
  taskSettings: {
    custom_attributes: taskField(
      'string',
      'AWS custom attributes passed verbatim to the model; returned in the X-elastic-sagemaker-custom-attributes header.',
    ),
    enable_explanations: taskField(
      'string',
      'JMESPath expression overriding the EnableExplanations set when the SageMaker endpoint was created.',
    ),
    inference_id: taskField('string', 'Capture-data id, when data capture is enabled on the endpoint.'),
    session_id: taskField('string', 'Stateful session id, for a new or an existing session.'),
    target_variant: taskField('string', 'Variant to invoke on a multi-variant endpoint.'),
    user: taskField('string', 'End-user identifier sent with OpenAI-format requests (api openai only).'),
  },
  rules: [
    {
      kind: 'requiredWhen',
      field: 'similarity',
      when: { api: 'elastic' },
      taskTypes: ['text_embedding'],
      message: 'similarity is required when api is elastic and the task type is text_embedding',
    },
    {
      kind: 'requiredWhen',
      field: 'element_type',
      when: { api: 'elastic' },
      taskTypes: ['text_embedding'],
      message: 'element_type is required when api is elastic and the task type is text_embedding',
    },
  ],
  notes: [
    'No rate_limit: the service takes none.',
    'task_settings.user applies to api openai only. With api elastic, arbitrary task-settings keys are allowed at ' +
      'inference time but not when creating the endpoint.',
  ],
};
