/**
 * Everything the emulated cluster remembers: inference endpoints (config and secrets apart, as ES keeps
 * them in `.inference` and `.secrets-inference`, the API docs), trained-model deployments, index mappings
 * and ingest pipelines (the references that block a delete).
 */
import { randomUUID } from 'node:crypto';
import { SERVERLESS_CURRENT_VERSION, capabilitiesFor, type Capabilities } from '../catalog/capabilities.js';
import { modelSettingsOf, type ModelSettings } from '../catalog/semantic-settings.js';
import type { TaskType } from '../catalog/types.js';
import type { EmulatorOptions } from './options.js';
import type { JsonObject, License } from './types.js';

export interface StoredEndpoint {
  readonly inferenceId: string;
  readonly taskType: TaskType;
  /** The `service` stored and returned (`elasticsearch` for `elser` from 8.16). */
  readonly service: string;
  /** Non-secret service settings as stored (canonical values, defaults filled). */
  serviceSettings: JsonObject;
  /** Secrets: never rendered. */
  secrets: JsonObject;
  taskSettings: JsonObject;
  chunkingSettings: JsonObject | undefined;
  /** A preconfigured `.`-prefixed endpoint. */
  readonly isDefault: boolean;
}

export interface AdaptiveAllocations {
  enabled: boolean;
  min_number_of_allocations?: number;
  max_number_of_allocations?: number;
}

/** A trained-model deployment (trained model stats). */
export interface Deployment {
  readonly deploymentId: string;
  readonly modelId: string;
  /** The inference endpoint that created it; undefined = started through the trained-models API. */
  readonly createdBy: string | undefined;
  readonly threadsPerAllocation: number;
  numberOfAllocations: number | undefined;
  adaptive: AdaptiveAllocations | undefined;
  readonly startTime: number;
  /** When it becomes `started` / `fully_allocated`. */
  readonly readyAt: number;
}

export interface SemanticField {
  readonly field: string;
  readonly inferenceId: string;
  readonly searchInferenceId: string | undefined;
}

export interface IndexRecord {
  readonly name: string;
  readonly uuid: string;
  readonly mappings: JsonObject;
  readonly settings: JsonObject;
  readonly semanticFields: readonly SemanticField[];
  readonly creationDate: number;
  /** Alias name → its definition (`{}`, `{ is_write_index: true }`); deleted with the index. */
  readonly aliases: Record<string, JsonObject>;
}

/** One live document of an index (documents.ts). */
export interface StoredDoc {
  readonly id: string;
  readonly source: JsonObject;
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
  /** Lucene doc order: a write appends a new doc, so ties in search follow the last write. */
  readonly docOrder: number;
}

/** What the version map remembers of a deleted document until `index.gc_deletes` (60 s) passes. */
export interface Tombstone {
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
  readonly deletedAt: number;
}

/** The single shard of an index: live documents, tombstones, the refreshed (searchable) view. */
export interface DocStore {
  readonly live: Map<string, StoredDoc>;
  readonly tombstones: Map<string, Tombstone>;
  /** What search sees: the live documents as of the last refresh. */
  searcher: Map<string, StoredDoc>;
  /** Next `_seq_no` (per shard, so per index here: one primary shard). */
  nextSeqNo: number;
  nextDocOrder: number;
  /** Writes since the last refresh. */
  pending: boolean;
  /** When the oldest unrefreshed write happened. */
  pendingSince: number;
  lastRefreshAt: number;
  /** Last search, for the search-idle rule; undefined = never searched. */
  lastSearchAt: number | undefined;
}

export interface PipelineRecord {
  readonly id: string;
  readonly body: JsonObject;
  /** `model_id`s of its `inference` processors. */
  readonly modelIds: readonly string[];
}

/**
 * What the index and document APIs (indices.ts, documents.ts, search.ts: the inventory and the lock)
 * need of a cluster. Both emulators host them: OpenSearch forked these APIs from Elasticsearch 7.10 and kept their
 * routes, parameters, optimistic concurrency and response shapes; the few differences are in `DocumentApiDialect`.
 */
export interface DocumentHost {
  readonly indices: Map<string, IndexRecord>;
  readonly documents: Map<string, DocStore>;
  /** The single node's id, as search shard failures print it. */
  readonly nodeId: string;
  readonly documentApi: DocumentApiDialect;
  now(): number;
}

