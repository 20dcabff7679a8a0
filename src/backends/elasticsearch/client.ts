/**
 * The real `InferenceApi`: HTTP to Elasticsearch through one undici `Agent` (keep-alive, bounded
 * connections), per-request timeouts, and retries that are safe by construction:
 *
 * - GET, DELETE and `_update` (same body, same result) are retried on 429/502/503/504 and connection
 *   errors, with exponential backoff and full jitter, honouring `Retry-After`.
 * - A create is never blindly re-sent: after an answer that leaves open whether it was applied (timeout,
 *   reset, 5xx, ES's own 408 "waiting for model deployment") the endpoint is read first;
 *   if it exists, that is the result.
 *
 * Secrets: request bodies may hold `Secret`s (src/manifest/secrets.ts); they are revealed only while the
 * body is serialised, and every revealed value (and the connection's credentials) is redacted from server
 * text before it reaches an error. Logs carry method, path, status and attempt: never bodies or headers.
 */
import { Agent, type Dispatcher } from 'undici';
import { SERVICES, getService, secretFields } from '../../catalog/index.js';
import { recordedModelSettings, type ModelSettings } from '../../catalog/semantic-settings.js';
import type { TaskType } from '../../catalog/types.js';
import { InferctlError } from '../../errors.js';
import { Secret } from '../../manifest/secrets.js';
import { VERSION } from '../../version.js';
import type {
  ClusterInfo,
  DeleteResult,
  DeploymentStats,
  IndexUse,
  InferenceApi,
  LiveEndpoint,
  RequestBody,
} from './api.js';
import { authorizationHeader, credentialValues, type Connection } from './connection.js';
import {
  type ElasticsearchError,
  classifyTransportError,
  createRedactor,
  errorFromResponse,
  errorFromTransport,
  invalidResponse,
  parseErrorBody,
  PRODUCTS,
  type Product,
  type Redactor,
  type TransportFailure,
} from './errors.js';

// ---- options -------------------------------------------------------------------------------------------

/** What the client logs through (pino's `Logger` fits). Object first: `log.debug({ method, path }, 'request')`. */
export interface ClientLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  /**
   * Optional: request and response bodies at `--log-level trace`, redacted (every secret value sent, in plain and
   * JSON-escaped form, and the connection's credentials) and cut at 16 KiB each.
   */
  trace?(obj: object, msg?: string): void;
  /** pino's: lets the client skip building trace records nobody reads. */
  isLevelEnabled?(level: string): boolean;
}

/** Longest body a trace record carries (each of request and response). */
const TRACE_BODY_LIMIT = 16 * 1024;

function clip(text: string): string {
  return text.length > TRACE_BODY_LIMIT
    ? `${text.slice(0, TRACE_BODY_LIMIT)}… (${text.length - TRACE_BODY_LIMIT} more characters)`
    : text;
}

