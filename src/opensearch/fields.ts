/**
 * What inferctl knows about every field of the OpenSearch kinds, as data (house style 4, 12): its JSON
 * Schema, the version that introduced it, how it can change on a live object, and what happens when a
 * manifest stops declaring it. The schemas (`schema.ts`), the version checks (`manifest.ts`) and the
 * planner (`plan.ts`) read this table; none of them has a field name in an `if`.
 *
 * Sources: ml-commons source (PRs named below), docs/fidelity/opensearch.md, and the capability table
 * `src/catalog/opensearch-capabilities.ts`.
 */
import {
  ACCESS_MODES,
  ACTION_TYPE_SINCE,
  CONNECTOR_ACTION_TYPES,
  CONNECTOR_PROTOCOLS,
  TIME_UNITS,
} from '../catalog/opensearch-capabilities.js';
import type { JsonSchema, Version } from '../catalog/types.js';
import type { OpenSearchKind } from './kinds.js';

/**
 * How a field of a live object changes:
 * - `in-place`: the kind's update API (`PUT …/connectors/<id>`, `…/model_groups/<id>`, `…/models/<id>`);
 * - `register-only`: only at creation — a change re-registers (replaces) the object;
 * - `reference`: a manifest name resolved to an id; the id is updated in place;
 * - `client`: inferctl's own (`deploy`), carried out by deploying or undeploying.
 */
export type UpdateMode = 'in-place' | 'register-only' | 'reference' | 'client';

/**
 * What a manifest that no longer declares the field means:
 * - `keep`: nothing is compared — the server's value stands (fields that hold no configuration of ours);
 * - `cannot`: the update API merges, so the value cannot be taken away; the plan says so;
 * - `clear`: sent as `clearWith` to remove it;
 * - `default`: compared with `default`.
 */
export type Removal = 'keep' | 'cannot' | 'clear' | 'default';

export interface OpenSearchField {
  readonly description: string;
  readonly schema: JsonSchema;
  readonly update: UpdateMode;
  readonly removal: Removal;
  readonly clearWith?: unknown;
  readonly default?: unknown;
  /** OpenSearch version that parses the field; older ones silently skip it (so it is refused there). */
  readonly since?: Version;
  readonly required?: boolean;
  readonly secret?: boolean;
}

/** A value-level version rule: a JSON Pointer pattern (`*` = any key or index) and what it needs. */
export interface VersionRule {
  readonly kind: OpenSearchKind;
  /** Pointer into `spec`, `*` matching one segment: `/actions/*\/action_type`. */
  readonly path: string;
  readonly since: Version;
  /** The value needs `since` only when this holds (default: whenever present). */
  readonly when?: (value: unknown) => boolean;
  readonly what: string;
  /** What an older version does with it (default: "would silently ignore it"). */
  readonly older?: string;
  /** The rule holds only for specs of this shape (default: every spec of `kind`). */
  readonly applies?: (spec: Readonly<Record<string, unknown>>) => boolean;
  /**
   * `warning`: an older version drops the value but nothing depends on it there, so declaring it for every version
   * is right (it takes effect after an upgrade); the plan says so instead of refusing. Default `error`.
   */
  readonly severity?: 'error' | 'warning';
}

const secretRef: JsonSchema = { $ref: '#/$defs/SecretRef' };

const action: JsonSchema = {
  type: 'object',
  description: 'One call the connector can make.',
  required: ['action_type', 'method', 'url'],
  properties: {
    action_type: {
      enum: [...CONNECTOR_ACTION_TYPES],
      description:
        'predict; execute and batch_predict (2.16+), cancel_batch_predict and batch_predict_status (2.17+).',
    },
    method: { type: 'string', enum: ['POST', 'GET', 'PUT', 'DELETE'], description: 'HTTP method.' },
    url: {
      type: 'string',
      minLength: 1,
      description:
        'Provider URL; `${parameters.x}` placeholders allowed. Must match plugins.ml_commons.trusted_connector_endpoints_regex.',
    },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Request headers; secrets only as `${credential.x}` placeholders.',
    },
    request_body: { type: 'string', description: 'Request body template (a string).' },
    pre_process_function: { type: 'string' },
    post_process_function: { type: 'string' },
  },
  additionalProperties: false,
};

