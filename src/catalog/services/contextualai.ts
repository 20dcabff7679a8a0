import { apiKey, modelId, rateLimit, taskField } from '../common.js';
import type { ServiceSpec } from '../types.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const contextualai: ServiceSpec = {
  name: 'contextualai',
  title: 'Contextual AI',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-contextualai',
  since: '9.2',
  taskTypes: [{ taskType: 'rerank' }],
  chunking: [],
  serviceSettings: {
    api_key: apiKey({ description: 'Contextual AI API key. Write-only: Elasticsearch never returns it.' }),
    model_id: modelId('Contextual AI rerank model.'),
    // "M26 (common settings update)" per the API docs, which names no PR: kept at 9.4 ("≈9.4+") [I].
    rate_limit: rateLimit(1000, '9.4'),
  },
  taskSettings: {
    instruction: taskField('string', 'Instruction that guides how the reranker ranks the documents.', [
      'rerank',
    ]),
    top_k: taskField('integer', 'Number of most relevant documents to return.', ['rerank']),
  },
};
