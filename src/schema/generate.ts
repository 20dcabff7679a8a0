/**
 * JSON Schemas generated from the catalog: the manifest schema editors load through the
 * `yaml-language-server` comment, the per-service × task-type schemas, and the variants the validator
 * compiles for a target Elasticsearch version.
 *
 * Pure: catalog in, schema objects out. `scripts/generate-schemas.mjs` writes them to `schemas/`, and a
 * test fails when the committed files differ from what this module produces.
 */
import {
  EMBEDDING_TASK_TYPES,
  SERVICES,
  TASK_TYPES,
  fieldsFor,
  isRequired,
  requirementConditions,
  requirementHolds,
  supportedTaskTypes,
  taskSettingsFor,
  takesChunking,
  type FieldSpec,
  type JsonSchema,
  type Rule,
  type ServiceSpec,
  type TaskType,
} from '../catalog/index.js';
import { CHUNKING, CHUNKING_STRATEGIES, SEPARATOR_GROUPS } from '../catalog/chunking.js';
import { atLeast, atMost, formatSince } from '../catalog/version.js';
import { OPENSEARCH_KINDS } from '../opensearch/kinds.js';
import { openSearchDefs, openSearchKindDispatch } from '../opensearch/schema.js';

import { SCHEMA_DIALECT } from './parts.js';

export { SCHEMA_DIALECT };

/** The `apiVersion` every manifest carries. */
export const API_VERSION = 'inferctl/v1';

/** Manifest kinds: Elasticsearch inference endpoints, and the OpenSearch ML Commons objects. */
export const KINDS = ['InferenceEndpoint', ...OPENSEARCH_KINDS] as const;
export type Kind = (typeof KINDS)[number];

/** Elasticsearch's inference id rule (MlStrings.isValidId), Elasticsearch's documented rules. */
export const ID_PATTERN = '^[a-z0-9](?:[a-z0-9_\\-.]*[a-z0-9])?$';

export interface SchemaOptions {
  /** Elasticsearch version to validate for (`9.1`, `8.18.2`); omitted = every version the catalog knows. */
  readonly version?: string;
  /** Accept literal strings where secrets go (`--allow-literal-secrets`). */
  readonly allowLiteralSecrets?: boolean;
}

/**
 * Annotation keywords inferctl adds to its schemas. The validator reads `x-message` (the sentence to show
 * when the subschema fails) and `x-secret`; editors ignore them. Register them with ajv as keywords.
 */
export const ANNOTATION_KEYWORDS = [
  'x-message',
  'x-field',
  'x-secret',
  'x-since',
  'x-until',
  'x-updatable',
  'x-default',
] as const;

/** The `$defs` key of a service × task-type schema. */
export function defName(service: string, taskType: TaskType): string {
  return `${service}.${taskType}`;
}

/**
 * The whole manifest schema: envelope, metadata, and `spec` dispatched on `service` and `task_type`.
 *
 * @example const schema = manifestSchema({ version: '8.18' });
 */
