import { apiKey, modelId, rateLimit, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const anthropic: ServiceSpec = {
  name: 'anthropic',
  title: 'Anthropic',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-anthropic',
  // AnthropicService arrived with PR #109893 (8.15), completion only.
  since: '8.15',
  taskTypes: [
    { taskType: 'completion' },
    // Streaming only. In the spec from the 9.5 branch (ES PR #148539, May 2026); lists it without a version.
    { taskType: 'chat_completion', since: '9.5' },
  ],
  chunking: [],
  serviceSettings: {
    api_key: apiKey({ description: 'Anthropic API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('Anthropic model used for the completions (an Anthropic model name).'),
    // ? marks rate_limit's updatability "?" (no updateServiceSettings PR found for anthropic).
    rate_limit: rateLimit(50, undefined),
  },
  taskSettings: {
    max_tokens: taskField(
      'integer',
      'Maximum number of tokens to generate before stopping. Required.',
      undefined,
      {
        required: true,
      },
    ),
    temperature: taskField(
      'number',
      'Amount of randomness in the response. Do not set both temperature and top_p.',
    ),
    top_k: taskField('integer', 'Only sample from the top K options for each subsequent token.'),
    top_p: taskField('number', 'Nucleus sampling: an alternative to temperature; do not set both.'),
  },
  notes: [
    'task_settings.max_tokens is required, so every anthropic endpoint needs task_settings.',
    'chat_completion endpoints can only be used with streaming.',
  ],
};
