/**
 * A tiny checker for the JSON Schema fragments the catalog writes on `object` fields (custom service's
 * `request`/`response`/`query_parameters`…). Only the keywords the catalog uses are understood: type, enum,
 * oneOf, properties, required, additionalProperties, items, minItems, maxItems, minLength, pattern.
 * Hand-written instead of ajv so that starting the emulator compiles nothing (start well under 1 s).
 */
import type { JsonSchema } from '../catalog/types.js';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: unknown, value: unknown): boolean {
  const actual = typeOf(value);
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** Does `value` satisfy `schema`? */
export function matchesSchema(schema: JsonSchema | boolean | undefined, value: unknown): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) return false;
  if (Array.isArray(schema.oneOf)) {
    const n = (schema.oneOf as JsonSchema[]).filter((s) => matchesSchema(s, value)).length;
    if (n !== 1) return false;
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    if (schema.items !== undefined && !value.every((v) => matchesSchema(schema.items as JsonSchema, v)))
      return false;
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    if (Array.isArray(schema.required) && !schema.required.every((k) => typeof k === 'string' && k in object))
      return false;
    for (const [key, v] of Object.entries(object)) {
      const own = properties[key];
      if (own !== undefined) {
        if (!matchesSchema(own, v)) return false;
      } else if (schema.additionalProperties !== undefined) {
        if (!matchesSchema(schema.additionalProperties as JsonSchema | boolean, v)) return false;
      }
    }
  }
  return true;
}
