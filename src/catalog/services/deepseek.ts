import { apiKey, modelId, url } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Reference: elasticsearch-inference-services.md §3.11. */
export const deepseek: ServiceSpec = {
  name: 'deepseek',
  title: 'DeepSeek',
  reference: '§3.11',
  since: ['8.19', '9.1'],
  taskTypes: [{ taskType: 'completion' }, { taskType: 'chat_completion' }],
  chunking: [],
  serviceSettings: {
    api_key: apiKey({ description: 'DeepSeek API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('DeepSeek model to use.'),
    // ? §3.11 marks url's updatability "?" (no updateServiceSettings PR found for deepseek): create-time only.
    url: url('Override of the DeepSeek URL (default https://api.deepseek.com/chat/completions).'),
  },
  taskSettings: {},
  notes: ['No rate_limit: the service takes none.'],
};
