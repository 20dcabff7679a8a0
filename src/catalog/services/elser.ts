import type { ServiceSpec } from '../types.js';
import { adaptiveAllocations, allocationRules, numAllocations, numThreads } from './elasticsearch.js';

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md (deprecated in 8.16: use `elasticsearch`). */
export const elser: ServiceSpec = {
  name: 'elser',
  title: 'ELSER (deprecated: use the elasticsearch service with model_id .elser_model_2)',
  reference: 'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-elser',
  since: '8.11',
  deprecated: { since: '8.16', use: 'elasticsearch' },
  storedAs: { service: 'elasticsearch', since: '8.16' },
  inCluster: true,
  taskTypes: [{ taskType: 'sparse_embedding' }],
  chunking: ['sparse_embedding'],
  maxChunkSize: 300,
  serviceSettings: {
    num_allocations: numAllocations,
    num_threads: numThreads,
    adaptive_allocations: { ...adaptiveAllocations, since: '8.16' }, // 8.15 endpoints need num_allocations
  },
  taskSettings: {},
  rules: allocationRules,
  notes: [
    'Stored and returned as service "elasticsearch" with the platform ELSER model_id from 8.16; inferctl ' +
      'compares such an endpoint with this manifest without a diff.',
  ],
};
