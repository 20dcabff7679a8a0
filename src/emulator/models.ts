/**
 * What the emulated providers and the emulated ML node know about models:
 * - the embedding size a provider's validation call returns per model (the API docs: `dimensions` is the
 *   size of the embedding returned at creation), with a fixed fallback;
 * - the built-in trained models of the `elasticsearch` service.
 */
import type { TaskType } from '../catalog/types.js';

/** Embedding sizes of well-known provider models (public model cards). Unknown models: `FALLBACK_DIMENSIONS`. */
export const EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
  'embed-english-v3.0': 1024,
  'embed-multilingual-v3.0': 1024,
  'embed-english-light-v3.0': 384,
  'embed-multilingual-light-v3.0': 384,
  'embed-v4.0': 1536,
  'mistral-embed': 1024,
  'jina-embeddings-v3': 1024,
  'jina-embeddings-v2-base-en': 768,
  'jina-clip-v2': 1024,
  'voyage-3': 1024,
  'voyage-3-large': 1024,
  'voyage-3-lite': 512,
  'text-embedding-004': 768,
  'text-embedding-005': 768,
  'gemini-embedding-001': 3072,
  'amazon.titan-embed-text-v1': 1536,
  'amazon.titan-embed-text-v2:0': 1024,
  'ops-text-embedding-001': 1536,
  'nomic-embed-text': 768,
};

/** [I] Size reported for models not in the table. */
export const FALLBACK_DIMENSIONS = 768;

export interface TrainedModelInfo {
  readonly modelId: string;
  readonly taskType: 'text_embedding' | 'sparse_embedding' | 'rerank';
  readonly dimensions?: number;
  readonly similarity?: string;
  /** Built-in models (ELSER, E5, rerank) never show dimensions/similarity in GET. */
  readonly builtIn: boolean;
  readonly sizeBytes: number;
}

const BUILT_IN: readonly TrainedModelInfo[] = [
  { modelId: '.elser_model_2', taskType: 'sparse_embedding', builtIn: true, sizeBytes: 438123914 },
  {
    modelId: '.elser_model_2_linux-x86_64',
    taskType: 'sparse_embedding',
    builtIn: true,
    sizeBytes: 274756282,
  },
  { modelId: '.multilingual-e5-small', taskType: 'text_embedding', builtIn: true, sizeBytes: 470300000 },
  {
    modelId: '.multilingual-e5-small_linux-x86_64',
    taskType: 'text_embedding',
    builtIn: true,
    sizeBytes: 117000000,
  },
  { modelId: '.rerank-v1', taskType: 'rerank', builtIn: true, sizeBytes: 565000000 },
];

/** The built-in models plus the Eland ones the emulator was started with. */
export function knownTrainedModels(
  extra: readonly {
    modelId: string;
    taskType: TrainedModelInfo['taskType'];
    dimensions?: number;
    similarity?: string;
  }[] = [],
): Map<string, TrainedModelInfo> {
  const map = new Map<string, TrainedModelInfo>();
  for (const m of BUILT_IN) map.set(m.modelId, m);
  for (const m of extra) map.set(m.modelId, { ...m, builtIn: false, sizeBytes: 100_000_000 });
  return map;
}

/** A task type the built-in ELSER/E5/rerank models serve. */
export function modelTaskType(models: Map<string, TrainedModelInfo>, modelId: string): TaskType | undefined {
  return models.get(modelId)?.taskType;
}