export function manifestSchema(options: SchemaOptions = {}): JsonSchema {
  const defs: Record<string, JsonSchema> = { ...commonDefs(options) };
  const dispatch: JsonSchema[] = [];
  const services = SERVICES.filter((s) => options.version === undefined || atLeast(options.version, s.since));
  for (const service of services) {
    const taskTypes = supportedTaskTypes(service, options.version);
    dispatch.push({
      if: { properties: { service: { const: service.name } }, required: ['service'] },
      then: {
        properties: {
          task_type: {
            enum: taskTypes,
            'x-message': `the ${service.name} service does not support this task type; it supports ${taskTypes.join(', ')}`,
          },
        },
      },
    });
    for (const taskType of taskTypes) {
      defs[defName(service.name, taskType)] = serviceTaskSchema(service, taskType, options);
      dispatch.push({
        if: {
          properties: { service: { const: service.name }, task_type: { const: taskType } },
          required: ['service', 'task_type'],
        },
        then: { $ref: `#/$defs/${defName(service.name, taskType)}` },
      });
    }
  }
  defs['InferenceEndpointSpec'] = {
    type: 'object',
    description:
      'The body of `PUT _inference/{task_type}/{inference_id}`, as in Elastic’s documentation, with secrets as secretRef.',
    required: ['task_type', 'service', 'service_settings'],
    properties: {
      task_type: {
        description: 'What the endpoint does.',
        enum: TASK_TYPES.filter((t) =>
          services.some((s) => supportedTaskTypes(s, options.version).includes(t)),
        ),
      },
      service: {
        description: 'The provider or in-cluster service.',
        enum: services.map((s) => s.name),
      },
      service_settings: { type: 'object', description: 'Settings of the service (model, URL, secrets, …).' },
      task_settings: { type: 'object', description: 'Default settings of each inference request.' },
      chunking_settings: {
        type: 'object',
        description: 'How long inputs are split before embedding (embedding task types only).',
      },
    },
    additionalProperties: false,
    allOf: dispatch,
  };
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl manifest',
    description:
      'One inference endpoint, or one OpenSearch ML Commons connector, model group or model, managed by inferctl. ' +
      (options.version
        ? `Validated for Elasticsearch ${options.version}.`
        : 'Covers every Elasticsearch version.'),
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION, description: `Always \`${API_VERSION}\`.` },
      kind: { enum: [...KINDS], description: 'What the document describes.' },
      metadata: { $ref: '#/$defs/Metadata' },
      spec: { type: 'object' },
    },
    additionalProperties: false,
    allOf: [
      {
        if: { properties: { kind: { const: 'InferenceEndpoint' } }, required: ['kind'] },
        then: {
          properties: {
            metadata: { properties: { name: { pattern: ID_PATTERN, not: { const: '_all' } } } },
            spec: { $ref: '#/$defs/InferenceEndpointSpec' },
          },
        },
      },
      // OpenSearch kinds are not versioned by the Elasticsearch version: their version rules are checked
      // against the OpenSearch cluster when planning.
      ...openSearchKindDispatch(),
    ],
    $defs: { ...defs, ...openSearchDefs(options) },
  };
}

/**
 * The schema of `spec` for one service and task type: what the server accepts on create.
 *
 * @example serviceTaskSchema(getService('openai')!, 'text_embedding', {})
 */
export function serviceTaskSchema(
  service: ServiceSpec,
  taskType: TaskType,
  options: SchemaOptions,
): JsonSchema {
  const version = options.version;
  const serviceSettings = fieldsFor(service.serviceSettings, taskType, version);
  const taskSettings = taskSettingsFor(service, taskType, version);
  const properties: Record<string, JsonSchema> = {
    task_type: { const: taskType },
    service: { const: service.name },
    service_settings: objectSchema(
      serviceSettings,
      taskType,
      options,
      rulesFor(service, taskType, serviceSettings),
    ),
  };
  properties['task_settings'] =
    Object.keys(taskSettings).length > 0
      ? objectSchema(taskSettings, taskType, options, [])
      : {
          type: 'object',
          maxProperties: 0,
          'x-message': `the ${service.name} service takes no task_settings for ${taskType}`,
        };
  properties['chunking_settings'] = takesChunking(service, taskType, version)
    ? { $ref: chunkingRef(service) }
    : {
        not: {},
        'x-message': EMBEDDING_TASK_TYPES.includes(taskType)
          ? `the ${service.name} service takes no chunking_settings${version ? ` on Elasticsearch ${version}` : ''}`
          : `chunking_settings applies only to embedding task types (${EMBEDDING_TASK_TYPES.join(', ')}), not ${taskType}`,
      };
  const required = ['service_settings'];
  if (Object.values(taskSettings).some((f) => isRequired(f, taskType, version)))
    required.push('task_settings');
  return {
    title: `${service.title}: ${taskType}`,
    description: `${service.title}, task type ${taskType} (API: ${service.reference}).${
      service.deprecated
        ? ` Deprecated since ${service.deprecated.since}: use the ${service.deprecated.use} service.`
        : ''
    }`,
    type: 'object',
    required,
    properties,
  };
}