/** What happened on the wire, for progress displays and tests (the same facts the logger gets). */
export type ClientEvent =
  | {
      readonly type: 'response';
      readonly method: string;
      readonly path: string;
      readonly attempt: number;
      readonly status: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'transport_error';
      readonly method: string;
      readonly path: string;
      readonly attempt: number;
      readonly code: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'retry';
      readonly method: string;
      readonly path: string;
      /** The attempt that failed; the next one is `attempt + 1`. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
      readonly retryAfterMs?: number;
    }
  /** A recovery worth telling the user about (a create that timed out but exists, a retried delete). */
  | { readonly type: 'note'; readonly method: string; readonly path: string; readonly message: string };

export interface RetryPolicy {
  /** Attempts per request, the first included. Default 5. */
  readonly maxAttempts: number;
  /** First backoff ceiling. Default 200 ms. */
  readonly baseMs: number;
  /** Largest backoff ceiling. Default 10 s. */
  readonly capMs: number;
  /** A `Retry-After` longer than this ends the retries instead of waiting. Default 60 s. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseMs: 200,
  capMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export interface ElasticsearchClientOptions {
  /**
   * Who the messages say answered. Default Elasticsearch until `info()` reads `distribution: opensearch` in
   * `GET /`; set it when the flavor is known another way.
   */
  readonly product?: Product;
  /**
   * Headers and body timeout of each request (ms). Default 30 s. undici checks these on a coarse tick, so
   * a timeout fires up to about a second late.
   */
  readonly timeoutMs?: number;
  /**
   * Timeout of a PUT that creates an in-cluster (`elasticsearch`/`elser`) endpoint, which waits for its model
   * deployment (ES waits 30 s by default, then answers 408). Default 120 s. With a `timeout` option on the
   * create, the HTTP timeout is at least that plus 10 s, so that ES's own 408 arrives first.
   */
  readonly createTimeoutMs?: number;
  /** Connect timeout (ms). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Most sockets kept open to the cluster. Default 10. */
  readonly connections?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: ClientLogger;
  readonly onEvent?: (event: ClientEvent) => void;
  /** Injected for tests: waiting between attempts. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Injected for tests: the clock (ms), for `Retry-After` dates and durations. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Use this dispatcher instead of creating an `Agent` (a `MockAgent`, a proxy agent). Not closed by
   * `close()`; the TLS settings of the connection are then the dispatcher's business.
   */
  readonly dispatcher?: Dispatcher;
}

/** Per-request options of writes: secret values already revealed into the body (also redacted). */
export interface WriteOptions {
  readonly secrets?: readonly string[];
}

export interface PutOptions extends WriteOptions {
  /** ES's `timeout` query parameter (`90s`): only on 8.19/9.1+ (`putTimeoutParam`), older versions reject it. */
  readonly timeout?: string;
}

export interface DeleteOptions {
  /** `dry_run=true` (8.15+): report references, delete nothing. */
  readonly dryRun?: boolean;
  /** `force=true` (8.15+): delete despite references. */
  readonly force?: boolean;
}

export interface DeleteOutcome extends DeleteResult {
  /** Set when a retried DELETE found the endpoint gone: an earlier attempt deleted it. */
  readonly note?: string;
}

/**
 * The client: the port plus `close()`. Writes also take `WriteOptions.secrets`, for bodies whose secrets
 * were revealed before the call (bodies with `Secret` values need nothing).
 */
export interface ElasticsearchClient extends InferenceApi {
  putEndpoint(taskType: TaskType, id: string, body: RequestBody, options?: PutOptions): Promise<LiveEndpoint>;
  updateEndpoint(
    taskType: TaskType,
    id: string,
    body: RequestBody,
    options?: WriteOptions,
  ): Promise<LiveEndpoint>;
  deleteEndpoint(taskType: TaskType, id: string, options?: DeleteOptions): Promise<DeleteOutcome>;
  /**
   * Any other request (the document APIs the inventory and the lock use): JSON in, `{ status, body }` out.
   * Statuses in `accept` are answers, not errors (404 for a missing document, 409 for a lost race).
   * `retry: false` sends once: for writes whose repetition the caller must judge itself. `retry:
   * 'unapplied'` re-sends only after attempts known not to have been executed (429 back-pressure, a 503
   * naming an unavailable shard, a connection never made): for creates whose ids the server generates.
   */
  raw(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD',
    path: string,
    options?: { body?: unknown; accept?: readonly number[]; retry?: boolean | 'unapplied' },
  ): Promise<{ status: number; body: unknown }>;
  /** Closes the agent's sockets (not an injected dispatcher). */
  close(): Promise<void>;
}

// ---- pure helpers (exported for tests) -------------------------------------------------------------------

/**
 * Full-jitter backoff: a uniform delay in [0, min(cap, base · 2^(attempt−1))). Full jitter spreads the
 * retries of concurrent changes instead of having them hit a struggling cluster in lockstep.
 *
 * @example backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.5) === 400
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable. A date in the past means "now".
 *
 * @example parseRetryAfter('2', 0) === 2000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')) === 5000
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads '-1' as a year: an HTTP date always has a weekday or month name.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** One attempt's result: an HTTP answer (any status) or no answer at all. */
export type Outcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly text: string;
      readonly retryAfter?: string;
    }
  | { readonly kind: 'transport'; readonly failure: TransportFailure; readonly error: unknown };

