/**
 * The set of schema files published in `schemas/`: path → content. Generated, never edited by hand;
 * `npm run schemas` writes them and `test/schema/freshness.test.ts` fails when they are stale.
 */
import { SERVICES, supportedTaskTypes } from '../catalog/index.js';
import { DRIFT_STATUSES } from '../engine/drift.js';
import { ACTIONS } from '../engine/types.js';
import { projectSchema } from '../project/project.js';
import { DIAGNOSTIC_CODES } from '../manifest/diagnostics.js';
import { manifestSchema, SCHEMA_DIALECT, serviceTaskFileSchema } from './generate.js';
import {
  blockedSchema,
  checksumSchema,
  diffEntrySchema,
  sourceSchema,
  stringsSchema,
  targetSchema,
} from './parts.js';
import { openSearchPlanSchema } from '../opensearch/schema.js';

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
  files.set('plan.schema.json', schemaText(planSchema()));
  files.set('opensearch-plan.schema.json', schemaText(openSearchPlanSchema()));
  files.set('drift.schema.json', schemaText(driftSchema()));
  files.set('project.schema.json', schemaText(projectSchema()));
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

/** The output of `inferctl plan --format json` (and `plan --out`): the contract CI jobs read. */
export function planSchema(): unknown {
  const diffEntry = diffEntrySchema(
    'JSON Pointer into the request body, e.g. /service_settings/model_id.',
    'Whether this field can change with _update on this cluster.',
  );
  const reason = {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: {
        enum: [
          'new',
          'immutable_field',
          'no_update_api',
          'update_cannot_remove',
          'update_resets_chunking',
          'service_changed',
          'task_type_changed',
          'secret_rotated',
          'secret_forced',
          'in_place',
          'not_declared',
          'protected',
          'referenced',
        ],
      },
      message: { type: 'string' },
      fields: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  };
  const count = { type: 'integer', minimum: 0 };
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl plan --format json',
    type: 'object',
    required: [
      'format_version',
      'checksum',
      'target',
      'summary',
      'changes',
      'unchanged',
      'unmanaged',
      'orphaned',
      'unverifiable',
      'notes',
    ],
    properties: {
      format_version: { const: 1 },
      checksum: checksumSchema,
      target: targetSchema,
      summary: {
        type: 'object',
        required: ['create', 'update', 'replace', 'delete', 'unchanged', 'blocked'],
        properties: {
          create: count,
          update: count,
          replace: count,
          delete: count,
          unchanged: count,
          blocked: count,
        },
        additionalProperties: false,
      },
      changes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['action', 'kind', 'id', 'taskType', 'service', 'reasons', 'diff'],
          properties: {
            action: { enum: [...ACTIONS] },
            kind: { const: 'InferenceEndpoint' },
            id: { type: 'string' },
            taskType: { type: 'string' },
            liveTaskType: { type: 'string', description: 'replace only: the task type the DELETE names.' },
            service: { type: 'string' },
            reasons: { type: 'array', items: reason },
            diff: { type: 'array', items: diffEntry },
            source: sourceSchema,
            blocked: blockedSchema,
            warnings: stringsSchema,
            references: {
              type: 'object',
              description: 'Who uses the endpoint (from a dry-run delete): replaces and deletes only.',
              required: ['pipelines', 'indexes'],
              properties: {
                pipelines: { type: 'array', items: { type: 'string' } },
                indexes: { type: 'array', items: { type: 'string' } },
              },
              additionalProperties: false,
            },
            force: { const: true, description: 'The delete is sent with force=true (--allow-disruption).' },
          },
          additionalProperties: false,
        },
      },
      unchanged: { type: 'array', items: { type: 'string' } },
      unmanaged: {
        type: 'array',
        items: { type: 'string' },
        description: 'Live endpoints neither declared nor owned (reserved ids excluded): left alone.',
      },
      orphaned: {
        type: 'array',
        items: { type: 'string' },
        description: 'Owned by inferctl, no longer declared, not pruned: deleted only with --prune.',
      },
      unverifiable: {
        type: 'array',
        items: { type: 'string' },
        description: 'Declared endpoints whose secrets have no recorded fingerprint (cannot verify).',
      },
      inventory: { type: 'string', description: 'Where ownership and secret fingerprints are kept.' },
      notes: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  };
}

/** The output of `inferctl drift --format json`. */
export function driftSchema(): unknown {
  const count = { type: 'integer', minimum: 0 };
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl drift --format json',
    type: 'object',
    required: ['format_version', 'target', 'summary', 'endpoints', 'drifted'],
    properties: {
      format_version: { const: 1 },
      flavor: {
        const: 'opensearch',
        description: 'Present on OpenSearch, where the entries are ML Commons objects keyed kind/name.',
      },
      target: targetSchema,
      inventory: { type: 'string', description: 'Where ownership and secret fingerprints are kept.' },
      summary: {
        type: 'object',
        required: ['in_sync', 'drifted', 'missing', 'unmanaged'],
        properties: { in_sync: count, drifted: count, missing: count, unmanaged: count },
        additionalProperties: false,
      },
      drifted: {
        type: 'boolean',
        description: 'true when anything is drifted, missing or unmanaged (exit status 2).',
      },
      endpoints: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'status', 'fix'],
          properties: {
            id: { type: 'string', description: 'The endpoint id; on OpenSearch kind/name.' },
            kind: { type: 'string', description: 'OpenSearch: the object kind.' },
            object_id: { type: 'string', description: 'OpenSearch: the id the server generated.' },
            status: { enum: [...DRIFT_STATUSES] },
            service: { type: 'string' },
            taskType: { type: 'string' },
            fields: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path'],
                properties: { path: { type: 'string' }, live: {}, desired: {} },
                additionalProperties: false,
              },
            },
            secrets: {
              enum: ['verified', 'changed', 'cannot-verify', 'none'],
              description: 'Secrets are write-only: only fingerprints of what was last applied can tell.',
            },
            fix: { enum: ['in-place', 'create', 'replace', 'downtime', 'review'] },
            detail: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  };
}