const clientConfig: JsonSchema = {
  type: 'object',
  description:
    'The HTTP client ML Commons uses towards the provider. Omitted keys get the server defaults (max_connection 30, timeouts 30000 ms before 3.6 and 30 s from 3.6 (PR #4759), retry_backoff_millis 200, retry_timeout_seconds 30, max_retry_times 0, retry_backoff_policy constant).',
  properties: {
    max_connection: { type: 'integer', minimum: 1 },
    connection_timeout: { type: 'integer', minimum: 0 },
    read_timeout: { type: 'integer', minimum: 0 },
    retry_backoff_millis: { type: 'integer', minimum: 0 },
    retry_timeout_seconds: { type: 'integer', minimum: 0 },
    max_retry_times: { type: 'integer', minimum: -1 },
    retry_backoff_policy: { enum: ['constant', 'exponential_equal_jitter', 'exponential_full_jitter'] },
    skip_ssl_verification: {
      type: 'boolean',
      description: 'Do not verify the provider TLS certificate (OpenSearch 3.6+, PR #4616; default false).',
    },
  },
  additionalProperties: false,
};

const accessFields: Record<string, OpenSearchField> = {
  access_mode: {
    description:
      'public, private or restricted (needs the Security plugin with access control; refused otherwise).',
    schema: { enum: [...ACCESS_MODES] },
    update: 'in-place',
    removal: 'keep',
  },
  backend_roles: {
    description: 'Backend roles that may use it (with access_mode: restricted).',
    schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    update: 'in-place',
    removal: 'keep',
  },
  add_all_backend_roles: {
    description: 'Grant every backend role of the caller (not with backend_roles; not for admins).',
    schema: { type: 'boolean' },
    update: 'in-place',
    removal: 'keep',
  },
};

/** Fields of a connector, stand-alone or inline. */
export const CONNECTOR_FIELDS: Readonly<Record<string, OpenSearchField>> = {
  description: {
    description: 'What the connector is for.',
    schema: { type: 'string' },
    update: 'in-place',
    removal: 'cannot',
  },
  version: {
    description: 'Your version of the connector (required by OpenSearch; stored as text).',
    schema: { type: ['string', 'integer'], minLength: 1 },
    update: 'in-place',
    removal: 'keep',
    required: true,
  },
  protocol: {
    description:
      'http, or aws_sigv4 for AWS services (Bedrock, SageMaker); mcp_sse (OpenSearch 3.0+) or mcp_streamable_http (3.3+) for an MCP server whose tools agents use — an MCP connector has a url and headers instead of actions, and serves no model. OpenSearch refuses mcp_sse unless plugins.ml_commons.mcp_connector_enabled is true.',
    schema: { enum: [...CONNECTOR_PROTOCOLS] },
    update: 'in-place',
    removal: 'keep',
    required: true,
  },
  parameters: {
    description:
      'Values for `${parameters.x}` placeholders (endpoint, model, region, service_name, …); stored as strings. Merged key by key on update (: a key cannot be removed in place; inferctl then replaces the connector without downtime).',
    schema: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean', 'object', 'array'] },
    },
    update: 'in-place',
    removal: 'cannot',
  },
  credential: {
    description:
      'Secrets for `${credential.x}` placeholders (openAI_key; access_key/secret_key/session_token; …); required for http and aws_sigv4, optional for MCP. Write-only: OpenSearch encrypts them and never returns them; inferctl notices a rotation by fingerprint.',
    schema: { type: 'object', minProperties: 1, additionalProperties: secretRef, writeOnly: true },
    update: 'in-place',
    removal: 'keep',
    secret: true,
  },
  actions: {
    description: 'The calls the connector makes; the whole list is replaced on update.',
    schema: { type: 'array', minItems: 1, items: action },
    update: 'in-place',
    removal: 'cannot',
  },
  client_config: {
    description: 'HTTP client settings (OpenSearch 2.13+; 2.12 drops the key).',
    schema: clientConfig,
    update: 'in-place',
    removal: 'cannot',
    since: '2.13',
  },
  url: {
    description:
      'The MCP server (mcp_sse, mcp_streamable_http only, and required for them). Must match plugins.ml_commons.trusted_connector_endpoints_regex.',
    schema: { type: 'string', minLength: 1, pattern: '\\S' },
    update: 'in-place',
    removal: 'keep',
    since: '3.0',
  },
  headers: {
    description:
      'Headers sent to the MCP server (mcp_sse, mcp_streamable_http only); secrets only as `${credential.x}` placeholders. Replaced as a whole on update.',
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    update: 'in-place',
    removal: 'clear',
    clearWith: {},
    since: '3.0',
  },
  ...accessFields,
};

