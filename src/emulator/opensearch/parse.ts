/**
 * ml-commons parses request bodies with hand-written `XContentParser` loops. These helpers reproduce what each
 * parser call does with a JSON value: `text()` takes any scalar (numbers and booleans as their text) and fails on
 * objects, arrays and null; `booleanValue()` takes booleans and the strings "true"/"false"; `mapStrings()` a flat
 * map of scalars; `getParameterMap` stringifies every value (objects as JSON).
 *
 * The JVM's "Can't get text on a START_OBJECT at 1:23" carries a token location the emulator does not track: the
 * message ends before " at …" [infer].
 */
import type { JsonObject, JsonValue } from '../types.js';
import { OsError, parseException } from './errors.js';

const TOKEN: Record<string, string> = {
  object: 'START_OBJECT',
  array: 'START_ARRAY',
  null: 'VALUE_NULL',
};

function tokenOf(value: JsonValue): string {
  if (value === null) return TOKEN.null as string;
  if (Array.isArray(value)) return TOKEN.array as string;
  return TOKEN.object as string;
}

/** `parser.text()`. Throws `IllegalStateException` (500) on a non-scalar. */
export function text(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new OsError(500, 'illegal_state_exception', `Can't get text on a ${tokenOf(value)}`);
}

/** `parser.textOrNull()`. */
export function textOrNull(value: JsonValue): string | null {
  return value === null ? null : text(value);
}

/** `parser.booleanValue()`: true/false or their strings; anything else 400 (`Booleans.parseBoolean`). */
export function bool(value: JsonValue, _field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new OsError(
    400,
    'illegal_argument_exception',
    `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
  );
}

/** `parser.intValue()` / `longValue()`: numbers or numeric strings. */
export function integer(value: JsonValue): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Math.trunc(Number(value));
  throw new OsError(400, 'illegal_argument_exception', `For input string: "${String(value)}"`);
}

/** `parser.mapStrings()`. */
export function mapStrings(value: JsonValue): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw parseException(
      `Failed to parse object: expecting token of type [START_OBJECT] but found [${tokenOf(value)}]`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = text(v);
  return out;
}

/** `StringUtils.getParameterMap`: every value as a string, objects and arrays as their JSON (gson). */
export function parameterMap(value: JsonValue): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return mapStrings(value);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * `AccessMode.from(parser.text())`: the mode's name, or undefined for an unknown value (treated as if
 * absent) [src]. Shared by connector, model and model group input.
 */
export function accessMode(value: JsonValue): string | undefined {
  const mode = text(value);
  return ['public', 'private', 'restricted'].includes(mode) ? mode : undefined;
}

/** `ensureExpectedToken(START_ARRAY, …)` then `text()` per element. */
export function stringList(value: JsonValue): string[] {
  if (!Array.isArray(value)) {
    throw parseException(
      `Failed to parse object: expecting token of type [START_ARRAY] but found [${tokenOfAny(value)}]`,
    );
  }
  return value.map((v) => text(v));
}

function tokenOfAny(value: JsonValue): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  if (typeof value === 'boolean') return 'VALUE_BOOLEAN';
  return tokenOf(value);
}

/** The body as a JSON object, or the errors OpenSearch gives for a missing or non-object body. */
export function objectBody(body: string | undefined, missing: () => OsError): JsonObject {
  if (body === undefined || body.trim() === '') throw missing();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new OsError(400, 'json_parse_exception', (error as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw parseException(
      `Failed to parse object: expecting token of type [START_OBJECT] but found [${tokenOfAny(parsed as JsonValue)}]`,
    );
  }
  return parsed as JsonObject;
}

/** `request.contentParser()` without a body: OpenSearch's "request body is required". */
export function bodyRequired(): OsError {
  return parseException('request body is required');
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
