import { apiKey, modelId, rateLimit } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const ai21: ServiceSpec = {
  name: 'ai21',
  title: 'AI21',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put',
  since: '9.2',
  taskTypes: [{ taskType: 'completion' }, { taskType: 'chat_completion' }],
  chunking: [],
  serviceSettings: {
    model_id: modelId('AI21 model, e.g. jamba-mini or jamba-large.'),
    // Optional in the spec; says DefaultSecretSettings usually requires it. Documented spec flag kept.
    api_key: apiKey({
      required: undefined,
      description: 'AI21 API key. Write-only: Elasticsearch never returns it.',
    }),
    // PR #142597 (opened 2026-02-17, before the 9.4 cut 2026-04-06) ⇒ 9.4.
    rate_limit: rateLimit(200, '9.4'),
  },
  taskSettings: {},
};
