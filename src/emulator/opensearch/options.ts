/**
 * What a test or a user can set when starting the OpenSearch emulator. Each knob reproduces something a real
 * cluster does (slow or failing deployments, more nodes, faults); none makes the server more lenient.
 */
import type { EmulatorLogger, FaultOptions } from '../options.js';
import type { JsonObject } from '../types.js';

/** How deployments of a model end (matched by model id or model name). */
export interface DeployOutcome {
  /** `fail` → task FAILED, model DEPLOY_FAILED; `partial` → task COMPLETED_WITH_ERROR, model PARTIALLY_DEPLOYED. */
  readonly outcome: 'fail' | 'partial';
  /** The per-node error recorded in the task (default "emulated deployment failure"). */
  readonly error?: string;
}

/** A local (non-remote) model to seed, with the chunk documents large local models leave in the model index. */
export interface SeedLocalModel {
  readonly name: string;
  /** Registers into this model group (created when absent, by name). Default: a group named after the model. */
  readonly modelGroupName?: string;
  readonly functionName?: 'TEXT_EMBEDDING' | 'SPARSE_ENCODING' | 'TEXT_SIMILARITY';
  readonly state?: 'REGISTERED' | 'DEPLOYED';
  /** Chunk documents (`chunk_number`, `total_chunks`, `model_id` → parent) indexed beside the model. Default 2. */
  readonly chunks?: number;
  readonly modelConfig?: JsonObject;
}

export interface OpenSearchEmulatorOptions {
  readonly host?: string;
  /** 0 = a random free port. Default 0. */
  readonly port?: number;
  /** The OpenSearch version to behave like. Default `2.19.0`. */
  readonly version?: string;
  /** ML nodes the cluster has (ids `node-1` …). Default 1. Deployments go to all of them. */
  readonly nodes?: number;
  /**
   * How long a deployment stays `DEPLOYING` (task `RUNNING`) after `_deploy` answered, in ms. Default 0: the next
   * request already sees `DEPLOYED` (the real server flips the state asynchronously within milliseconds).
   */
  readonly deployDelayMs?: number;
  /** How long a registration task stays `CREATED` before `COMPLETED`, in ms. Default 0. */
  readonly registerDelayMs?: number;
  /** Deployment outcomes per model id or model name; others succeed. */
  readonly deployOutcomes?: Readonly<Record<string, DeployOutcome>>;
  /**
   * `plugins.ml_commons.trusted_connector_endpoints_regex`. Default: the 2.19 default list (OpenAI, Cohere,
   * DeepSeek, SageMaker, Bedrock, Textract, Comprehend).
   */
  readonly trustedConnectorEndpointsRegex?: readonly string[];
  /** Local models (and their chunk documents) present at start. */
  readonly localModels?: readonly SeedLocalModel[];
  readonly faults?: FaultOptions;
  readonly clusterName?: string;
  readonly nodeName?: string;
  readonly logger?: EmulatorLogger;
  /** Clock (ms). Default `Date.now`. */
  readonly now?: () => number;
  /** Seed for generated ids (reproducible ids in tests). Default: random. */
  readonly idSeed?: number;
}
