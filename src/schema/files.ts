/**
 * The set of schema files published in `schemas/`: path → content. Generated, never edited by hand;
 * `npm run schemas` writes them and `test/schema/freshness.test.ts` fails when they are stale.
 */
import { SERVICES, supportedTaskTypes } from '../catalog/index.js';
import { DIAGNOSTIC_CODES } from '../manifest/diagnostics.js';
import { manifestSchema, SCHEMA_DIALECT, serviceTaskFileSchema } from './generate.js';

/** Canonical file text: 2-space JSON with a trailing newline. */
export function schemaText(schema: unknown): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('inferctl.schema.json', schemaText(manifestSchema()));
  for (const service of SERVICES) {
    for (const taskType of supportedTaskTypes(service)) {
      files.set(
        `services/${service.name}/${taskType}.schema.json`,
        schemaText(serviceTaskFileSchema(service, taskType)),
      );
    }
  }
  files.set('diagnostics.schema.json', schemaText(diagnosticsSchema()));
  return files;
}

/** The output of `inferctl validate --format json`. */
export function diagnosticsSchema(): unknown {
  const position = {
    file: {
      type: 'string',
      description: 'The file as given on the command line, or relative to the working directory.',
    },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
  };
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl validate --format json',
    type: 'object',
    required: ['format_version', 'valid', 'files', 'manifests', 'diagnostics'],
    properties: {
      format_version: { const: 1 },
      valid: { type: 'boolean', description: 'true when there is no error (warnings allowed).' },
      files: { type: 'integer', minimum: 0, description: 'Manifest files read.' },
      manifests: { type: 'integer', minimum: 0, description: 'Valid manifests loaded.' },
      diagnostics: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'severity', 'file', 'line', 'column', 'path', 'message'],
          properties: {
            code: { enum: [...DIAGNOSTIC_CODES], description: 'Stable identifier of the kind of problem.' },
            severity: { enum: ['error', 'warning'] },
            ...position,
            path: {
              type: 'string',
              description: 'Dotted path in the document, e.g. spec.service_settings.model_id.',
            },
            message: { type: 'string' },
            hint: { type: 'string', description: 'What to do about it.' },
            related: {
              type: 'object',
              required: ['file', 'line', 'column'],
              properties: position,
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  };
}