/** The standalone file for one service × task type: the `spec` schema plus the shared definitions. */
export function serviceTaskFileSchema(
  service: ServiceSpec,
  taskType: TaskType,
  options: SchemaOptions = {},
): JsonSchema {
  const spec = serviceTaskSchema(service, taskType, options);
  const refs = JSON.stringify(spec);
  const defs = Object.fromEntries(
    Object.entries(commonDefs(options)).filter(([name]) => refs.includes(`"#/$defs/${name}"`)),
  );
  return { $schema: SCHEMA_DIALECT, ...spec, $defs: defs };
}

function rulesFor(service: ServiceSpec, taskType: TaskType, present: Record<string, FieldSpec>): Rule[] {
  return (service.rules ?? []).filter((rule) => {
    if ('taskTypes' in rule && rule.taskTypes && !rule.taskTypes.includes(taskType)) return false;
    const named = 'fields' in rule ? rule.fields : [rule.field];
    return named.some((f) => f in present);
  });
}

function objectSchema(
  fields: Record<string, FieldSpec>,
  taskType: TaskType,
  options: SchemaOptions,
  rules: readonly Rule[],
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const allOf: JsonSchema[] = [];
  for (const [name, field] of Object.entries(fields)) {
    // Filled in and returned by the server but refused in a request (NVIDIA's dimensions): not declarable.
    if (field.acceptedInRequest === false) continue;
    const allowed = field.valuesByTaskType?.[taskType];
    properties[name] = allowed
      ? { ...fieldSchema(field, options), enum: [...allowed] }
      : fieldSchema(field, options);
    for (const condition of requirementConditions(field.required)) {
      if (!condition.unless || !requirementHolds(condition, taskType, options.version)) continue;
      allOf.push({
        anyOf: [{ required: [name] }, { required: [condition.unless] }],
        'x-message': `missing required field ${name} (or set ${condition.unless})`,
      });
    }
    if (isRequired(field, taskType, options.version)) required.push(name);
  }
  for (const rule of rules) {
    const present = (name: string) => name in fields;
    allOf.push(ruleSchema(rule, present));
  }
  return {
    type: 'object',
    ...(required.length ? { required } : {}),
    properties,
    additionalProperties: false,
    ...(allOf.length ? { allOf } : {}),
  };
}

function ruleSchema(rule: Rule, present: (name: string) => boolean): JsonSchema {
  const req = (f: string) => ({ required: [f] });
  const message = { 'x-message': rule.message };
  switch (rule.kind) {
    case 'exactlyOne':
      return { oneOf: rule.fields.filter(present).map(req), ...message };
    case 'atLeastOne':
      return {
        anyOf: [...rule.fields, ...(rule.unless ? [rule.unless] : [])].filter(present).map(req),
        ...message,
      };
    case 'allOrNone': {
      const fields = rule.fields.filter(present);
      return { anyOf: [{ required: fields }, { not: { anyOf: fields.map(req) } }], ...message };
    }
    case 'notTogether':
      return { not: { required: rule.fields.filter(present) }, ...message };
    case 'requiredWhen':
      return {
        if: {
          properties: Object.fromEntries(Object.entries(rule.when).map(([k, v]) => [k, { const: v }])),
          required: Object.keys(rule.when),
        },
        // ajv reports the failure of `then` with `then` as its parent schema: the message goes there.
        then: { required: [rule.field], ...message },
      };
    case 'forbiddenFor':
      return { not: { required: [rule.field] }, ...message, 'x-field': rule.field };
    case 'notWithAdaptive':
      return {
        if: {
          properties: {
            adaptive_allocations: { properties: { enabled: { const: true } }, required: ['enabled'] },
          },
          required: ['adaptive_allocations'],
        },
        then: { not: { required: [rule.field] }, ...message, 'x-field': rule.field },
      };
  }
}

