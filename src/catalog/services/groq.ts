import { apiKey, modelId, rateLimit, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const groq: ServiceSpec = {
  name: 'groq',
  title: 'Groq',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-groq',
  since: '9.3',
  taskTypes: [{ taskType: 'chat_completion' }],
  chunking: [],
  serviceSettings: {
    model_id: modelId('Groq model id.'),
    // Optional in the spec; followed here so that valid input is never rejected.
    api_key: apiKey({
      required: undefined,
      description: 'Groq API key. Write-only: Elasticsearch never returns it.',
    }),
    // PR #146981 (opened 2026-04-21, after the 9.4 cut 2026-04-06) ⇒ 9.5 by the api reference's dating rule [I].
    rate_limit: rateLimit(1000, '9.5'),
    organization_id: {
      type: 'string',
      description: 'Groq organization id.',
      // PR #146981 ⇒ 9.5 [I], as rate_limit.
      updatable: { since: '9.5' },
      origin: 'server',
    },
    url: url('Override of the Groq API URL.', { origin: 'server' }),
  },
  taskSettings: {},
};
