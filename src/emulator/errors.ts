/**
 * The Elasticsearch error envelope:
 * `{"error":{"root_cause":[{"type","reason"}],"type","reason"[,"caused_by"]},"status":N}`.
 *
 * Handlers throw `EsError`; the dispatcher renders it. Routing errors are *not* in this envelope: ES's
 * `RestController` answers them with a flat `{"error":"<text>"}` (see `routing.ts`).
 */
import type { EmuResponse, JsonObject, JsonValue } from './types.js';

export interface EsErrorCause {
  readonly type: string;
  readonly reason: string;
  readonly extra?: JsonObject;
  readonly causedBy?: EsErrorCause;
}

/** An error the emulated server reports in the standard envelope. */
export class EsError extends Error {
  readonly status: number;
  readonly type: string;
  readonly reason: string;
  readonly extra: JsonObject | undefined;
  readonly causedBy: EsErrorCause | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Root causes when they differ from the error itself (search_phase_execution_exception's shard failures). */
  readonly rootCauses: readonly JsonObject[] | undefined;

  constructor(
    status: number,
    type: string,
    reason: string,
    options: {
      extra?: JsonObject;
      causedBy?: EsErrorCause;
      headers?: Record<string, string>;
      rootCauses?: readonly JsonObject[];
    } = {},
  ) {
    super(reason);
    this.status = status;
    this.type = type;
    this.reason = reason;
    this.extra = options.extra;
    this.causedBy = options.causedBy;
    this.headers = options.headers;
    this.rootCauses = options.rootCauses;
  }
}

function causeJson(cause: EsErrorCause): JsonObject {
  const out: JsonObject = { type: cause.type, reason: cause.reason, ...(cause.extra ?? {}) };
  if (cause.causedBy) out.caused_by = causeJson(cause.causedBy);
  return out;
}

/** Renders an `EsError` as ES does: the root cause repeats type/reason (and the extra fields). */
export function errorResponse(error: EsError): EmuResponse {
  const root: JsonObject = { type: error.type, reason: error.reason, ...(error.extra ?? {}) };
  const body: JsonObject = { type: error.type, reason: error.reason, ...(error.extra ?? {}) };
  if (error.causedBy) body.caused_by = causeJson(error.causedBy);
  const rootCause = error.rootCauses ? [...error.rootCauses] : [root];
  const envelope: JsonValue = { error: { root_cause: rootCause, ...body }, status: error.status };
  return { status: error.status, body: envelope, ...(error.headers ? { headers: error.headers } : {}) };
}

// ---- the error kinds of the API docs, by ES exception class --------------------------------------

/** `ElasticsearchStatusException` → type `status_exception` with an explicit status. */
export function statusException(status: number, reason: string, causedBy?: EsErrorCause): EsError {
  return new EsError(status, 'status_exception', reason, causedBy ? { causedBy } : {});
}

/**
 * An inference timeout as the version answers it: 408 `status_exception` up to 9.3 (PR #118618 made it a
 * status exception with REQUEST_TIMEOUT); 504 in 9.4 (PR #145838); from 9.5 an `ElasticsearchTimeoutException`
 * (PR #146531) — 429 with `"timed_out": true` in the body and an `X-Timed-Out` header (PR #124936) and the
 * inference id in the reason.
 */
export function inferenceTimeout(status: 408 | 504 | 429, reason: string, inferenceId: string): EsError {
  if (status === 429) {
    return new EsError(
      429,
      'elasticsearch_timeout_exception',
      `${reason} for inference id [${inferenceId}]`,
      {
        extra: { timed_out: true },
        headers: { 'X-Timed-Out': 'true' },
      },
    );
  }
  return new EsError(status, 'status_exception', reason);
}

/** `ValidationException`: "Validation Failed: 1: a;2: b;" (type `validation_exception`). */
export function validationException(errors: readonly string[]): EsError {
  return new EsError(400, 'validation_exception', validationText(errors));
}

/** `ActionRequestValidationException`: same text, type `action_request_validation_exception`. */
export function actionRequestValidation(errors: readonly string[]): EsError {
  return new EsError(400, 'action_request_validation_exception', validationText(errors));
}

export function validationText(errors: readonly string[]): string {
  return 'Validation Failed: ' + errors.map((e, i) => `${i + 1}: ${e};`).join('');
}

export function resourceNotFound(reason: string): EsError {
  return new EsError(404, 'resource_not_found_exception', reason);
}

export function illegalArgument(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}

/** 403 licence error; ES adds `license.expired.feature` to the error metadata [I]. */
export function licenseError(feature: string): EsError {
  return new EsError(403, 'security_exception', `current license is non-compliant for [${feature}]`, {
    extra: { 'license.expired.feature': feature },
  });
}

/** Java `String.hashCode()` (UTF-16 code units, 32-bit overflow). */
export function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * Iteration order of a `java.util.HashMap` / `HashSet` (default capacity 16, load factor 0.75) after inserting
 * `inserted` in that order, restricted to `present` (keys removed since keep the others' order; only the
 * capacity remembers them). Buckets are `(h ^ (h >>> 16)) & (capacity - 1)`; a bucket keeps insertion order
 * through every resize. The table doubles when the size passes 0.75 × capacity, and also when a bucket reaches
 * 9 entries while the capacity is below 64 (`treeifyBin`). Not modelled: a bucket of 9+ entries in a table of 64+
 * becomes a tree whose iteration order differs — only with many colliding keys.
 *
 * Where ES fills such a collection by iterating another unordered one (cluster-state pipelines and indices for
 * the delete 409), keys in the same bucket follow the emulator's creation order [I].
 */
export function javaHashOrder(present: readonly string[], inserted: readonly string[] = present): string[] {
  const spread = (key: string) => {
    const h = javaHashCode(key);
    return h ^ (h >>> 16);
  };
  let capacity = 16;
  const order = new Map<string, number>();
  let bins = new Map<number, number>(); // bucket → entries
  const rebuild = () => {
    bins = new Map();
    for (const key of order.keys()) {
      const b = spread(key) & (capacity - 1);
      bins.set(b, (bins.get(b) ?? 0) + 1);
    }
  };
  for (const key of inserted) {
    if (order.has(key)) continue;
    order.set(key, order.size);
    const bucket = spread(key) & (capacity - 1);
    const count = (bins.get(bucket) ?? 0) + 1;
    bins.set(bucket, count);
    if (count >= 9 && capacity < 64) {
      capacity *= 2;
      rebuild();
    }
    if (order.size > capacity * 0.75) {
      capacity *= 2;
      rebuild();
    }
  }
  const position = (key: string) => order.get(key) ?? order.size;
  return [...present].sort(
    (a, b) => (spread(a) & (capacity - 1)) - (spread(b) & (capacity - 1)) || position(a) - position(b),
  );
}

/**
 * Java `Map.toString()` / `List.toString()` of parsed JSON, as ES prints maps into messages
 * (`[{service=openai}]`): `{k=v, k2=v2}`, lists `[a, b]`. Maps come from ES's JSON parser as `HashMap`s
 * (`XContentHelper.convertToMap(…, false, …)`, `parser.map()`), so keys print in `HashMap` order
 * (`javaHashOrder`); `inserted` = every key the top-level map ever held, when some were removed before printing
 * (the map keeps the capacity of its original size).
 *
 * Not reproduced: a JSON `1.0` is a Java Double and prints `1.0`, but `JSON.parse` keeps no trace of the `.0`, so
 * it prints `1` here (exponent forms such as `1.0E21` likewise).
 */
export function javaString(value: unknown, inserted?: readonly string[]): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => javaString(v)).join(', ') + ']';
  if (typeof value === 'object') {
    const map = value as Record<string, unknown>;
    return (
      '{' +
      javaHashOrder(Object.keys(map), inserted ?? Object.keys(map))
        .map((k) => `${k}=${javaString(map[k])}`)
        .join(', ') +
      '}'
    );
  }
  return String(value);
}
