/**
 * The port between inferctl's core and an Elasticsearch cluster: only the calls inferctl makes, in
 * inferctl's terms. The real implementation (`client.ts`) speaks HTTP through undici; tests can use
 * the emulator through it or a fake of this interface.
 */
import type { ModelSettings } from '../../catalog/semantic-settings.js';
import type { TaskType } from '../../catalog/types.js';

/** `GET /`: what the capability probe needs. */
export interface ClusterInfo {
  readonly version: string;
  readonly buildFlavor?: string;
  readonly clusterName?: string;
  readonly clusterUuid?: string;
  /** `distribution: opensearch` when the cluster is OpenSearch (a later issue dispatches on it). */
  readonly distribution?: string;
}

/** One endpoint as GET returns it, with the id key and wrapper of the version already resolved. */
export interface LiveEndpoint {
  readonly inference_id: string;
  readonly task_type: TaskType;
  readonly service: string;
  readonly service_settings: Readonly<Record<string, unknown>>;
  readonly task_settings?: Readonly<Record<string, unknown>>;
  readonly chunking_settings?: Readonly<Record<string, unknown>>;
  /** Anything else the server returned (EIS `metadata`, …), kept so nothing is silently dropped. */
  readonly [extra: string]: unknown;
}

/** `deployment_stats` of a trained model deployment. */
export interface DeploymentStats {
  readonly deployment_id: string;
  readonly model_id: string;
  readonly state?: string;
  readonly allocation_status?: {
    readonly allocation_count: number;
    readonly target_allocation_count: number;
    readonly state: string;
  };
  readonly number_of_allocations?: number;
  readonly threads_per_allocation?: number;
  readonly adaptive_allocations?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

export interface DeleteResult {
  readonly acknowledged: boolean;
  readonly pipelines: readonly string[];
  readonly indexes: readonly string[];
  readonly error_message?: string;
}

/** How one index uses an endpoint: for deciding whether Elasticsearch will let the endpoint be created again. */
export interface IndexUse {
  readonly index: string;
  /** The index holds at least one searchable document (`size: 0`, `track_total_hits: 1`). */
  readonly hasDocuments: boolean;
  /** Its semantic_text fields whose `inference_id` or `search_inference_id` is the endpoint. */
  readonly fields: readonly {
    readonly field: string;
    /** What the field recorded when its first value was indexed; absent while it holds none. */
    readonly modelSettings?: ModelSettings;
  }[];
}

/** The body of PUT `_inference/…` or `_update`, with secret values already revealed: never log it. */
export type RequestBody = Readonly<Record<string, unknown>>;

export interface InferenceApi {
  info(): Promise<ClusterInfo>;
  /** Every endpoint, in one request (`GET _inference/_all`), the version's wrapper unwrapped. */
  listEndpoints(): Promise<LiveEndpoint[]>;
  /** One endpoint, or `undefined` when it does not exist (404). */
  getEndpoint(id: string): Promise<LiveEndpoint | undefined>;
  /** `PUT _inference/{task_type}/{id}`; returns the stored config. */
  putEndpoint(
    taskType: TaskType,
    id: string,
    body: RequestBody,
    options?: { timeout?: string },
  ): Promise<LiveEndpoint>;
  /** `PUT _inference/{task_type}/{id}/_update`; returns the stored config. */
  updateEndpoint(taskType: TaskType, id: string, body: RequestBody): Promise<LiveEndpoint>;
  deleteEndpoint(
    taskType: TaskType,
    id: string,
    options?: { dryRun?: boolean; force?: boolean },
  ): Promise<DeleteResult>;
  /**
   * `GET _license`: type and status, or undefined where it cannot be read (no `monitor` privilege, Serverless).
   * Optional: a port without it plans as if every licence allowed every write.
   */
  license?(): Promise<{ type: string; status: string } | undefined>;
  /**
   * `GET _mapping`: per endpoint id, the indices whose semantic_text fields use it — for 8.15, whose DELETE
   * `dry_run` does not report them (capabilities `deleteChecksSemanticText`).
   */
  indicesUsing?(ids: readonly string[]): Promise<Map<string, string[]>>;
  /** `GET {index}/_mapping` and a one-hit count: how `index` uses endpoint `inferenceId`. */
  indexUse(index: string, inferenceId: string): Promise<IndexUse>;
  /** `GET _ml/trained_models/{ids}/_stats` (ids may be deployment ids); deployments by deployment id. */
  deploymentStats(ids: readonly string[]): Promise<Map<string, DeploymentStats>>;
}