/** Whether another attempt may help, and whether the failed one may have been applied. */
export interface RetryDecision {
  readonly retryable: boolean;
  /** The request may have reached Elasticsearch and been applied (matters for creates and deletes). */
  readonly maybeApplied: boolean;
  readonly reason: string;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Classifies a failed attempt. 429 means "rejected, not processed"; 502/503/504 come from a proxy or a node
 * that may or may not have passed the request on; connection failures count as applied unless no
 * connection was ever made.
 *
 * @example retryDecision({ kind: 'response', status: 503, text: '' }).retryable === true
 */
export function retryDecision(outcome: Outcome): RetryDecision {
  if (outcome.kind === 'transport') {
    return {
      retryable: outcome.failure.retryable,
      maybeApplied: outcome.failure.maybeSent,
      reason: outcome.failure.code,
    };
  }
  const { status } = outcome;
  // 9.5 answers an inference timeout with 429 (PR #146531) and `"timed_out": true` (PR #124936): the work
  // went ahead (a create stored its config), so it is no "rejected, not processed" 429 to re-send.
  if (isInferenceTimeout(outcome)) {
    return { retryable: false, maybeApplied: true, reason: `status ${status} (timed out)` };
  }
  // A node that answers it could not reach a shard (or is blocked) did not execute the request: seen on a
  // real OpenSearch 2.19.1 just after start, when the first connector create reads `.plugins-ml-config`
  // while its shard is still RECOVERING (503 no_shard_available_action_exception).
  if (status === 503 && NOT_EXECUTED_503.test(outcome.text)) {
    return { retryable: true, maybeApplied: false, reason: `status ${status} (shard not available)` };
  }
  return {
    retryable: RETRYABLE_STATUS.has(status),
    maybeApplied: status !== 429 && status >= 500,
    reason: `status ${status}`,
  };
}

const NOT_EXECUTED_503 =
  /"type"\s*:\s*"(?:no_shard_available_action_exception|cluster_block_exception|unavailable_shards_exception)"/;

/**
 * Elasticsearch's own inference timeout (the 30 s wait of PUT, POST and `_update`): 408 up to 9.3; 504 in 9.4
 * (PR #145838) with an Elasticsearch error body; 429 from 9.5 (PR #146531) marked `"timed_out": true`
 * (PR #124936). Classified by the body, not by the status alone: a 429 without the marker is back-pressure.
 *
 * @example isInferenceTimeout({ kind: 'response', status: 429, text: '{"error":{},"timed_out":true}' }) // true
 */
export function isInferenceTimeout(outcome: Outcome): boolean {
  if (outcome.kind !== 'response') return false;
  if (outcome.status === 408) return true;
  if (outcome.status !== 429 && outcome.status !== 504) return false;
  if (!outcome.text.includes('timed_out') && !/Timed out after/i.test(outcome.text)) return false;
  try {
    const body = JSON.parse(outcome.text) as {
      timed_out?: unknown;
      error?: { timed_out?: unknown; reason?: unknown };
    };
    if (body.timed_out === true || body.error?.timed_out === true) return true;
    return (
      outcome.status === 504 &&
      typeof body.error?.reason === 'string' &&
      /^Timed out after/.test(body.error.reason)
    );
  } catch {
    return false;
  }
}

/** Secret field names of every service: `_update` bodies name no service, so any of them may be a secret. */
const ALL_SECRET_FIELDS = [...new Set(SERVICES.flatMap((s) => secretFields(s)))];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringLeaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (isRecord(value)) for (const v of Object.values(value)) stringLeaves(v, out);
}

/**
 * Serialises a request body, revealing `Secret` values, and returns every secret value it contains: the
 * revealed ones, `extra` (values revealed by the caller), and — as a second line of defence — plain strings
 * under the catalog's secret field names in `service_settings`.
 *
 * @example serializeBody({ service_settings: { api_key: new Secret('sk-1', 'env K') } }).secrets // ['sk-1']
 */
export function serializeBody(
  body: RequestBody,
  extra: readonly string[] = [],
): { text: string; secrets: string[] } {
  const secrets: string[] = [...extra];
  const reveal = (value: unknown): unknown => {
    if (value instanceof Secret) {
      const revealed = value.reveal();
      secrets.push(revealed);
      return revealed;
    }
    if (Array.isArray(value)) return value.map(reveal);
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = reveal(v);
      return out;
    }
    return value;
  };
  const plain = reveal(body) as Record<string, unknown>;
  const service = typeof plain.service === 'string' ? getService(plain.service) : undefined;
  const names = service ? secretFields(service) : ALL_SECRET_FIELDS;
  const settings = plain.service_settings;
  if (isRecord(settings)) for (const name of names) stringLeaves(settings[name], secrets);
  return { text: JSON.stringify(plain), secrets };
}

/**
 * One endpoint as GET/PUT/`_update` render it, with the id key of the version resolved: `inference_id`
 * (8.15+) or `model_id` (8.12–8.14). Undefined when the shape is not an endpoint.
 *
 * @example toLiveEndpoint({ model_id: 'x', task_type: 'sparse_embedding', service: 'elser', service_settings: {} })?.inference_id === 'x'
 */
export function toLiveEndpoint(item: unknown): LiveEndpoint | undefined {
  if (!isRecord(item)) return undefined;
  const { inference_id, model_id, ...rest } = item;
  const id =
    typeof inference_id === 'string' ? inference_id : typeof model_id === 'string' ? model_id : undefined;
  if (id === undefined) return undefined;
  if (typeof rest.task_type !== 'string' || typeof rest.service !== 'string') return undefined;
  if (!isRecord(rest.service_settings)) return undefined;
  // A top-level `model_id` beside `inference_id` is not the id key: keep it like any other extra field.
  const extra = typeof inference_id === 'string' && model_id !== undefined ? { model_id } : {};
  return {
    inference_id: id,
    ...rest,
    ...extra,
    task_type: rest.task_type as TaskType,
    service: rest.service,
    service_settings: rest.service_settings,
  };
}