/**
 * Protocols of MCP connectors: a `url` and `headers`, no `actions`, no model. ml-commons 3.1+
 * also keeps their `parameters` (e.g. `endpoint: /mcp/`) and, unlike http ones, replaces them as a whole
 * on update [src `McpConnector`, `McpStreamableHttpConnector` 3.1–3.3]; 3.0 drops them.
 */
export const MCP_PROTOCOLS: readonly string[] = CONNECTOR_PROTOCOLS.filter((p) => p.startsWith('mcp_'));

/** Connector fields only MCP connectors have, and fields they do not have (ml-commons `McpConnector`). */
export const MCP_ONLY_FIELDS: readonly string[] = ['url', 'headers'];
export const NOT_MCP_FIELDS: readonly string[] = ['actions'];

export function isMcpSpec(spec: Readonly<Record<string, unknown>>): boolean {
  return MCP_PROTOCOLS.includes(String(spec['protocol']));
}

/**
 * Headers whose value OpenSearch refuses to build from `${parameters.*}` ("Header '<h>' cannot use
 * ${parameters.*} placeholders for security reasons. Use ${credential.*} instead.",. Those that
 * carry a secret must take it from the credential, never literally from the manifest.
 */
export const AUTH_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
  'x-auth-header',
];
export const NO_PARAMETER_HEADERS: readonly string[] = [
  ...AUTH_HEADERS,
  'x-forwarded-for',
  'x-real-ip',
  'x-client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'x-originating-ip',
  'host',
  'x-forwarded-host',
  'x-forwarded-server',
  'forwarded',
];

export const MODEL_GROUP_FIELDS: Readonly<Record<string, OpenSearchField>> = {
  description: {
    description: 'What the group holds (a blank description is ignored by OpenSearch on update).',
    schema: { type: 'string' },
    update: 'in-place',
    removal: 'cannot',
  },
  ...accessFields,
};

const localRegexGuardrail: JsonSchema = {
  type: 'object',
  properties: {
    stop_words: {
      type: 'array',
      description: 'Indices of stop words, matched by percolator queries.',
      items: {
        type: 'object',
        required: ['index_name', 'source_fields'],
        properties: {
          index_name: { type: 'string', minLength: 1 },
          source_fields: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        },
        additionalProperties: false,
      },
    },
    regex: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Java regular expressions: a matching input is rejected.',
    },
  },
  additionalProperties: false,
};

const modelGuardrail: JsonSchema = {
  type: 'object',
  description:
    'The guard model: model (an OpenSearchModel declared in the manifests, by metadata.name — resolved to its id and created and deployed first) or model_id (a literal id).',
  properties: {
    model: {
      type: 'string',
      minLength: 1,
      description: 'The guard OpenSearchModel, by manifest name.',
    },
    model_id: { type: 'string', minLength: 1, description: 'The guard model, by id.' },
    response_filter: { type: 'string', description: 'Path of the verdict in the guard model response.' },
    response_validation_regex: {
      type: 'string',
      description: 'The verdict must match to accept, e.g. "^\\\\s*[Aa]ccept\\\\s*$".',
    },
  },
  additionalProperties: false,
  allOf: [
    {
      oneOf: [{ required: ['model'] }, { required: ['model_id'] }],
      'x-message':
        'a model guardrail names its guard model once: model (an OpenSearchModel by manifest name) or model_id (a literal id)',
    },
  ],
};

/**
 * Manifest names nested in a spec where OpenSearch wants an id (house style 4: as data). The planner
 * resolves `key: <name>` to `idKey: <id of target/name>`, orders the target first and keeps it from
 * being pruned while it is referenced.
 */
export interface NestedReference {
  /** The kind whose spec holds the reference. */
  readonly kind: OpenSearchKind;
  /** Pointer to the object holding the reference. */
  readonly path: readonly string[];
  readonly key: string;
  readonly idKey: string;
  readonly target: OpenSearchKind;
  /** In messages: "the guard model of input_guardrail". */
  readonly what: string;
}