export interface DocumentApiDialect {
  /** `index.version.created` as `GET /{index}` prints it. */
  readonly versionCreated: string;
  /** `semantic_text`'s default `inference_id` (Elasticsearch 8.15+); undefined where there is none. */
  readonly semanticTextDefaultInferenceId: string | undefined;
  /**
   * Elasticsearch 8 reports a rejected document as `document_parsing_exception` with the token's location
   * (`[1:15] mapping set to strict, …`); Elasticsearch 7.10 and so OpenSearch as `mapper_parsing_exception` without
   * one (`StrictDynamicMappingException extends MapperParsingException`, message without location).
   */
  readonly locatedParsingErrors: boolean;
  /**
   * Elasticsearch's semantic_text bookkeeping (absent on OpenSearch): the `model_settings` an endpoint gives a field
   * when its first value is indexed (undefined when the endpoint does not exist), and whether `PUT _mapping` may
   * change a field's `inference_id` (9.3.0, PR #136120).
   */
  readonly semanticText?: {
    modelSettingsOf(inferenceId: string): ModelSettings | undefined;
    readonly inferenceIdUpdatable: boolean;
  };
}

/** The emulated cluster. Created once per server; handlers mutate it. */
export class EmulatorState implements DocumentHost {
  readonly caps: Capabilities;
  readonly options: EmulatorOptions;
  readonly license: License;
  readonly clusterUuid = randomUUID().replace(/-/g, '').slice(0, 22);
  readonly endpoints = new Map<string, StoredEndpoint>();
  readonly deployments = new Map<string, Deployment>();
  readonly indices = new Map<string, IndexRecord>();
  readonly pipelines = new Map<string, PipelineRecord>();
  /** Document stores by index uuid (documents.ts): a deleted and re-created index starts empty. */
  readonly documents = new Map<string, DocStore>();
  /** The single node's id, as search shard failures print it. */
  readonly nodeId = randomUUID().replace(/-/g, '').slice(0, 22);
  /** Number of requests served, for debugging. */
  readonly counters = { requests: 0 };
  private order: string[] | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.caps =
      options.esVersion === 'serverless'
        ? capabilitiesFor(SERVERLESS_CURRENT_VERSION, 'serverless')
        : capabilitiesFor(options.esVersion ?? '9.1.0');
    // Serverless: licences are project-level, the inference checks are satisfied.
    this.license = this.caps.buildFlavor === 'serverless' ? 'enterprise' : (options.license ?? 'enterprise');
  }

  /** Authorised for the Elastic Inference Service: the option, on by default on Serverless only. */
  get eisAuthorized(): boolean {
    return this.options.eisAuthorized ?? this.caps.buildFlavor === 'serverless';
  }

  /** What `semantic_text` without `inference_id` uses on this cluster (9.3+: an EIS endpoint when authorised). */
  get semanticTextDefault(): string | undefined {
    return (
      (this.eisAuthorized ? this.caps.semanticTextDefaultWithEis : undefined) ??
      this.caps.semanticTextDefaultInferenceId
    );
  }

  get documentApi(): DocumentApiDialect {
    return {
      versionCreated: this.caps.version,
      semanticTextDefaultInferenceId: this.semanticTextDefault,
      locatedParsingErrors: true,
      semanticText: {
        modelSettingsOf: (id) => {
          const endpoint = this.endpoints.get(id);
          return endpoint ? modelSettingsOf(endpoint.taskType, endpoint.serviceSettings) : undefined;
        },
        inferenceIdUpdatable: this.caps.semanticInferenceIdUpdatable,
      },
    };
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Platform-specific model id of a built-in model (: `_linux-x86_64` on that platform). */
  platformModel(base: string): string {
    return (this.options.platform ?? 'linux-x86_64') === 'linux-x86_64' ? `${base}_linux-x86_64` : base;
  }

  /** Call after adding or removing endpoints: listings are sorted by id and cached. */
  invalidateOrder(): void {
    this.order = undefined;
  }

  /** Endpoint ids sorted as Java's `String.compareTo` sorts them (UTF-16 code units). */
  sortedIds(): readonly string[] {
    this.order ??= [...this.endpoints.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.order;
  }

  /**
   * Target allocations of a deployment, as `number_of_allocations` in the stats and the live
   * `num_allocations` in GET: the fixed count, or under adaptive allocations max(min, 1)
   * capped by max [I — the scaler's real start value is not in the reference]; 0 for an idle deployment with
   * minimum 0 when the `adaptiveScaledToZero` option is on.
   */
  liveAllocations(d: Deployment): number | undefined {
    if (d.adaptive?.enabled) {
      const min = d.adaptive.min_number_of_allocations ?? 0;
      const max = d.adaptive.max_number_of_allocations ?? 32;
      if (min === 0 && this.options.adaptiveScaledToZero) return 0;
      return Math.min(Math.max(min, 1), max);
    }
    return d.numberOfAllocations;
  }

  /** Is the deployment started (its start delay elapsed)? */
  isStarted(d: Deployment): boolean {
    return this.now() >= d.readyAt;
  }

  /** Is the licence at least enterprise (trial counts)? */
  hasEnterprise(): boolean {
    return this.license === 'enterprise' || this.license === 'trial';
  }

  /** Is the licence enough for ML deployments (platinum and above, or trial)? */
  hasMl(): boolean {
    return this.license !== 'basic';
  }
}
