/**
 * What a test or a user can set when starting the emulator. Every knob exists to reproduce a behaviour of a
 * real cluster that tests of a client need; none makes it more lenient.
 */
import type { License } from './types.js';

export type FaultKind = 'latency' | '429' | '502' | '503' | '504' | 'reset';

/** Fault injection for tests of clients: reproducible with a seed (one draw per request, in arrival order). */
export interface FaultOptions {
  /** Probability (0–1) that a request gets a fault. */
  readonly rate: number;
  /** PRNG seed; the same seed and request order give the same faults. Default 1. */
  readonly seed?: number;
  /** Kinds to choose from (uniformly). Default: all. */
  readonly kinds?: readonly FaultKind[];
  /** Extra delay for `latency` faults, in ms. Default 200. */
  readonly latencyMs?: number;
  /** `Retry-After` seconds on 429 responses. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose path matches get faults (default: every path except `GET /`). */
  readonly pathPattern?: RegExp;
}

/** Simulated provider "validation call" at create time. */
export interface ProviderValidationOptions {
  /** Fail every validation call (as without network access). */
  readonly failAll?: boolean;
  /** Fail for these services. */
  readonly failServices?: readonly string[];
  /** Fail for these inference ids. */
  readonly failInferenceIds?: readonly string[];
  /** The provider error put into `caused_by` (default: a connection error). */
  readonly cause?: { readonly type: string; readonly reason: string };
  /** Embedding size a provider returns, per model id (overrides the built-in table). */
  readonly dimensions?: Readonly<Record<string, number>>;
}

/** One preconfigured EIS endpoint (`service: elastic`): its `.`-prefixed id, task type and EIS model. */
export interface EisEndpointOption {
  readonly inferenceId: string;
  readonly taskType:
    'sparse_embedding' | 'text_embedding' | 'rerank' | 'completion' | 'chat_completion' | 'embedding';
  readonly modelId: string;
}

/** A minimal logger interface (pino's `Logger` satisfies it). */
export interface EmulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface EmulatorOptions {
  readonly host?: string;
  /** 0 = a random free port. Default 0. */
  readonly port?: number;
  /**
   * The Elasticsearch version to behave like. Default `9.1.0`. `serverless` = Elastic Cloud Serverless: `GET /`
   * reports `build_flavor: serverless` and a meaningless version number, the newest modelled behaviour applies,
   * allocations are always adaptive, EIS is authorised and the licence is satisfied.
   */
  readonly esVersion?: string;
  /**
   * Is the cluster authorised for the Elastic Inference Service (Elastic Cloud, or Cloud Connect on self-managed)?
   * Default off, on for `serverless`. Without it an `elastic` endpoint cannot be created (its validation call to
   * EIS fails), no preconfigured EIS endpoint exists and `semantic_text` keeps `.elser-2-elasticsearch` as default.
   */
  readonly eisAuthorized?: boolean;
  /**
   * The preconfigured EIS endpoints the authorisation response lists (9.3.0+, PR #138249: dynamic per cluster).
   * Default: the ids this release is known to ship. Up to 9.2 the list is fixed in code and this option is ignored.
   */
  readonly eisEndpoints?: readonly EisEndpointOption[];
  /** Default `enterprise`. */
  readonly license?: License;
  /** When set, requests need `Authorization: ApiKey <apiKey>` (the encoded key as the client sends it). */
  readonly apiKey?: string;
  /** When set, requests may authenticate with HTTP basic auth. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** How long a new trained-model deployment stays `starting` (ms). Default 0. */
  readonly deploymentStartDelayMs?: number;
  /**
   * Deployments under adaptive allocations whose minimum is 0 (or unset) are idle and scaled to zero: the
   * trained-model stats show 0 allocations (0/0, `fully_allocated`) and GET a live `num_allocations` of 0 (api
   * the API docs notes,. Default off: such a deployment shows max(min, 1) = 1.
   */
  readonly adaptiveScaledToZero?: boolean;
  /**
   * Deployments (by deployment id, = the inference id for endpoints that created theirs) the trained-model stats
   * report as `state: failed` with this `reason` (stats shape), so a client's readiness check can be tested.
   */
  readonly failedDeployments?: Readonly<Record<string, string>>;
  /**
   * How long PUT waits for a deployment when no `timeout` param is given (default 30 s). Lower it to
   * see the 408 without waiting.
   */
  readonly deploymentWaitMs?: number;
  /** `linux-x86_64` (default) gives the platform-specific ELSER/E5 model ids. */
  readonly platform?: 'linux-x86_64' | 'other';
  readonly providerValidation?: ProviderValidationOptions;
  /** Cluster setting `xpack.inference.skip_validate_and_start` (test-only in ES). */
  readonly skipValidateAndStart?: boolean;
  /**
   * Eland-uploaded trained models the cluster knows, besides the built-ins: their task type and, for
   * text_embedding, dimensions/similarity.
   */
  readonly trainedModels?: readonly {
    readonly modelId: string;
    readonly taskType: 'text_embedding' | 'sparse_embedding' | 'rerank';
    readonly dimensions?: number;
    readonly similarity?: string;
  }[];
  readonly faults?: FaultOptions;
  readonly clusterName?: string;
  readonly nodeName?: string;
  readonly logger?: EmulatorLogger;
  /** Clock (ms), for tests of time-dependent state. Default `Date.now`. */
  readonly now?: () => number;
}
