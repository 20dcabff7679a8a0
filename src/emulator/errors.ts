/**
 * The Elasticsearch error envelope (reference §7):
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

  constructor(
    status: number,
    type: string,
    reason: string,
    options: { extra?: JsonObject; causedBy?: EsErrorCause; headers?: Record<string, string> } = {},
  ) {
    super(reason);
    this.status = status;
    this.type = type;
    this.reason = reason;
    this.extra = options.extra;
    this.causedBy = options.causedBy;
    this.headers = options.headers;
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
  const envelope: JsonValue = { error: { root_cause: [root], ...body }, status: error.status };
  return { status: error.status, body: envelope, ...(error.headers ? { headers: error.headers } : {}) };
}

// ---- the error kinds of reference §7, by ES exception class --------------------------------------

/** `ElasticsearchStatusException` → type `status_exception` with an explicit status. */
export function statusException(status: number, reason: string, causedBy?: EsErrorCause): EsError {
  return new EsError(status, 'status_exception', reason, causedBy ? { causedBy } : {});
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

/** 403 licence error; ES adds `license.expired.feature` to the error metadata [I] (§7, §8). */
export function licenseError(feature: string): EsError {
  return new EsError(403, 'security_exception', `current license is non-compliant for [${feature}]`, {
    extra: { 'license.expired.feature': feature },
  });
}

/**
 * Java `Map.toString()` / `Set.toString()` of parsed JSON, as ES prints maps into messages
 * (`[{service=openai}]`, `[p1, p2]`): `{k=v, k2=v2}`, lists `[a, b]`, doubles keep `.0`.
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map(javaString).join(', ') + ']';
  if (typeof value === 'object') {
    return (
      '{' +
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}=${javaString(v)}`)
        .join(', ') +
      '}'
    );
  }
  return String(value);
}
