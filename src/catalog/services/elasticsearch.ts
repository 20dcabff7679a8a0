import { taskField } from '../common.js';
import type { FieldSpec, Rule, ServiceSpec } from '../types.js';

/** `num_threads`: a power of two up to 32. Create-time only. */
export const numThreads: FieldSpec = {
  type: 'integer',
  schema: { enum: [1, 2, 4, 8, 16, 32], 'x-message': 'num_threads must be a power of two from 1 to 32' },
  description:
    'Threads per allocation: a power of two up to 32. 1 favours ingest throughput, more favours search latency. ' +
    'Cannot be changed after creation.',
  required: true,
  updatable: 'never',
};

export const numAllocations: FieldSpec = {
  type: 'integer',
  minimum: 1,
  description:
    'Fixed number of model allocations. Set this or adaptive_allocations, not both. Under adaptive ' +
    'allocations Elasticsearch reports the live count here.',
  serverFilled: true,
  updatable: 'allocation',
};

export const adaptiveAllocations: FieldSpec = {
  type: 'adaptive_allocations',
  description: 'Let Elasticsearch scale allocations with load between a minimum and a maximum.',
  updatable: 'allocation',
};

export const allocationRules: readonly Rule[] = [
  {
    kind: 'atLeastOne',
    fields: ['num_allocations', 'adaptive_allocations'],
    unless: 'deployment_id',
    message:
      '[service_settings] does not contain one of the required settings [num_allocations, adaptive_allocations]',
  },
  {
    kind: 'notWithAdaptive',
    field: 'num_allocations',
    message: 'num_allocations cannot be set while adaptive_allocations.enabled is true',
    serverMessage: '[number_of_allocations] cannot be set if adaptive allocations is enabled',
  },
];

/** Evidence: Elasticsearch's source and the API page in `reference`; see docs/fidelity/elasticsearch.md. */
export const elasticsearch: ServiceSpec = {
  name: 'elasticsearch',
  title: 'Elasticsearch (in-cluster trained models: ELSER, E5, rerank, Eland)',
  reference:
    'https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-inference-put-elasticsearch',
  since: '8.13',
  inCluster: true,
  taskTypes: [{ taskType: 'rerank' }, { taskType: 'sparse_embedding' }, { taskType: 'text_embedding' }],
  chunking: ['sparse_embedding', 'text_embedding'],
  serviceSettings: {
    model_id: {
      type: 'string',
      description:
        'Trained model: .elser_model_2, .elser_model_2_linux-x86_64, .multilingual-e5-small(_linux-x86_64), ' +
        '.rerank-v1, or an Eland-uploaded model. Must differ from the endpoint id.',
      required: { unless: 'deployment_id' },
      updatable: 'never',
    },
    deployment_id: {
      type: 'string',
      since: '8.16',
      description:
        'Attach to an existing trained-model deployment instead of starting one; allocations then come from it.',
      updatable: 'never',
      // the API docs table: with deployment_id, GET copies these from the deployment.
      implies: ['model_id', 'num_threads', 'num_allocations', 'adaptive_allocations'],
    },
    num_threads: { ...numThreads, required: { unless: 'deployment_id' } },
    num_allocations: numAllocations,
    // On endpoints from 8.16 (ElasticsearchInternalServiceSettings); 8.15 needs num_allocations.
    adaptive_allocations: { ...adaptiveAllocations, since: '8.16' },
    long_document_strategy: {
      type: 'string',
      enum: ['truncate', 'chunk'],
      since: '9.2',
      taskTypes: ['rerank'],
      description: 'Rerank only (experimental): truncate long documents or chunk them (default truncate).',
      updatable: 'never',
    },
    max_chunks_per_doc: {
      type: 'integer',
      minimum: 1,
      since: '9.2',
      taskTypes: ['rerank'],
      description: 'Rerank only (experimental), with long_document_strategy chunk: chunks per document.',
      updatable: 'never',
    },
    dimensions: {
      type: 'integer',
      minimum: 1,
      taskTypes: ['text_embedding'],
      description: 'Filled in by Elasticsearch for Eland text-embedding models.',
      serverFilled: true,
      updatable: 'never',
      origin: 'server',
    },
    similarity: {
      type: 'string',
      enum: ['cosine', 'dot_product', 'l2_norm'],
      taskTypes: ['text_embedding'],
      description: 'Filled in by Elasticsearch for Eland text-embedding models.',
      serverFilled: true,
      updatable: 'never',
      origin: 'server',
    },
    element_type: {
      type: 'string',
      enum: ['byte', 'float', 'bit'],
      taskTypes: ['text_embedding'],
      description: 'Filled in by Elasticsearch for Eland text-embedding models.',
      serverFilled: true,
      updatable: 'never',
      origin: 'server',
    },
  },
  taskSettings: {
    // the API docs ("elasticsearch rerank: task_settings {return_documents: true} default"), the API docs:
    // CustomElandRerankTaskSettings.defaultsFromMap stores true when the key (or the whole map) is absent.
    return_documents: taskField(
      'boolean',
      'Return the document text with each rerank result (default true).',
      ['rerank'],
      { default: true },
    ),
  },
  rules: allocationRules,
  notes: [
    'model_id may be left out when deployment_id names an existing deployment; num_threads likewise.',
    'The endpoint id must not equal the model_id or an existing deployment id.',
  ],
};
