import { dimensions, maxInputTokens, modelId, rateLimit, similarity } from '../common.js';
import type { ServiceSpec, TaskType } from '../types.js';

const DENSE: readonly TaskType[] = ['text_embedding', 'embedding'];

/**
 * The Elastic Inference Service (EIS): models hosted by Elastic, reached from Elastic Cloud over mTLS or from a
 * self-managed cluster through Cloud Connect. Nothing write-only (no user secrets), no task settings, and no
 * per-endpoint rate limit (enforced by EIS itself). Sources: x-pack/plugin/inference `services/elastic/*`
 * (`ElasticInferenceService`), PRs #120847 (chat_completion), #122066/#130336 (ELSER on EIS), #137028/#137030/#137205
 * (dense embeddings, rerank), #137677 (completion), #141547 (embedding), #141185 (max_batch_size), #133845
 * (rate_limit refused). See docs/fidelity/elasticsearch.md, "Elastic Inference Service, built-in endpoints and Serverless".
 */
export const elastic: ServiceSpec = {
  name: 'elastic',
  title: 'Elastic Inference Service',
  reference:
    'https://github.com/elastic/elasticsearch/tree/main/x-pack/plugin/inference/src/main/java/org/elasticsearch/xpack/inference/services/elastic',
  since: ['8.18', '9.0'],
  taskTypes: [
    { taskType: 'chat_completion' },
    { taskType: 'sparse_embedding' },
    { taskType: 'text_embedding', since: ['8.19', '9.1'] },
    { taskType: 'rerank', since: '9.2' },
    { taskType: 'completion', since: '9.3' },
    { taskType: 'embedding', since: '9.4' },
  ],
  chunking: ['sparse_embedding', 'text_embedding', 'embedding'],
  serviceSettings: {
    model_id: modelId('EIS model id (e.g. elser_model_2, jina-embeddings-v5-text-small, rainbow-sprinkles).'),
    max_input_tokens: maxInputTokens(undefined),
    similarity: similarity({
      taskTypes: DENSE,
      description: 'Similarity measure of the embeddings. Filled in from the EIS model when omitted.',
    }),
    dimensions: dimensions({
      taskTypes: DENSE,
      description: 'Number of dimensions of the embeddings. Filled in from the EIS model when omitted.',
    }),
    // PR #141185 (9.2.5 and later lines): at most 1024 inputs per request to EIS.
    max_batch_size: {
      type: 'integer',
      minimum: 1,
      maximum: 1024,
      since: '9.2',
      taskTypes: ['sparse_embedding', 'text_embedding', 'embedding'],
      description: 'Maximum number of inputs per request sent to EIS (9.2.5+; at most 1024).',
      serverFilled: true,
      updatable: 'never',
    },
    // Accepted but never shown by GET before 9.2; refused from 9.2.0 with "[service_settings] rate limit
    // settings are not permitted for service [elastic] and task type [x]" (PR #133845, #135838).
    rate_limit: rateLimit(240, undefined, {
      until: '9.1',
      storedWhenOmitted: false,
      description:
        'Accepted but ignored up to 9.1 (EIS enforces its own per-model limits); refused from 9.2. Do not set it.',
    }),
  },
  taskSettings: {},
  notes: [
    'No secrets: Elastic Cloud reaches EIS over mTLS; self-managed clusters need Cloud Connect (Enterprise licence).',
    'GET may carry a metadata block (9.4+: model heuristics; 9.5+: regions, denied_by_region_policy); inferctl ignores it.',
    'Nothing is updatable in place before 9.5 (9.5: chunking_settings only): a change recreates the endpoint.',
  ],
};
