/**
 * JSON Schemas of the OpenSearch kinds, generated from the field table (`fields.ts`). Strict on purpose:
 * ML Commons silently skips keys it does not know, so a typo would otherwise be
 * accepted by the server and never applied. `src/schema/generate.ts` merges these definitions into the
 * manifest schema.
 */
import type { JsonSchema } from '../catalog/types.js';
import {
  CONNECTOR_FIELDS,
  MCP_ONLY_FIELDS,
  MCP_PROTOCOLS,
  MODEL_FIELDS,
  MODEL_GROUP_FIELDS,
  NOT_MCP_FIELDS,
  type OpenSearchField,
} from './fields.js';
import { OPENSEARCH_KINDS, type OpenSearchKind } from './kinds.js';
import { OPENSEARCH_ACTIONS, OPENSEARCH_REASON_CODES, type OpenSearchPlanSummary } from './types.js';
import {
  blockedSchema,
  checksumSchema,
  countSchema,
  diffEntrySchema,
  SCHEMA_DIALECT,
  sourceSchema,
  stringsSchema,
  targetSchema,
} from '../schema/parts.js';

/** The `$defs` name of a kind's `spec`. */
export function specDefName(kind: OpenSearchKind): string {
  return `${kind}Spec`;
}

function objectOf(
  fields: Readonly<Record<string, OpenSearchField>>,
  description: string,
  extra: JsonSchema = {},
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const since = field.since ? ` OpenSearch ${field.since}+.` : '';
    const inner = field.schema['description'];
    properties[name] = {
      ...field.schema,
      description:
        typeof inner === 'string' && inner !== field.description
          ? `${field.description} ${inner}${since}`
          : `${field.description}${since}`,
      'x-updatable': field.update,
      ...(field.since ? { 'x-since': field.since } : {}),
      ...(field.default !== undefined ? { 'x-default': field.default } : {}),
      ...(field.secret ? { 'x-secret': true } : {}),
    };
    if (field.required) required.push(name);
  }
  return {
    type: 'object',
    description,
    ...(required.length ? { required } : {}),
    properties,
    additionalProperties: false,
    ...extra,
  };
}

const refused = (message: string): JsonSchema => ({ not: {}, 'x-message': message });

/**
 * The protocol decides the shape (ml-commons `McpConnector`): an MCP connector needs a `url`,
 * may have `headers` and a credential, and has no `parameters` or `actions` (OpenSearch would drop
 * them); an http or aws_sigv4 connector needs a non-empty credential and has no `url` or `headers`.
 */
const byProtocol: JsonSchema = {
  if: { properties: { protocol: { enum: [...MCP_PROTOCOLS] } }, required: ['protocol'] },
  then: {
    required: ['url'],
    properties: Object.fromEntries(
      NOT_MCP_FIELDS.map((f) => [
        f,
        refused(
          `an MCP connector (protocol ${MCP_PROTOCOLS.join(' or ')}) has no ${f}: OpenSearch ignores them; remove ${f}`,
        ),
      ]),
    ),
  },
  else: {
    required: ['credential'],
    properties: Object.fromEntries(
      MCP_ONLY_FIELDS.map((f) => [
        f,
        refused(
          `${f} belongs to MCP connectors (protocol ${MCP_PROTOCOLS.join(' or ')}); an http or aws_sigv4 connector ignores it — use actions[].${f === 'url' ? 'url' : 'headers'}`,
        ),
      ]),
    ),
  },
};

/** SigV4 connectors need an access key pair (`AwsConnector`: "Missing credential"). */
const sigv4Keys: JsonSchema = {
  if: { properties: { protocol: { const: 'aws_sigv4' } }, required: ['protocol'] },
  then: { properties: { credential: { required: ['access_key', 'secret_key'] } } },
};

/**
 * The definitions the manifest schema needs for the OpenSearch kinds.
 *
 * @example const defs = openSearchDefs(); defs['OpenSearchModelSpec'].required // ['model_group', 'connector']
 */
export function openSearchDefs(
  options: { readonly allowLiteralSecrets?: boolean } = {},
): Record<string, JsonSchema> {
  const connectorFields = options.allowLiteralSecrets ? literalSecrets(CONNECTOR_FIELDS) : CONNECTOR_FIELDS;
  const inlineFields: Record<string, OpenSearchField> = {
    name: {
      description: 'Name of the inline connector.',
      schema: { type: 'string', minLength: 1 },
      update: 'in-place',
      removal: 'keep',
    },
    // An inline connector serves its model: never an MCP one (no actions to call).
    ...Object.fromEntries(
      Object.entries(connectorFields)
        .filter(([f]) => !MCP_ONLY_FIELDS.includes(f))
        .map(([f, field]) => [
          f,
          f === 'protocol'
            ? {
                ...field,
                description:
                  'http, or aws_sigv4 for AWS services (Bedrock, SageMaker). An MCP connector serves agents, not models: it cannot be inline.',
                schema: { enum: ['http', 'aws_sigv4'] },
              }
            : field,
        ]),
    ),
  };
  return {
    [specDefName('OpenSearchConnector')]: objectOf(
      connectorFields,
      'A stand-alone ML Commons connector: the body of POST /_plugins/_ml/connectors/_create without its name (metadata.name), credentials as secretRef.',
      { allOf: [byProtocol, sigv4Keys] },
    ),
    OpenSearchInlineConnector: objectOf(
      inlineFields,
      'An internal connector registered with the model; updated in place through the Update Model API.',
      { allOf: [{ required: ['credential'] }, sigv4Keys] },
    ),
    [specDefName('OpenSearchModelGroup')]: objectOf(
      MODEL_GROUP_FIELDS,
      'An ML Commons model group (names are unique on a cluster: metadata.name is the anchor).',
    ),
    [specDefName('OpenSearchModel')]: objectOf(
      MODEL_FIELDS,
      'A remote model (function_name: remote), registered into a model group on a connector and deployed.',
    ),
  };
}

