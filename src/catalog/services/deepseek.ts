import { apiKey, modelId, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const deepseek: ServiceSpec = {
  name: 'deepseek',
  title: 'DeepSeek',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-deepseek',
  since: ['8.19', '9.1'],
  taskTypes: [{ taskType: 'completion' }, { taskType: 'chat_completion' }],
  chunking: [],
  serviceSettings: {
    api_key: apiKey({ description: 'DeepSeek API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('DeepSeek model to use.'),
    // ? marks url's updatability "?" (no updateServiceSettings PR found for deepseek): create-time only.
    url: url('Override of the DeepSeek URL (default https://api.deepseek.com/chat/completions).'),
  },
  taskSettings: {},
  notes: ['No rate_limit: the service takes none.'],
};
