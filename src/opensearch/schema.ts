/**
 * JSON Schemas of the OpenSearch kinds, generated from the field table (`fields.ts`). Strict on purpose:
 * ML Commons silently skips keys it does not know (reference §5.1), so a typo would otherwise be
 * accepted by the server and never applied. `src/schema/generate.ts` merges these definitions into the
 * manifest schema.
 */
import type { JsonSchema } from '../catalog/types.js';
import { CONNECTOR_FIELDS, MODEL_FIELDS, MODEL_GROUP_FIELDS, type OpenSearchField } from './fields.js';
import { OPENSEARCH_KINDS, type OpenSearchKind } from './kinds.js';

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

/** Credential is required for the HTTP and SigV4 protocols (every protocol the schema accepts). */
const credentialRequired: JsonSchema = { required: ['credential'] };

/** SigV4 connectors need an access key pair (`AwsConnector`: "Missing credential"). */
const sigv4Keys: JsonSchema = {
  if: { properties: { protocol: { const: 'aws_sigv4' } }, required: ['protocol'] },
  then: {
    properties: { credential: { required: ['access_key', 'secret_key'] } },
    'x-message': 'an aws_sigv4 connector needs credential.access_key and credential.secret_key',
  },
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
    ...connectorFields,
  };
  return {
    [specDefName('OpenSearchConnector')]: objectOf(
      connectorFields,
      'A stand-alone ML Commons connector: the body of POST /_plugins/_ml/connectors/_create without its name (metadata.name), credentials as secretRef.',
      { allOf: [credentialRequired, sigv4Keys] },
    ),
    OpenSearchInlineConnector: objectOf(
      inlineFields,
      'An internal connector registered with the model (reference §7.3); updated in place through the Update Model API.',
      { allOf: [credentialRequired, sigv4Keys] },
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
              additionalProperties: { anyOf: [{ $ref: '#/$defs/SecretRef' }, { type: 'string', minLength: 1 }] },
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
    then: { properties: { spec: { $ref: `#/$defs/${specDefName(kind)}` } } },
  }));
}