/** `--allow-literal-secrets`: a secret may also be written as a string (throw-away clusters only). */
function literalSecrets(
  fields: Readonly<Record<string, OpenSearchField>>,
): Readonly<Record<string, OpenSearchField>> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [
      name,
      field.secret
        ? {
            ...field,
            schema: {
              ...field.schema,
              additionalProperties: {
                anyOf: [{ $ref: '#/$defs/SecretRef' }, { type: 'string', minLength: 1 }],
              },
            },
          }
        : field,
    ]),
  );
}

/** The `allOf` branches that give `spec` its schema by `kind`. */
export function openSearchKindDispatch(): JsonSchema[] {
  return OPENSEARCH_KINDS.map((kind) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'] },
    then: {
      properties: {
        // Free text, as on the cluster (blueprints name objects "Amazon Bedrock Connector: embedding"); 3.1's
        // character rule is checked against the cluster's version when planning.
        metadata: { properties: { name: { pattern: '\\S' } } },
        spec: { $ref: `#/$defs/${specDefName(kind)}` },
      },
    },
  }));
}

/** The counts of `OpenSearchPlanSummary`. */
const SUMMARY_KEYS = [
  'create',
  'update',
  'replace',
  'delete',
  'deploy',
  'undeploy',
  'unchanged',
  'blocked',
  'downtime',
] as const satisfies readonly (keyof OpenSearchPlanSummary)[];

/**
 * The output of `inferctl plan --format json` on an OpenSearch cluster (`schemas/opensearch-plan.schema.json`):
 * the contract CI jobs read, generated from the same `as const` lists as the plan's types.
 */
export function openSearchPlanSchema(): JsonSchema {
  const count = countSchema;
  const strings = stringsSchema;
  const diffEntry = diffEntrySchema(
    'JSON Pointer in spec terms, e.g. /rate_limiter/limit, /model_state.',
    "in-place: the kind's update API (or a deploy/undeploy); replace: re-registration or a new connector.",
  );
  const blocked = blockedSchema;
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl plan --format json (OpenSearch ML Commons)',
    type: 'object',
    required: [
      'format_version',
      'flavor',
      'checksum',
      'target',
      'summary',
      'changes',
      'unchanged',
      'ids',
      'orphaned',
      'unverifiable',
      'conflicts',
      'notes',
    ],
    properties: {
      format_version: { const: 1 },
      flavor: { const: 'opensearch' },
      checksum: checksumSchema,
      target: targetSchema,
      summary: {
        type: 'object',
        required: [...SUMMARY_KEYS],
        properties: Object.fromEntries(SUMMARY_KEYS.map((k) => [k, count])),
        additionalProperties: false,
      },
      changes: {
        type: 'array',
        description: 'In the order they run: each after the changes it depends on.',
        items: {
          type: 'object',
          required: ['key', 'kind', 'action', 'name', 'reasons', 'diff', 'dependsOn'],
          properties: {
            key: { type: 'string', description: 'kind/name, with #deploy or #undeploy for those.' },
            kind: { enum: [...OPENSEARCH_KINDS] },
            action: { enum: [...OPENSEARCH_ACTIONS] },
            name: { type: 'string' },
            id: { type: 'string', description: 'The live id (absent for creates).' },
            reasons: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { enum: [...OPENSEARCH_REASON_CODES] },
                  message: { type: 'string' },
                  fields: strings,
                },
                additionalProperties: false,
              },
            },
            diff: { type: 'array', items: diffEntry },
            dependsOn: strings,
            downtime: { const: true },
            blocked,
            warnings: strings,
            hints: strings,
            source: sourceSchema,
          },
          additionalProperties: false,
        },
      },
      unchanged: strings,
      ids: { type: 'object', additionalProperties: { type: 'string' } },
      orphaned: strings,
      unverifiable: strings,
      conflicts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['key', 'ids', 'message'],
          properties: { key: { type: 'string' }, ids: strings, message: { type: 'string' } },
          additionalProperties: false,
        },
      },
      inventory: { type: 'string' },
      notes: strings,
    },
    additionalProperties: false,
  };
}