export const NESTED_REFERENCES: readonly NestedReference[] = (
  ['input_guardrail', 'output_guardrail'] as const
).map((g) => ({
  kind: 'OpenSearchModel',
  path: ['guardrails', g],
  key: 'model',
  idKey: 'model_id',
  target: 'OpenSearchModel',
  what: `guard model (guardrails.${g})`,
}));

const guardrails: JsonSchema = {
  type: 'object',
  description:
    'Input and output guardrails: type local_regex (stop words and regex, 2.13+) or model (a guard model, 2.15+). Replaced as a whole on update.',
  properties: {
    type: { enum: ['local_regex', 'model'], description: 'Default local_regex.' },
    input_guardrail: { type: 'object' },
    output_guardrail: { type: 'object' },
  },
  additionalProperties: false,
  if: { properties: { type: { const: 'model' } }, required: ['type'] },
  then: { properties: { input_guardrail: modelGuardrail, output_guardrail: modelGuardrail } },
  else: { properties: { input_guardrail: localRegexGuardrail, output_guardrail: localRegexGuardrail } },
};

const schemaValue: JsonSchema = {
  type: ['object', 'string'],
  description: 'A JSON Schema, as an object or as its JSON text (OpenSearch stores it as text).',
};

const modelConfig: JsonSchema = {
  type: 'object',
  description:
    'Model metadata. Up to 3.0 a remote model_config is a text-embedding config: model_type, embedding_dimension and framework_type are all required.',
  required: ['model_type'],
  properties: {
    model_type: { type: 'string', minLength: 1, description: 'e.g. text_embedding.' },
    embedding_dimension: { type: 'integer', minimum: 1 },
    framework_type: {
      enum: ['SENTENCE_TRANSFORMERS', 'HUGGINGFACE_TRANSFORMERS', 'HUGGINGFACE_TRANSFORMERS_NEURON'],
    },
    all_config: { type: 'string' },
    model_max_length: { type: 'integer', minimum: 1 },
    pooling_mode: { enum: ['MEAN', 'MEAN_SQRT_LEN', 'MAX', 'WEIGHTED_MEAN', 'CLS', 'LAST_TOKEN'] },
    normalize_result: { type: 'boolean' },
    query_prefix: { type: 'string' },
    passage_prefix: { type: 'string' },
    additional_config: {
      type: 'object',
      description: 'e.g. { space_type: l2 } (3.1+; a remote text_embedding model needs space_type).',
    },
  },
  additionalProperties: false,
};