function fieldSchema(field: FieldSpec, options: SchemaOptions): JsonSchema {
  const annotations: Record<string, unknown> = {
    description: describe(field),
    ...(field.since ? { 'x-since': formatSince(field.since) } : {}),
    ...(field.until ? { 'x-until': field.until } : {}),
    'x-updatable':
      typeof field.updatable === 'string' ? field.updatable : `since ${formatSince(field.updatable.since)}`,
    ...(field.default !== undefined ? { 'x-default': field.default } : {}),
  };
  if (field.secret) {
    if (field.type === 'string_map') {
      return { type: 'object', additionalProperties: secretSchema(options), ...annotations, writeOnly: true };
    }
    return { ...secretSchema(options), ...annotations, writeOnly: true };
  }
  const base: Record<string, unknown> = {};
  switch (field.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      base['type'] = field.type;
      break;
    case 'rate_limit':
      base['$ref'] = '#/$defs/RateLimit';
      break;
    case 'adaptive_allocations':
      base['$ref'] = '#/$defs/AdaptiveAllocations';
      break;
    case 'string_map':
      Object.assign(base, { type: 'object', additionalProperties: { type: 'string' } });
      break;
    case 'string_array':
      Object.assign(base, { type: 'array', items: { type: 'string' } });
      break;
    case 'object':
      break;
  }
  // Any case is accepted where Elasticsearch parses it so; the schema lists the documented spelling and its
  // lower- and upper-case forms (JSON Schema has no case-insensitive enum).
  if (field.enum)
    base['enum'] = field.caseInsensitive
      ? [...new Set(field.enum.flatMap((v) => [v, v.toLowerCase(), v.toUpperCase()]))]
      : [...field.enum];
  if (field.minimum !== undefined) base['minimum'] = field.minimum;
  if (field.maximum !== undefined) base['maximum'] = field.maximum;
  return { ...base, ...(field.schema ?? {}), ...annotations };
}

function describe(field: FieldSpec): string {
  const parts = [field.description];
  if (field.since) parts.push(`Elasticsearch ${formatSince(field.since)}+.`);
  if (field.until) parts.push(`Up to Elasticsearch ${field.until}.`);
  if (field.secret)
    parts.push('Secret: give it as { secretRef: { env: NAME } } or { secretRef: { file: PATH } }.');
  return parts.join(' ');
}

function secretSchema(options: SchemaOptions): JsonSchema {
  return options.allowLiteralSecrets
    ? { anyOf: [{ $ref: '#/$defs/SecretRef' }, { type: 'string', minLength: 1 }] }
    : { $ref: '#/$defs/SecretRef' };
}

/** Services with a `max_chunk_size` cap of their own (ELSER: 300) get a chunking definition with it. */
function chunkingRef(service: ServiceSpec): string {
  return service.maxChunkSize !== undefined
    ? `#/$defs/ChunkingSettings${service.maxChunkSize}`
    : '#/$defs/ChunkingSettings';
}