/**
 * The endpoint list of a GET answer: `{"endpoints":[…]}` (8.15+) or `{"models":[…]}` (8.12–8.14).
 * Undefined when neither wrapper is there or an item is not an endpoint.
 */
export function unwrapEndpoints(body: unknown): LiveEndpoint[] | undefined {
  if (!isRecord(body)) return undefined;
  const list = Array.isArray(body.endpoints)
    ? body.endpoints
    : Array.isArray(body.models)
      ? body.models
      : undefined;
  if (list === undefined) return undefined;
  const out: LiveEndpoint[] = [];
  for (const item of list) {
    const endpoint = toLiveEndpoint(item);
    if (endpoint === undefined) return undefined;
    out.push(endpoint);
  }
  return out;
}

const TIME_UNITS: Record<string, number> = {
  nanos: 1e-6,
  micros: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * An Elasticsearch time value (`30s`, `500ms`, `2m`) in ms, or an error naming the option.
 *
 * @example parseTimeValue('2m') === 120000
 */
export function parseTimeValue(text: string): number | InferctlError {
  const match = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  const unit = match?.[2] !== undefined ? TIME_UNITS[match[2]] : undefined;
  if (!match || unit === undefined) {
    return new InferctlError(
      'client_option_invalid',
      `timeout "${text}" is not an Elasticsearch time value`,
      {
        hint: 'write a number and a unit: 500ms, 30s, 2m',
      },
    );
  }
  return Number(match[1]) * unit;
}

/** Stats ids per request: ES refuses request lines over 4 KB (`http.max_initial_line_length`). */
const MAX_IDS_PATH = 3000;

function batchIds(ids: readonly string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const size = encodeURIComponent(id).length + 1;
    if (current.length > 0 && length + size > MAX_IDS_PATH) {
      batches.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new InferctlError(
      'client_option_invalid',
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
      { hint: `leave ${name} out for the default (${fallback})` },
    );
  }
  return value;
}

// ---- the client ---------------------------------------------------------------------------------------------

/** A request ready to send: the path as logged (with query), the body text and its redactor. */
interface Prepared {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly redact: Redactor;
  /**
   * The body's secret values are known to `redact` (inferctl's own writes pass them). Bodies of other requests
   * (`raw`, which may carry revealed OpenSearch credentials) are never written to trace logs.
   */
  readonly secretsKnown?: boolean;
  readonly inferenceId?: string;
}

/** The last attempt of a request and what the earlier ones did. */
interface Final {
  readonly outcome: Outcome;
  readonly attempts: number;
  /** An earlier attempt may have been applied (a DELETE that then 404s succeeded). */
  readonly appliedBefore: boolean;
}

const TIMEOUT_GRACE_MS = 10_000;

function isOk(outcome: Outcome): boolean {
  return outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
}

/** `resource_not_found_exception` in ES's envelope: the thing is absent (not a 404 page of a proxy). */
function isResourceNotFound(outcome: Outcome): boolean {
  if (outcome.kind !== 'response' || outcome.status !== 404) return false;
  return parseErrorBody(outcome.text, (t) => t).type === 'resource_not_found_exception';
}

function isAlreadyExists(outcome: Outcome): boolean {
  if (outcome.kind !== 'response' || outcome.status !== 400) return false;
  return parseErrorBody(outcome.text, (t) => t).type === 'resource_already_exists_exception';
}

function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Creates the client for a resolved connection.
 *
 * @example
 * const client = createElasticsearchClient(connection, { logger: log.child({ component: 'es' }) });
 * try {
 *   const live = await client.listEndpoints();
 * } finally {
 *   await client.close();
 * }
 */
export function createElasticsearchClient(
  connection: Connection,
  options: ElasticsearchClientOptions = {},
): ElasticsearchClient {
  let product: Product = options.product ?? PRODUCTS.elasticsearch;
  const invalid = (method: string, path: string, what: string): ElasticsearchError =>
    invalidResponse(url, method, path, what, product);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 30_000);
  const createTimeoutMs = positive('createTimeoutMs', options.createTimeoutMs, 120_000);
  const connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, 10_000);
  const connections = positive('connections', options.connections, 10, true);
  const policy: RetryPolicy = {
    maxAttempts: positive('retry.maxAttempts', options.retry?.maxAttempts, 5, true),
    baseMs: positive('retry.baseMs', options.retry?.baseMs, DEFAULT_RETRY_POLICY.baseMs),
    capMs: positive('retry.capMs', options.retry?.capMs, DEFAULT_RETRY_POLICY.capMs),
    maxRetryAfterMs: positive(
      'retry.maxRetryAfterMs',
      options.retry?.maxRetryAfterMs,
      DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    ),
  };
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const log = options.logger;
  const emit = options.onEvent ?? (() => undefined);

  const base = new URL(connection.url);
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = connection.url;
  const ownAgent = options.dispatcher === undefined;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Agent({
      connections,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: {
        timeout: connectTimeoutMs,
        rejectUnauthorized: connection.tls.rejectUnauthorized,
        ...(connection.tls.ca !== undefined ? { ca: connection.tls.ca } : {}),
      },
    });
  const authorization = authorizationHeader(connection.auth);
  const credentials = credentialValues(connection.auth);
  const baseRedact = createRedactor(credentials);
  const userAgent = `inferctl/${VERSION} (Node.js ${process.version})`;

  function prepare(
    method: Prepared['method'],
    path: string,
    extra: { body?: string; secrets?: readonly string[]; timeoutMs?: number; inferenceId?: string } = {},
  ): Prepared {
    return {
      method,
      path,
      timeoutMs: extra.timeoutMs ?? timeoutMs,
      redact:
        extra.secrets && extra.secrets.length > 0
          ? createRedactor([...credentials, ...extra.secrets])
          : baseRedact,
      ...(extra.body !== undefined ? { body: extra.body } : {}),
      ...(extra.inferenceId !== undefined ? { inferenceId: extra.inferenceId } : {}),
      ...(extra.secrets !== undefined ? { secretsKnown: true } : {}),
    };
  }

  async function once(req: Prepared, attempt: number): Promise<Outcome> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': userAgent };
    if (authorization !== undefined) headers.authorization = authorization;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = now();
    try {
      const res = await dispatcher.request({
        origin,
        path: prefix + req.path,
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      const text = await res.body.text();
      const durationMs = now() - started;
      const fields = { method: req.method, path: req.path, status: res.statusCode, attempt, durationMs };
      log?.debug(fields, 'request');
      if (log?.trace && (log.isLevelEnabled?.('trace') ?? true)) {
        log.trace(
          {
            ...fields,
            ...(req.body !== undefined
              ? {
                  requestBody: req.secretsKnown
                    ? clip(req.redact(req.body))
                    : '(not logged: may hold secrets)',
                }
              : {}),
            ...(req.secretsKnown || req.body === undefined ? { responseBody: clip(req.redact(text)) } : {}),
          },
          'bodies',
        );
      }
      emit({ type: 'response', ...fields });
      const retryAfter = header(res.headers, 'retry-after');
      return {
        kind: 'response',
        status: res.statusCode,
        text,
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      };
    } catch (error) {
      const failure = classifyTransportError(error);
      const durationMs = now() - started;
      const fields = { method: req.method, path: req.path, code: failure.code, attempt, durationMs };
      log?.debug(fields, 'request failed');
      emit({ type: 'transport_error', ...fields });
      return { kind: 'transport', failure, error };
    }
  }

  /**
   * Waits before the next attempt; false when the server asks for longer than `maxRetryAfterMs` (then the
   * caller gives up with the last answer rather than hang).
   */
  async function pause(req: Prepared, outcome: Outcome, attempt: number, reason: string): Promise<boolean> {
    const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, now()) : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return false;
    const delayMs = retryAfterMs ?? backoffDelay(attempt, policy, random);
    const fields = {
      method: req.method,
      path: req.path,
      attempt,
      delayMs,
      reason,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
    log?.info(fields, 'retrying request');
    emit({ type: 'retry', ...fields });
    await sleep(delayMs);
    return true;
  }

  function note(req: Prepared, message: string): void {
    log?.info({ method: req.method, path: req.path }, message);
    emit({ type: 'note', method: req.method, path: req.path, message });
  }

  /**
   * Sends a request that is safe to repeat, retrying what may succeed on another attempt; with
   * `unappliedOnly`, only attempts that were certainly not executed are repeated.
   */
  async function sendIdempotent(req: Prepared, unappliedOnly = false): Promise<Final> {
    let appliedBefore = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await once(req, attempt);
      if (isOk(outcome)) return { outcome, attempts: attempt, appliedBefore };
      const decision = retryDecision(outcome);
      if (!decision.retryable || (unappliedOnly && decision.maybeApplied) || attempt >= policy.maxAttempts)
        return { outcome, attempts: attempt, appliedBefore };
      if (!(await pause(req, outcome, attempt, decision.reason)))
        return { outcome, attempts: attempt, appliedBefore };
      appliedBefore ||= decision.maybeApplied;
    }
  }

  function toError(req: Prepared, outcome: Outcome, attempts: number): ElasticsearchError {
    if (outcome.kind === 'transport') {
      return errorFromTransport(
        outcome.failure,
        outcome.error,
        {
          url,
          method: req.method,
          path: req.path,
          attempts,
          timeoutMs: req.timeoutMs,
        },
        product,
      );
    }
    const retryAfterMs = parseRetryAfter(outcome.retryAfter, now());
    return errorFromResponse({
      status: outcome.status,
      bodyText: outcome.text,
      method: req.method,
      path: req.path,
      url,
      attempts,
      authKind: connection.auth.kind,
      redact: req.redact,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(req.inferenceId !== undefined ? { inferenceId: req.inferenceId } : {}),
      product,
    });
  }

  /** The JSON of a 2xx answer (`isOk` checked by the caller). */
  function json(req: Prepared, outcome: Outcome): unknown {
    if (outcome.kind !== 'response' || outcome.text.trim() === '') return undefined;
    try {
      return JSON.parse(outcome.text) as unknown;
    } catch {
      throw invalid(req.method, req.path, 'the body is not JSON');
    }
  }

  /** Sends, retries, and returns the JSON of a 2xx answer; anything else becomes an ElasticsearchError. */
  async function call(req: Prepared): Promise<unknown> {
    const final = await sendIdempotent(req);
    if (!isOk(final.outcome)) throw toError(req, final.outcome, final.attempts);
    return json(req, final.outcome);
  }

  function endpointOf(req: Prepared, body: unknown): LiveEndpoint {
    const endpoint = toLiveEndpoint(body);
    if (!endpoint) throw invalid(req.method, req.path, 'not an inference endpoint');
    return endpoint;
  }

  /** GET one endpoint; undefined when ES says it does not exist. */
  async function read(path: string, id: string): Promise<LiveEndpoint | undefined> {
    const req = prepare('GET', path, { inferenceId: id });
    const final = await sendIdempotent(req);
    if (isResourceNotFound(final.outcome)) return undefined;
    if (!isOk(final.outcome)) throw toError(req, final.outcome, final.attempts);
    const list = unwrapEndpoints(json(req, final.outcome));
    if (!list) throw invalid(req.method, req.path, 'no "endpoints" or "models" list');
    return list.find((e) => e.inference_id === id);
  }

  const enc = encodeURIComponent;

  return {
    async raw(method, path, options = {}) {
      const req = prepare(
        method,
        path,
        options.body === undefined ? {} : { body: JSON.stringify(options.body) },
      );
      const final =
        options.retry === false
          ? { outcome: await once(req, 1), attempts: 1 }
          : await sendIdempotent(req, options.retry === 'unapplied');
      const outcome = final.outcome;
      if (outcome.kind === 'response' && (isOk(outcome) || options.accept?.includes(outcome.status))) {
        let body: unknown;
        try {
          body = outcome.text.trim() === '' ? undefined : (JSON.parse(outcome.text) as unknown);
        } catch {
          throw invalid(req.method, req.path, 'the body is not JSON');
        }
        return { status: outcome.status, body };
      }
      throw toError(req, outcome, final.attempts);
    },

    async info(): Promise<ClusterInfo> {
      const req = prepare('GET', '/');
      const body = await call(req);
      const version = isRecord(body) && isRecord(body.version) ? body.version : undefined;
      if (!isRecord(body) || !version || typeof version.number !== 'string') {
        throw invalid('GET', '/', 'no version.number');
      }
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const fields = {
        buildFlavor: str(version.build_flavor),
        clusterName: str(body.cluster_name),
        clusterUuid: str(body.cluster_uuid),
        distribution: str(version.distribution),
      };
      if (fields.distribution === 'opensearch') product = PRODUCTS.opensearch;
      return {
        version: version.number,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      };
    },

    async listEndpoints(): Promise<LiveEndpoint[]> {
      const req = prepare('GET', '/_inference/_all');
      const list = unwrapEndpoints(await call(req));
      if (!list) throw invalid(req.method, req.path, 'no "endpoints" or "models" list');
      return list;
    },

    getEndpoint(id: string): Promise<LiveEndpoint | undefined> {
      return read(`/_inference/${enc(id)}`, id);
    },

    async putEndpoint(
      taskType: TaskType,
      id: string,
      body: RequestBody,
      putOptions: PutOptions = {},
    ): Promise<LiveEndpoint> {
      const serialized = serializeBody(body, putOptions.secrets);
      let esTimeoutMs: number | undefined;
      if (putOptions.timeout !== undefined) {
        const parsed = parseTimeValue(putOptions.timeout);
        if (parsed instanceof InferctlError) throw parsed;
        esTimeoutMs = parsed;
      }
      const service = typeof body.service === 'string' ? getService(body.service) : undefined;
      let httpTimeoutMs = service?.inCluster === true ? Math.max(timeoutMs, createTimeoutMs) : timeoutMs;
      if (esTimeoutMs !== undefined) httpTimeoutMs = Math.max(httpTimeoutMs, esTimeoutMs + TIMEOUT_GRACE_MS);
      const path = `/_inference/${taskType}/${enc(id)}`;
      const req = prepare('PUT', path + query({ timeout: putOptions.timeout }), {
        body: serialized.text,
        secrets: serialized.secrets,
        timeoutMs: httpTimeoutMs,
        inferenceId: id,
      });
      const existing = async (why: string): Promise<LiveEndpoint | undefined> => {
        const found = await read(path, id);
        if (found) note(req, `${why}; the endpoint exists, so the create took effect`);
        return found;
      };

      let uncertain = false;
      for (let attempt = 1; ; attempt++) {
        const outcome = await once(req, attempt);
        if (isOk(outcome)) return endpointOf(req, json(req, outcome));
        // A re-sent create after an attempt that may have been applied: "already exists" is our own.
        if (uncertain && isAlreadyExists(outcome)) {
          const found = await existing('the create was re-sent after an uncertain failure');
          if (found) return found;
          throw toError(req, outcome, attempt);
        }
        // ES stores the config before it waits for the deployment: its timeout (408 ≤9.3, 504 in 9.4, 429 with
        // `timed_out` from 9.5) leaves the endpoint behind.
        if (isInferenceTimeout(outcome)) {
          const found = await existing('the create timed out waiting for the model deployment to start');
          if (found) return found;
          throw toError(req, outcome, attempt);
        }
        const decision = retryDecision(outcome);
        if (!decision.retryable) throw toError(req, outcome, attempt);
        if (decision.maybeApplied) {
          uncertain = true;
          const found = await existing(`the create failed uncertainly (${decision.reason})`);
          if (found) return found;
        }
        if (attempt >= policy.maxAttempts) throw toError(req, outcome, attempt);
        if (!(await pause(req, outcome, attempt, decision.reason))) throw toError(req, outcome, attempt);
      }
    },

    async updateEndpoint(
      taskType: TaskType,
      id: string,
      body: RequestBody,
      writeOptions: WriteOptions = {},
    ): Promise<LiveEndpoint> {
      const serialized = serializeBody(body, writeOptions.secrets);
      const req = prepare('PUT', `/_inference/${taskType}/${enc(id)}/_update`, {
        body: serialized.text,
        secrets: serialized.secrets,
        inferenceId: id,
      });
      // `_update` with the same body converges to the same state: safe to retry like a read.
      return endpointOf(req, await call(req));
    },

    async deleteEndpoint(
      taskType: TaskType,
      id: string,
      deleteOptions: DeleteOptions = {},
    ): Promise<DeleteOutcome> {
      // Only `true` is sent: 8.14 and older reject the parameters altogether.
      const params = query({
        dry_run: deleteOptions.dryRun === true ? 'true' : undefined,
        force: deleteOptions.force === true ? 'true' : undefined,
      });
      const req = prepare('DELETE', `/_inference/${taskType}/${enc(id)}${params}`, { inferenceId: id });
      const final = await sendIdempotent(req);
      if (final.appliedBefore && deleteOptions.dryRun !== true && isResourceNotFound(final.outcome)) {
        const message = `DELETE was retried and the endpoint [${id}] is gone: an earlier attempt deleted it`;
        note(req, message);
        return { acknowledged: true, pipelines: [], indexes: [], note: message };
      }
      if (!isOk(final.outcome)) throw toError(req, final.outcome, final.attempts);
      const body = json(req, final.outcome);
      if (!isRecord(body) || typeof body.acknowledged !== 'boolean') {
        throw invalid(req.method, req.path, 'no "acknowledged" flag');
      }
      const names = (v: unknown) =>
        Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      return {
        acknowledged: body.acknowledged,
        // 8.14 and older answer only {"acknowledged":true}.
        pipelines: names(body.pipelines),
        indexes: names(body.indexes),
        ...(typeof body.error_message === 'string' ? { error_message: body.error_message } : {}),
      };
    },

    async license(): Promise<{ type: string; status: string } | undefined> {
      const req = prepare('GET', '/_license');
      const final = await sendIdempotent(req).catch(() => undefined);
      if (!final || !isOk(final.outcome)) return undefined;
      const body = json(req, final.outcome);
      const lic = isRecord(body) && isRecord(body.license) ? body.license : undefined;
      return lic && typeof lic.type === 'string' && typeof lic.status === 'string'
        ? { type: lic.type, status: lic.status }
        : undefined;
    },

    async indicesUsing(ids: readonly string[]): Promise<Map<string, string[]>> {
      const req = prepare('GET', '/_mapping');
      const final = await sendIdempotent(req);
      if (!isOk(final.outcome)) throw toError(req, final.outcome, final.attempts);
      const body = json(req, final.outcome);
      const out = new Map<string, string[]>(ids.map((id) => [id, []]));
      if (!isRecord(body)) return out;
      for (const [index, def] of Object.entries(body)) {
        const props = isRecord(def) && isRecord(def.mappings) ? def.mappings.properties : undefined;
        for (const id of ids) {
          if (semanticFieldsUsing(props, id).length > 0) out.get(id)!.push(index);
        }
      }
      return out;
    },

    async indexUse(index: string, inferenceId: string): Promise<IndexUse> {
      const mappingReq = prepare('GET', `/${enc(index)}/_mapping`);
      const mapping = await sendIdempotent(mappingReq);
      if (!isOk(mapping.outcome)) throw toError(mappingReq, mapping.outcome, mapping.attempts);
      const body = json(mappingReq, mapping.outcome);
      const fields: { field: string; modelSettings?: ModelSettings }[] = [];
      if (isRecord(body)) {
        for (const def of Object.values(body)) {
          const props = isRecord(def) && isRecord(def.mappings) ? def.mappings.properties : undefined;
          fields.push(...semanticFieldsUsing(props, inferenceId));
        }
      }
      const countReq = prepare('GET', `/${enc(index)}/_search` + query({ size: '0', track_total_hits: '1' }));
      const counted = await sendIdempotent(countReq);
      if (!isOk(counted.outcome)) throw toError(countReq, counted.outcome, counted.attempts);
      const hits = json(countReq, counted.outcome);
      const total = isRecord(hits) && isRecord(hits.hits) ? hits.hits.total : undefined;
      const value = isRecord(total) ? total.value : total;
      if (typeof value !== 'number') throw invalid(countReq.method, countReq.path, 'no "hits.total"');
      return { index, hasDocuments: value > 0, fields };
    },

    async deploymentStats(ids: readonly string[]): Promise<Map<string, DeploymentStats>> {
      const result = new Map<string, DeploymentStats>();
      for (const batch of batchIds([...new Set(ids)])) {
        let remaining = batch;
        // Explicit ids that match nothing make ES answer 404 even with allow_no_match (which covers
        // wildcards only): drop the ids it names and ask again; at most once per id.
        while (remaining.length > 0) {
          const req = prepare(
            'GET',
            `/_ml/trained_models/${remaining.map(enc).join(',')}/_stats` +
              query({ allow_no_match: 'true', size: '10000' }),
          );
          const final = await sendIdempotent(req);
          if (isResourceNotFound(final.outcome)) {
            const text = final.outcome.kind === 'response' ? final.outcome.text : '';
            const reason = parseErrorBody(text, (t) => t).reason ?? '';
            const missing = /No known trained model with model_id \[([^\]]*)\]/.exec(reason)?.[1];
            const gone = new Set((missing ?? '').split(',').map((s) => s.trim()));
            const next = remaining.filter((id) => !gone.has(id));
            if (next.length === remaining.length) throw toError(req, final.outcome, final.attempts);
            remaining = next;
            continue;
          }
          if (!isOk(final.outcome)) throw toError(req, final.outcome, final.attempts);
          const body = json(req, final.outcome);
          if (!isRecord(body) || !Array.isArray(body.trained_model_stats)) {
            throw invalid(req.method, req.path, 'no "trained_model_stats" list');
          }
          for (const item of body.trained_model_stats) {
            const stats = isRecord(item) ? item.deployment_stats : undefined;
            if (
              isRecord(stats) &&
              typeof stats.deployment_id === 'string' &&
              typeof stats.model_id === 'string'
            ) {
              result.set(stats.deployment_id, stats as unknown as DeploymentStats);
            }
          }
          break;
        }
      }
      return result;
    },

    async close(): Promise<void> {
      if (ownAgent) await dispatcher.close();
    },
  };
}

/** semantic_text fields under `properties` (objects and multi-fields too) that name `inferenceId`. */
function semanticFieldsUsing(
  properties: unknown,
  inferenceId: string,
  prefix = '',
): { field: string; modelSettings?: ModelSettings }[] {
  if (!isRecord(properties)) return [];
  const out: { field: string; modelSettings?: ModelSettings }[] = [];
  for (const [name, def] of Object.entries(properties)) {
    if (!isRecord(def)) continue;
    const path = prefix + name;
    if (
      def.type === 'semantic_text' &&
      (def.inference_id === inferenceId || def.search_inference_id === inferenceId)
    ) {
      const modelSettings = recordedModelSettings(def);
      out.push(modelSettings ? { field: path, modelSettings } : { field: path });
    }
    out.push(...semanticFieldsUsing(def.properties, inferenceId, path + '.'));
    out.push(...semanticFieldsUsing(def.fields, inferenceId, path + '.'));
  }
  return out;
}