/** Fields of a remote model. */
export const MODEL_FIELDS: Readonly<Record<string, OpenSearchField>> = {
  model_group: {
    description: 'The OpenSearchModelGroup (by manifest name) the model belongs to.',
    schema: { type: 'string', minLength: 1 },
    update: 'reference',
    removal: 'keep',
    required: true,
  },
  connector: {
    description:
      'The OpenSearchConnector (by manifest name) the model calls, or an inline connector. Switching between a stand-alone and an inline connector re-registers the model.',
    schema: { anyOf: [{ type: 'string', minLength: 1 }, { $ref: '#/$defs/OpenSearchInlineConnector' }] },
    update: 'reference',
    removal: 'keep',
    required: true,
  },
  description: {
    description: 'What the model is for.',
    schema: { type: 'string' },
    update: 'in-place',
    removal: 'cannot',
  },
  is_enabled: {
    description: 'false = the Predict API refuses the model, deployed or not (default true).',
    schema: { type: 'boolean' },
    update: 'in-place',
    removal: 'default',
    default: true,
  },
  rate_limiter: {
    description:
      'Model-level throttling (2.12+): limit requests per unit. Merged on update and never removable: once set, only changed.',
    schema: {
      type: 'object',
      required: ['limit', 'unit'],
      properties: {
        limit: {
          anyOf: [
            { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
            { type: 'number', minimum: 0 },
          ],
          description: 'A number ≥ 0 (stored as text).',
          'x-message': 'limit must be a number ≥ 0, as a number or a string ("4", 4, "0.5")',
        },
        unit: { enum: [...TIME_UNITS], description: 'A java.util.concurrent.TimeUnit name.' },
      },
      additionalProperties: false,
    },
    update: 'in-place',
    removal: 'cannot',
    since: '2.12',
  },
  guardrails: {
    description: guardrails['description'] as string,
    schema: guardrails,
    update: 'in-place',
    // the update replaces the whole guardrails object, so `{}` clears them.
    removal: 'clear',
    clearWith: {},
    since: '2.13',
  },
  interface: {
    description: 'JSON Schemas of the predict input and output (2.14+).',
    schema: {
      type: 'object',
      properties: { input: schemaValue, output: schemaValue },
      additionalProperties: false,
    },
    update: 'in-place',
    removal: 'clear',
    clearWith: { input: null, output: null },
    since: '2.14',
  },
  model_config: {
    description: modelConfig['description'] as string,
    schema: modelConfig,
    update: 'in-place',
    removal: 'cannot',
  },
  deploy_setting: {
    description:
      'is_auto_deploy_enabled (2.13+: deploy on first predict) and model_ttl_minutes (2.14+, -1 = never undeploy).',
    schema: {
      type: 'object',
      properties: {
        is_auto_deploy_enabled: { type: 'boolean' },
        model_ttl_minutes: { type: 'integer', minimum: -1 },
      },
      additionalProperties: false,
    },
    update: 'in-place',
    removal: 'cannot',
    since: '2.13',
  },
  deploy: {
    description:
      'Deploy the model and keep it deployed (default true); false = registered only, undeployed if deployed.',
    schema: { type: 'boolean' },
    update: 'client',
    removal: 'default',
    default: true,
  },
};

export const FIELDS: Readonly<Record<OpenSearchKind, Readonly<Record<string, OpenSearchField>>>> = {
  OpenSearchConnector: CONNECTOR_FIELDS,
  OpenSearchModelGroup: MODEL_GROUP_FIELDS,
  OpenSearchModel: MODEL_FIELDS,
};

/** Values and nested fields that need a later version than their field (capability table). */
export const VERSION_RULES: readonly VersionRule[] = [
  ...(
    [
      ['mcp_sse', '3.0'],
      ['mcp_streamable_http', '3.3'],
    ] as const
  ).map(([protocol, since]): VersionRule => ({
    kind: 'OpenSearchConnector',
    path: '/protocol',
    since,
    when: (v) => v === protocol,
    what: `protocol ${protocol}`,
    older: `which refuses it ("Can't find class for type ${protocol}")`,
  })),
  {
    // 3.0–3.2 require a credential of every connector; 3.3 (PR #4169) exempts MCP ones [src].
    kind: 'OpenSearchConnector',
    path: '/protocol',
    since: '3.3',
    applies: (spec) => isMcpSpec(spec) && spec['credential'] === undefined,
    what: 'an MCP connector without a credential',
    older: 'which refuses it ("Connector credential is null or empty list")',
  },
  {
    kind: 'OpenSearchConnector',
    path: '/parameters',
    since: '3.1',
    applies: isMcpSpec,
    what: 'parameters of an MCP connector',
  },
  ...Object.entries(ACTION_TYPE_SINCE)
    .filter(([, since]) => since !== '2.12')
    .flatMap(([type, since]): VersionRule[] =>
      (['/actions/*/action_type', '/connector/actions/*/action_type'] as const).map((path) => ({
        kind: path.startsWith('/connector') ? 'OpenSearchModel' : 'OpenSearchConnector',
        path,
        since,
        when: (v) => v === type,
        what: `action_type ${type}`,
      })),
    ),
  {
    kind: 'OpenSearchModel',
    path: '/guardrails/type',
    since: '2.15',
    when: (v) => v === 'model',
    what: 'guardrails of type model',
  },
  {
    kind: 'OpenSearchConnector',
    path: '/client_config/skip_ssl_verification',
    since: '3.6',
    what: 'client_config.skip_ssl_verification',
  },
  {
    kind: 'OpenSearchModel',
    path: '/connector/client_config/skip_ssl_verification',
    since: '3.6',
    what: 'connector.client_config.skip_ssl_verification',
  },
  {
    kind: 'OpenSearchModel',
    path: '/connector/client_config',
    since: '2.13',
    what: 'connector.client_config',
  },
  {
    kind: 'OpenSearchModel',
    path: '/deploy_setting/model_ttl_minutes',
    since: '2.14',
    what: 'deploy_setting.model_ttl_minutes',
  },
  {
    kind: 'OpenSearchModel',
    path: '/model_config/additional_config',
    since: '3.1',
    what: 'model_config.additional_config',
    severity: 'warning',
    older:
      'which does not keep it (TextEmbeddingModelConfig has no additional_config before 3.1); it is compared and takes effect from 3.1, where a remote text_embedding model needs space_type',
  },
];
