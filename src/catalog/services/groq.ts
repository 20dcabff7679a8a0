import { apiKey, modelId, rateLimit, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Reference: elasticsearch-inference-services.md §3.17. */
export const groq: ServiceSpec = {
  name: 'groq',
  title: 'Groq',
  reference: '§3.17',
  since: '9.3',
  taskTypes: [{ taskType: 'chat_completion' }],
  chunking: [],
  serviceSettings: {
    model_id: modelId('Groq model id.'),
    // Optional in the spec (§3.17, §5); followed here so that valid input is never rejected.
    api_key: apiKey({
      required: undefined,
      description: 'Groq API key. Write-only: Elasticsearch never returns it.',
    }),
    rate_limit: rateLimit(1000, '9.4'),
    organization_id: {
      type: 'string',
      description: 'Groq organization id.',
      updatable: { since: '9.4' },
      origin: 'server',
    },
    url: url('Override of the Groq API URL.', { origin: 'server' }),
  },
  taskSettings: {},
};