function chunkingSchema(options: SchemaOptions, serviceCap?: number): JsonSchema {
  const strategies = CHUNKING_STRATEGIES.filter(
    (s) => options.version === undefined || atLeast(options.version, CHUNKING[s].since),
  );
  if (strategies.length === 0) {
    return {
      not: {},
      'x-message': `chunking_settings needs Elasticsearch 8.16 or later; validating for ${options.version}`,
    };
  }
  const branches = strategies.map((name) => {
    const spec = CHUNKING[name];
    const properties: Record<string, JsonSchema> = { strategy: { const: name } };
    const required = ['strategy'];
    for (const [key, k] of Object.entries(spec.keys)) {
      if (k.required) required.push(key);
      properties[key] = { description: k.description };
    }
    if (spec.maxChunkSize && properties['max_chunk_size']) {
      const versionCap =
        options.version === undefined || !spec.maxChunkSize.maximumUntil
          ? undefined
          : atMost(options.version, spec.maxChunkSize.maximumUntil)
            ? spec.maxChunkSize.maximum
            : undefined;
      const alwaysCap = spec.maxChunkSize.maximumUntil ? undefined : spec.maxChunkSize.maximum;
      const caps = [versionCap, alwaysCap, serviceCap].filter((c): c is number => c !== undefined);
      properties['max_chunk_size'] = {
        ...properties['max_chunk_size'],
        type: 'integer',
        minimum: spec.maxChunkSize.minimum,
        ...(caps.length ? { maximum: Math.min(...caps) } : {}),
      };
    }
    if (name === 'sentence')
      properties['sentence_overlap'] = { ...properties['sentence_overlap'], enum: [0, 1] };
    if (name === 'word') properties['overlap'] = { ...properties['overlap'], type: 'integer', minimum: 1 };
    if (name === 'recursive') {
      properties['separator_group'] = { ...properties['separator_group'], enum: [...SEPARATOR_GROUPS] };
      properties['separators'] = {
        ...properties['separators'],
        type: 'array',
        minItems: 1,
        items: { type: 'string' },
      };
    }
    const branch: Record<string, unknown> = { required, properties, additionalProperties: false };
    if (name === 'recursive') {
      branch['allOf'] = [
        {
          not: { required: ['separator_group', 'separators'] },
          'x-message': 'use separator_group or separators, not both',
        },
      ];
    }
    return { if: { properties: { strategy: { const: name } }, required: ['strategy'] }, then: branch };
  });
  return {
    type: 'object',
    description: 'Chunking of long inputs. Omitted = sentence strategy, 250 words, 1 sentence overlap.',
    required: ['strategy'],
    properties: {
      strategy: {
        enum: strategies,
        description: strategies.map((s) => `${s}: ${CHUNKING[s].description}`).join(' '),
      },
    },
    allOf: branches,
  };
}

function commonDefs(options: SchemaOptions): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {
    Metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: {
          type: 'string',
          description:
            "The object's name. An InferenceEndpoint's is its inference_id: lowercase letters, digits, `_`, `-` and `.`, starting and ending with a letter or digit. An OpenSearch object's is its name on the cluster, free text (OpenSearch 3.1+ allows letters, digits, spaces and .,!?():@-_'/\").",
          minLength: 1,
        },
        labels: {
          type: 'object',
          description: 'Free-form labels for your own bookkeeping (not sent to Elasticsearch).',
          additionalProperties: { type: 'string' },
        },
        protect: {
          type: 'boolean',
          description:
            'true = inferctl never deletes or replaces this endpoint; such a change is shown as blocked.',
        },
      },
      additionalProperties: false,
    },
    SecretRef: {
      type: 'object',
      description: 'Where inferctl reads the secret at run time. Never write the secret itself in git.',
      required: ['secretRef'],
      properties: {
        secretRef: {
          type: 'object',
          properties: {
            env: {
              type: 'string',
              pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              description: 'Name of an environment variable holding the secret.',
            },
            file: {
              type: 'string',
              minLength: 1,
              description: 'Path of a file holding the secret, relative to this manifest.',
            },
          },
          oneOf: [{ required: ['env'] }, { required: ['file'] }],
          additionalProperties: false,
          'x-message': 'a secretRef takes exactly one of env or file',
        },
      },
      additionalProperties: false,
      'x-secret': true,
    },
    RateLimit: {
      type: 'object',
      description: 'Throttling of the requests Elasticsearch sends to the provider.',
      required: ['requests_per_minute'],
      properties: { requests_per_minute: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    },
    AdaptiveAllocations: {
      type: 'object',
      description: 'Scale allocations with load between a minimum (0 = scale to zero) and a maximum.',
      properties: {
        enabled: { type: 'boolean', description: 'Turn adaptive allocations on (default false).' },
        min_number_of_allocations: {
          type: 'integer',
          minimum: 0,
          description: 'Lower bound (0 when omitted).',
        },
        max_number_of_allocations: {
          type: 'integer',
          minimum: 1,
          description: 'Upper bound (32 when omitted).',
        },
      },
      additionalProperties: false,
    },
    ChunkingSettings: chunkingSchema(options),
  };
  for (const cap of new Set(
    SERVICES.map((s) => s.maxChunkSize).filter((c): c is number => c !== undefined),
  )) {
    defs[`ChunkingSettings${cap}`] = chunkingSchema(options, cap);
  }
  return defs;
}
