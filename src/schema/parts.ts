/**
 * Pieces the output schemas of both flavors share (plan, drift): the plan target, counts, a field-level diff entry,
 * a blocked change, a declaration's source, string lists. One place, so that the Elasticsearch and OpenSearch
 * contracts cannot drift apart where they mean the same thing.
 */
import type { JsonSchema } from '../catalog/types.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const countSchema: JsonSchema = { type: 'integer', minimum: 0 };

export const stringsSchema: JsonSchema = { type: 'array', items: { type: 'string' } };

export const checksumSchema: JsonSchema = {
  type: 'string',
  pattern: '^sha256:[0-9a-f]{64}$',
  description:
    'Over the plan content and the fingerprints of the secrets it would send; apply --plan refuses a different one.',
};

export const targetSchema: JsonSchema = {
  type: 'object',
  required: ['url', 'version'],
  properties: { url: { type: 'string' }, version: { type: 'string' } },
  additionalProperties: false,
};

export const blockedSchema: JsonSchema = {
  type: 'object',
  required: ['reason', 'hint'],
  properties: { reason: { type: 'string' }, hint: { type: 'string' } },
  additionalProperties: false,
};

export const sourceSchema: JsonSchema = {
  type: 'object',
  required: ['file', 'line'],
  properties: { file: { type: 'string' }, line: { type: 'integer' } },
  additionalProperties: false,
};

/** One field-level difference; `path` says what the pointer points into, `mode` what in place means there. */
export function diffEntrySchema(path: string, mode: string): JsonSchema {
  return {
    type: 'object',
    required: ['op', 'path', 'mode'],
    properties: {
      op: { enum: ['add', 'remove', 'replace'] },
      path: { type: 'string', description: path },
      before: { description: 'The live value (absent for additions). Secrets are "(secret)".' },
      after: { description: 'The desired value (absent for removals). Secrets are "(secret)".' },
      secret: { const: true, description: 'The field is a secret: compared by fingerprint, never shown.' },
      mode: { enum: ['in-place', 'replace'], description: mode },
      why: { type: 'string' },
    },
    additionalProperties: false,
  };
}
