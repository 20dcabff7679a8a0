import { SAFE_INPUT_DESCRIPTION, SAFE_INPUT_PATTERN } from '../../catalog/opensearch-capabilities.js';
/**
 * OpenSearch's error envelope. OpenSearch kept Elasticsearch 7.10's: `{"error":{"root_cause":[{"type","reason"}],
 * "type","reason"},"status":N}`, the type being the exception class in snake case (`OpenSearchException
 * .getExceptionName`: the `OpenSearch` prefix dropped, every capital → `_` + lower case, so ml-commons'
 * `OpenSearchStatusException` → `status_exception`, `IllegalArgumentException` → `illegal_argument_exception`,
 * `MLValidationException` → `m_l_validation_exception`, `IOException` → `i_o_exception`). Statuses: an
 * `OpenSearchException` carries its own, `IllegalArgumentException` → 400, everything else → 500
 * (`ExceptionsHelper.status`). Routing errors are flat `{"error": "..."}` bodies (see `routing.ts`).
 *
 * The differences from the Elasticsearch emulator: no `x-elastic-product` header, and ml-commons reports almost
 * everything as `status_exception` with an explicit status.
 *
 * Kept apart from `../errors.ts` on purpose: the two servers' error vocabularies evolve separately.
 */
import type { EmuResponse, JsonObject } from '../types.js';

export class OsError extends Error {
  readonly status: number;
  readonly type: string;
  readonly reason: string | null;
  readonly extra: JsonObject | undefined;

  constructor(status: number, type: string, reason: string | null, extra?: JsonObject) {
    super(reason ?? type);
    this.status = status;
    this.type = type;
    this.reason = reason;
    this.extra = extra;
  }
}

/** Renders an `OsError`: the single root cause repeats type and reason. */
export function errorResponse(error: OsError): EmuResponse {
  const cause: JsonObject = { type: error.type, reason: error.reason, ...(error.extra ?? {}) };
  return {
    status: error.status,
    body: { error: { root_cause: [cause], ...cause }, status: error.status },
  };
}

/** `OpenSearchStatusException(message, status)`. */
export function statusException(status: number, reason: string): OsError {
  return new OsError(status, 'status_exception', reason);
}

/** `IllegalArgumentException` → 400. */
export function illegalArgument(reason: string): OsError {
  return new OsError(400, 'illegal_argument_exception', reason);
}

/** `OpenSearchParseException` → 400 `parse_exception`. */
export function parseException(reason: string): OsError {
  return new OsError(400, 'parse_exception', reason);
}

/** `IllegalStateException` → 500. */
export function illegalState(reason: string): OsError {
  return new OsError(500, 'illegal_state_exception', reason);
}

/** `RuntimeException` → 500. */
export function runtimeException(reason: string): OsError {
  return new OsError(500, 'runtime_exception', reason);
}

/** `MLValidationException` (an `OpenSearchException` without an explicit status → 500, its default) [infer]. */
export function mlValidation(reason: string): OsError {
  return new OsError(500, 'm_l_validation_exception', reason);
}

/**
 * Java's `Enum.valueOf` failure: `IllegalArgumentException("No enum constant <class>.<NAME>")`, which ml-commons
 * lets through for `rate_limiter.unit` and connector `action_type`.
 */
export function noEnumConstant(javaClass: string, name: string): OsError {
  return illegalArgument(`No enum constant ${javaClass}.${name}`);
}

/** Java's `Arrays.toString`/`List.toString` of strings: `[a, b]`. */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/**
 * `StringUtils.validateFields` of 3.1's create/register requests, run by the transport layer after parsing: a
 * required field that is blank, or any given field outside `SAFE_INPUT_PATTERN`, → 400
 * `action_request_validation_exception` "Validation Failed: 1: <field> …;" [src 3.1.0.0].
 */
export function validateFields(
  fields: readonly (readonly [label: string, value: string | undefined, required: boolean])[],
): void {
  const errors: string[] = [];
  for (const [label, value, required] of fields) {
    const blank = value === undefined || value.trim() === '';
    if (required && blank) errors.push(`${label} is required and cannot be null or blank`);
    else if (!blank && !SAFE_INPUT_PATTERN.test(value)) errors.push(`${label} ${SAFE_INPUT_DESCRIPTION}`);
  }
  if (errors.length) {
    throw new OsError(
      400,
      'action_request_validation_exception',
      `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`,
    );
  }
}
