/**
 * Parsing of an endpoint's settings the way Elasticsearch's services do it, generic over
 * the catalog: each known field is removed from its map and checked (type, enum, bounds, empty strings),
 * required fields are reported together in one `ValidationException`, secrets are split off, and whatever is
 * left in a map afterwards is an unknown setting.
 *
 * Message texts are ES's `ServiceUtils` ones; where the reference does not give a text
 * the comment says [I].
 */
import type { Capabilities } from '../../catalog/capabilities.js';
import { atLeast } from '../../catalog/version.js';
import { CHUNKING, DEFAULT_CHUNKING_SETTINGS, type ChunkingStrategy } from '../../catalog/chunking.js';
import {
  defaultOf,
  fieldApplies,
  requirementConditions,
  requirementHolds,
  taskSettingsFor,
} from '../../catalog/index.js';
import type { FieldSpec, Rule, ServiceSpec, TaskType } from '../../catalog/types.js';
import { atMost } from '../../catalog/version.js';
import {
  EsError,
  actionRequestValidation,
  illegalArgument,
  javaString,
  statusException,
  validationException,
} from '../errors.js';
import { matchesSchema } from '../json-schema.js';
import type { JsonObject, JsonValue } from '../types.js';

export type Scope = 'service_settings' | 'task_settings' | 'secret_settings' | 'chunking_settings';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * "Configuration contains settings [{k=v}] unknown to the [svc] service" (prefix per version). `inserted`:
 * every key the map held before the known ones were removed (it keeps its `HashMap` capacity, `javaString`).
 */
export function unknownSettings(
  caps: Capabilities,
  map: Record<string, unknown>,
  service: string,
  inserted?: readonly string[],
): EsError {
  return statusException(
    400,
    `${caps.unknownSettingsPrefix} contains settings [${javaString(map, inserted)}] unknown to the [${service}] service`,
  );
}

/** `field [x] is not of the expected type. The value [v] cannot be converted to a [Integer]`. */
function typeError(name: string, value: unknown, javaType: string): string {
  return `field [${name}] is not of the expected type. The value [${javaString(value)}] cannot be converted to a [${javaType}]`;
}

const JAVA_TYPES: Record<FieldSpec['type'], string> = {
  string: 'String',
  integer: 'Integer',
  number: 'Double',
  boolean: 'Boolean',
  rate_limit: 'Map',
  adaptive_allocations: 'Map',
  string_map: 'Map',
  string_array: 'List',
  object: 'Map',
};

/**
 * Checks one field's value; pushes messages to `errors` and returns the value to store (canonicalised,
 * "embedding_type canonicalisation"), or undefined when invalid.
 */
export function checkField(
  caps: Capabilities,
  service: string,
  scope: Scope,
  name: string,
  field: FieldSpec,
  value: unknown,
  errors: string[],
): JsonValue | undefined {
  const before = errors.length;
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(typeError(name, value, 'String'));
        break;
      }
      if (value === '') {
        errors.push(`[${scope}] Invalid value empty string. [${name}] must be a non-empty string`);
        break;
      }
      if (field.enum && field.caseInsensitive) {
        // Enum.fromString: valueOf(name.trim().toUpperCase(Locale.ROOT)); stored as the enum's toString [I: lower case].
        if (!field.enum.some((v) => v.toUpperCase() === value.trim().toUpperCase())) {
          errors.push(
            `[${scope}] Invalid value [${value}] received. [${name}] must be one of [${field.enum.map((v) => v.toLowerCase()).join(', ')}]`,
          );
        }
      } else if (field.enum && !field.enum.includes(value)) {
        errors.push(
          `[${scope}] Invalid value [${value}] received. [${name}] must be one of [${field.enum.join(', ')}]`,
        );
      }
      break;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || (field.type === 'integer' && !Number.isInteger(value))) {
        errors.push(typeError(name, value, JAVA_TYPES[field.type]));
        break;
      }
      if (field.minimum === 1 && value < 1) {
        errors.push(`[${scope}] Invalid value [${value}]. [${name}] must be a positive integer`);
      } else if (field.minimum !== undefined && value < field.minimum) {
        // [I] ServiceUtils.mustBeGreaterThanOrEqualNumberErrorMessage; number formatting not verified.
        errors.push(
          `[${scope}] Invalid value [${value}]. [${name}] must be a greater than or equal to [${field.minimum}]`,
        );
      } else if (field.maximum !== undefined && value > field.maximum) {
        errors.push(
          `[${scope}] Invalid value [${value}]. [${name}] must be a less than or equal to [${field.maximum}]`,
        );
      }
      break;
    }
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(typeError(name, value, 'Boolean'));
      break;
    case 'string_map':
      if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        errors.push(typeError(name, value, 'Map'));
      }
      break;
    case 'string_array':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        errors.push(typeError(name, value, 'List'));
      }
      break;
    case 'rate_limit':
      return checkRateLimit(caps, service, value, errors);
    case 'adaptive_allocations':
      return checkAdaptive(value, errors);
    case 'object':
      if (field.schema ? !matchesSchema(field.schema, value) : !isObject(value)) {
        // [I] the server's per-service parse errors for these shapes are not in the reference.
        errors.push(typeError(name, value, 'Map'));
      }
      break;
  }
  if (errors.length > before) return undefined;
  if (typeof value === 'string' && field.caseInsensitive) {
    const folded = value.trim().toLowerCase();
    return (field.canonical?.[folded] ?? folded) as JsonValue;
  }
  if (typeof value === 'string' && field.canonical?.[value] !== undefined) return field.canonical[value];
  return value as JsonValue;
}

/** `rate_limit: {requests_per_minute}`: unknown keys rejected at request time. */
function checkRateLimit(
  caps: Capabilities,
  service: string,
  value: unknown,
  errors: string[],
): JsonValue | undefined {
  if (!isObject(value)) {
    errors.push(typeError('rate_limit', value, 'Map'));
    return undefined;
  }
  const { requests_per_minute: rpm, ...rest } = value;
  if (Object.keys(rest).length > 0) throw unknownSettings(caps, rest, service);
  if (rpm === undefined) return undefined; // {} → the default applies
  if (typeof rpm !== 'number' || !Number.isInteger(rpm)) {
    errors.push(typeError('requests_per_minute', rpm, 'Long'));
    return undefined;
  }
  if (rpm <= 0) {
    // [I] "must be a positive long" (RateLimitSettings uses extractOptionalPositiveLong).
    errors.push(`[rate_limit] Invalid value [${rpm}]. [requests_per_minute] must be a positive long`);
    return undefined;
  }
  return { requests_per_minute: rpm };
}

/** `adaptive_allocations` (AdaptiveAllocationsSettings): strict object parser. */
function checkAdaptive(value: unknown, errors: string[]): JsonValue | undefined {
  if (!isObject(value)) {
    errors.push(typeError('adaptive_allocations', value, 'Map'));
    return undefined;
  }
  const allowed = ['enabled', 'min_number_of_allocations', 'max_number_of_allocations'];
  for (const key of Object.keys(value)) {
    // [I] ObjectParser's text for an unknown field.
    if (!allowed.includes(key))
      throw new EsError(400, 'x_content_parse_exception', `[adaptive_allocations] unknown field [${key}]`);
  }
  const { enabled, min_number_of_allocations: min, max_number_of_allocations: max } = value;
  const problems: string[] = [];
  if (enabled !== undefined && typeof enabled !== 'boolean')
    problems.push(typeError('enabled', enabled, 'Boolean'));
  if (min !== undefined && (typeof min !== 'number' || !Number.isInteger(min) || min < 0)) {
    problems.push('[min_number_of_allocations] must be a non-negative integer or null');
  }
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    problems.push('[max_number_of_allocations] must be a positive integer or null');
  }
  if (problems.length === 0 && typeof min === 'number' && typeof max === 'number' && min > max) {
    problems.push('[min_number_of_allocations] must not be larger than [max_number_of_allocations]');
  }
  // [I] AdaptiveAllocationsSettings.validate() → ActionRequestValidationException.
  if (problems.length > 0) throw actionRequestValidation(problems);
  const out: JsonObject = { enabled: (enabled as boolean | undefined) ?? false };
  if (min !== undefined) out.min_number_of_allocations = min;
  if (max !== undefined) out.max_number_of_allocations = max;
  return out;
}

/** Is the field required here, given the sibling fields present (`unless`)? */
export function requiredNow(
  field: FieldSpec,
  taskType: TaskType,
  caps: Capabilities,
  present: (name: string) => boolean,
  siblings: Record<string, FieldSpec>,
): boolean {
  return requirementConditions(field.required).some((req) => {
    if (!requirementHolds({ ...req, unless: undefined }, taskType, caps.version)) return false;
    return !(req.unless && siblings[req.unless] && present(req.unless));
  });
}

export interface ParsedSettings {
  serviceSettings: JsonObject;
  secrets: JsonObject;
  taskSettings: JsonObject;
  chunkingSettings: JsonObject | undefined;
  /**
   * With `deferAdaptiveConflict`: the `notWithAdaptive` violation the deployment start will raise later (9.2 bug
   * #137127), instead of failing the parse.
   */
  adaptiveConflict?: string | undefined;
}

/**
 * The value the server fills in for an omitted field, from the catalog: the first matching `defaultWhen`, else
 * `default` / `defaultByTaskType`. `values` are the settings as stored (canonical).
 */
export function resolvedDefault(
  field: FieldSpec,
  taskType: TaskType,
  values: Record<string, unknown>,
  version: string,
): unknown {
  for (const entry of field.defaultWhen ?? []) {
    if (entry.since !== undefined && !atLeast(version, entry.since)) continue;
    const holds = Object.entries(entry.when).every(([key, expected]) =>
      Array.isArray(expected) ? expected.includes(values[key]) : values[key] === expected,
    );
    if (holds) return entry.value;
  }
  return defaultOf(field, taskType);
}

/** Applicable non-secret and secret fields of a service for a task type on the version. */
export function serviceFields(
  spec: ServiceSpec,
  taskType: TaskType,
  caps: Capabilities,
): { plain: Record<string, FieldSpec>; secret: Record<string, FieldSpec> } {
  const plain: Record<string, FieldSpec> = {};
  const secret: Record<string, FieldSpec> = {};
  for (const [name, field] of Object.entries(spec.serviceSettings)) {
    if (!fieldApplies(field, taskType, caps.version)) continue;
    (field.secret ? secret : plain)[name] = field;
  }
  return { plain, secret };
}

/** The fields a create request may carry: `acceptedInRequest: false` ones stay unknown settings. */
function requestFields(fields: Record<string, FieldSpec>): Record<string, FieldSpec> {
  return Object.fromEntries(Object.entries(fields).filter(([, f]) => f.acceptedInRequest !== false));
}

/**
 * Parses `service_settings` / `task_settings` / `chunking_settings` of a create request for one service and
 * task type. `config` is what is left of the body after `task_type` and `service` were removed; keys
 * left in it at the end are unknown top-level settings.
 */
export function parseCreateSettings(
  caps: Capabilities,
  spec: ServiceSpec,
  taskType: TaskType,
  config: Record<string, unknown>,
  options: { deferAdaptiveConflict?: boolean; configKeys?: readonly string[] } = {},
): ParsedSettings {
  const rawService = config.service_settings;
  delete config.service_settings;
  // ServiceUtils.removeFromMapOrThrowIfNull: "Missing required field [service_settings]".
  if (rawService === undefined || rawService === null) {
    throw statusException(400, 'Missing required field [service_settings]');
  }
  if (!isObject(rawService)) throw statusException(400, typeError('service_settings', rawService, 'Map'));
  const rawTask = config.task_settings ?? {};
  delete config.task_settings;
  if (!isObject(rawTask)) throw statusException(400, typeError('task_settings', rawTask, 'Map'));

  const ss: Record<string, unknown> = { ...rawService };
  const ts: Record<string, unknown> = { ...rawTask };

  let chunkingSettings: JsonObject | undefined;
  if (caps.chunking && spec.chunking.includes(taskType)) {
    const rawChunking = config.chunking_settings;
    delete config.chunking_settings;
    chunkingSettings = parseChunking(caps, spec, rawChunking);
  }

  const fields = serviceFields(spec, taskType, caps);
  const plain = requestFields(fields.plain);
  const secret = fields.secret;
  const present = (name: string) => rawService[name] !== undefined && rawService[name] !== null;

  // Service settings (non-secret), then task settings, then secrets: each its own ValidationException.
  const serviceSettings: JsonObject = {};
  const errors: string[] = [];
  for (const [name, field] of Object.entries(plain)) {
    const value = ss[name];
    delete ss[name];
    if (value === undefined || value === null) {
      if (requiredNow(field, taskType, caps, present, plain)) {
        errors.push(`[service_settings] does not contain the required setting [${name}]`);
      }
      continue;
    }
    const checked = checkField(caps, spec.name, 'service_settings', name, field, value, errors);
    if (checked !== undefined) serviceSettings[name] = checked;
  }
  for (const rule of spec.rules ?? []) {
    if (rule.kind !== 'atLeastOne') continue;
    const message = ruleViolation(rule, taskType, present, plain, serviceSettings, caps.version);
    if (message !== undefined) errors.push(message);
  }
  if (errors.length > 0) throw validationException(errors);

  const taskFields = taskSettingsFor(spec, taskType, caps.version);
  const taskSettings: JsonObject = {};
  const taskErrors: string[] = [];
  for (const [name, field] of Object.entries(taskFields)) {
    const value = ts[name];
    delete ts[name];
    if (value === undefined || value === null) {
      if (requiredNow(field, taskType, caps, (n) => rawTask[n] !== undefined, taskFields)) {
        taskErrors.push(`[task_settings] does not contain the required setting [${name}]`);
      }
      continue;
    }
    const checked = checkField(caps, spec.name, 'task_settings', name, field, value, taskErrors);
    if (checked !== undefined) taskSettings[name] = checked;
  }
  if (taskErrors.length > 0) throw validationException(taskErrors);

  const secrets: JsonObject = {};
  const secretErrors: string[] = [];
  for (const [name, field] of Object.entries(secret)) {
    const value = ss[name];
    delete ss[name];
    if (value === undefined || value === null) {
      if (requiredNow(field, taskType, caps, present, secret)) {
        secretErrors.push(`[secret_settings] does not contain the required setting [${name}]`);
      }
      continue;
    }
    const checked = checkField(caps, spec.name, 'secret_settings', name, field, value, secretErrors);
    if (checked !== undefined) secrets[name] = checked;
  }
  if (secretErrors.length > 0) throw validationException(secretErrors);

  const all = { ...plain, ...secret };
  const ruleErrors: string[] = [];
  let adaptiveConflict: string | undefined;
  for (const rule of spec.rules ?? []) {
    if (rule.kind === 'atLeastOne' || rule.kind === 'forbiddenFor') continue;
    // Rules see the values the server will hold: user values over the fields' defaults (provider → google).
    const defaults: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(all)) {
      const d = defaultOf(field, taskType);
      if (d !== undefined) defaults[name] = d;
    }
    const message = ruleViolation(
      rule,
      taskType,
      (n) => n in serviceSettings || n in secrets,
      all,
      { ...defaults, ...serviceSettings, ...secrets },
      caps.version,
    );
    if (message === undefined) continue;
    // notWithAdaptive comes from StartTrainedModelDeploymentAction.Request.validate; 9.2 raises it only
    // when the deployment starts, after the endpoint was stored (issue #137127).
    if (rule.kind === 'notWithAdaptive') {
      if (options.deferAdaptiveConflict) {
        adaptiveConflict = message;
        continue;
      }
      throw actionRequestValidation([message]);
    }
    ruleErrors.push(message); // [I] catalog wording; the server's text for these rules is not in the reference.
  }
  if (ruleErrors.length > 0) throw validationException(ruleErrors);

  // Value checks the service makes once the model is built (AmazonBedrockService / AzureAiStudioService
  // createModel, Elasticsearch source): a provider that does not serve the task type, a task setting the
  // provider does not take.
  for (const [name, field] of Object.entries(plain)) {
    const allowed = field.valuesByTaskType?.[taskType];
    const value = serviceSettings[name];
    if (allowed && typeof value === 'string' && !allowed.includes(value)) {
      throw statusException(400, `The [${taskType}] task type for ${name} [${value}] is not available`);
    }
  }
  for (const [name, field] of Object.entries(taskFields)) {
    if (field.onlyWhen === undefined || taskSettings[name] === undefined) continue;
    for (const [setting, values] of Object.entries(field.onlyWhen)) {
      const value = serviceSettings[setting];
      if (typeof value === 'string' && !values.includes(value)) {
        throw statusException(400, `The [${name}] task parameter is not available for ${setting} [${value}]`);
      }
    }
  }

  // throwIfNotEmptyMap: top level, then service settings, then task settings.
  if (Object.keys(config).length > 0) throw unknownSettings(caps, config, spec.name, options.configKeys);
  if (Object.keys(ss).length > 0) throw unknownSettings(caps, ss, spec.name, Object.keys(rawService));
  if (Object.keys(ts).length > 0) throw unknownSettings(caps, ts, spec.name, Object.keys(rawTask));

  return { serviceSettings, secrets, taskSettings, chunkingSettings, adaptiveConflict };
}

/**
 * The message of a violated cross-field rule, if it is violated and applies to this version's fields: the
 * server's wording (`serverMessage`, for `exactlyOne` also `serverMessageNone`) while it is known for `version`
 * (`serverMessageUntil`), else the catalog's `message` [I].
 */
export function ruleViolation(
  rule: Rule,
  taskType: TaskType,
  present: (name: string) => boolean,
  fields: Record<string, FieldSpec>,
  values: Record<string, unknown>,
  version?: string,
): string | undefined {
  const later = rule.serverMessageFrom;
  const laterText = later && version !== undefined && atLeast(version, later.since) ? later.text : undefined;
  const serverKnown =
    laterText === undefined && (version === undefined || atMost(version, rule.serverMessageUntil));
  const server = laterText ?? (serverKnown ? rule.serverMessage : undefined);
  switch (rule.kind) {
    case 'exactlyOne': {
      const known = rule.fields.filter((f) => fields[f]);
      if (known.length < 2) return undefined; // one field left on this version: a plain requirement
      const count = known.filter(present).length;
      if (count === 1) return undefined;
      if (count === 0) return (serverKnown ? rule.serverMessageNone : undefined) ?? server ?? rule.message;
      return server ?? rule.message;
    }
    case 'atLeastOne': {
      if (rule.unless && fields[rule.unless] && present(rule.unless)) return undefined;
      const known = rule.fields.filter((f) => fields[f]);
      return known.length === 0 || known.some(present) ? undefined : (server ?? rule.message);
    }
    case 'allOrNone': {
      const known = rule.fields.filter((f) => fields[f]);
      const n = known.filter(present).length;
      return n === 0 || n === known.length ? undefined : (server ?? rule.message);
    }
    case 'notTogether': {
      const known = rule.fields.filter((f) => fields[f]);
      return known.filter(present).length > 1 ? (server ?? rule.message) : undefined;
    }
    case 'requiredWhen': {
      if (!fields[rule.field]) return undefined;
      if (rule.taskTypes && !rule.taskTypes.includes(taskType)) return undefined;
      const holds = Object.entries(rule.when).every(([k, v]) => values[k] === v);
      return holds && !present(rule.field) ? (server ?? rule.message) : undefined;
    }
    case 'forbiddenFor':
      return rule.taskTypes.includes(taskType) && present(rule.field) ? (server ?? rule.message) : undefined;
    case 'notWithAdaptive': {
      const adaptive = values.adaptive_allocations;
      return present(rule.field) && isObject(adaptive) && adaptive.enabled === true
        ? (server ?? rule.message)
        : undefined;
    }
  }
}

const STRATEGY_LABEL: Record<ChunkingStrategy, string> = {
  sentence: 'Sentence based',
  word: 'Word based',
  recursive: 'Recursive', // [I]
  none: 'None', // [I]
};

/**
 * `ChunkingSettingsBuilder.fromMap`: `{}`/absent → the sentence default; otherwise the
 * strategy is required and each strategy accepts only its own keys.
 */
export function parseChunking(caps: Capabilities, spec: ServiceSpec, raw: unknown): JsonObject {
  if (raw === undefined || raw === null || (isObject(raw) && Object.keys(raw).length === 0)) {
    return { ...DEFAULT_CHUNKING_SETTINGS };
  }
  if (!isObject(raw)) throw statusException(400, typeError('chunking_settings', raw, 'Map'));
  const strategy = raw.strategy;
  if (strategy === undefined || strategy === null) {
    throw illegalArgument("Can't generate Chunker without ChunkingStrategy provided");
  }
  if (
    typeof strategy !== 'string' ||
    !caps.chunkingStrategies.includes(strategy.toLowerCase() as ChunkingStrategy)
  ) {
    throw illegalArgument(`Invalid chunkingStrategy ${javaString(strategy)}`); // [I] exact text
  }
  const name = strategy.toLowerCase() as ChunkingStrategy;
  const def = CHUNKING[name];
  const errors: string[] = [];
  const invalid = Object.keys(raw).filter((k) => k !== 'strategy' && !(k in def.keys));
  if (invalid.length > 0) {
    errors.push(
      `${STRATEGY_LABEL[name]} chunking settings can not have the following settings: [${invalid.join(', ')}]`,
    );
  }
  const out: JsonObject = { strategy: name };
  if (def.maxChunkSize) {
    const max = raw.max_chunk_size;
    const bounds = def.maxChunkSize;
    let upper: number | undefined =
      bounds.maximumUntil === undefined || atMost(caps.tuple, bounds.maximumUntil)
        ? bounds.maximum
        : undefined;
    if (spec.maxChunkSize !== undefined) upper = Math.min(upper ?? spec.maxChunkSize, spec.maxChunkSize);
    if (max === undefined || max === null) {
      errors.push('[chunking_settings] does not contain the required setting [max_chunk_size]');
    } else if (typeof max !== 'number' || !Number.isInteger(max)) {
      errors.push(typeError('max_chunk_size', max, 'Integer'));
    } else if (max < bounds.minimum) {
      errors.push(
        `[chunking_settings] Invalid value [${max}]. [max_chunk_size] must be a greater than or equal to [${bounds.minimum}]`,
      );
    } else if (upper !== undefined && max > upper) {
      errors.push(
        `[chunking_settings] Invalid value [${max}]. [max_chunk_size] must be a less than or equal to [${upper}]`,
      );
    } else {
      out.max_chunk_size = max;
    }
  }
  if (name === 'sentence') {
    const overlap = raw.sentence_overlap;
    if (overlap === undefined || overlap === null)
      out.sentence_overlap = def.defaults?.sentence_overlap as number;
    else if (overlap !== 0 && overlap !== 1) {
      // [I] exact text
      errors.push(
        `[chunking_settings] Invalid value [${javaString(overlap)}]. [sentence_overlap] must be a less than or equal to [1]`,
      );
    } else out.sentence_overlap = overlap;
  }
  if (name === 'word') {
    const overlap = raw.overlap;
    if (overlap === undefined || overlap === null) {
      errors.push('[chunking_settings] does not contain the required setting [overlap]');
    } else if (typeof overlap !== 'number' || !Number.isInteger(overlap) || overlap < 1) {
      errors.push(
        `[chunking_settings] Invalid value [${javaString(overlap)}]. [overlap] must be a positive integer`,
      );
    } else if (typeof out.max_chunk_size === 'number' && overlap > Math.floor(out.max_chunk_size / 2)) {
      // [I] exact text
      errors.push(
        `[chunking_settings] Invalid value [${overlap}]. [overlap] must be a less than or equal to [${Math.floor(out.max_chunk_size / 2)}]`,
      );
    } else out.overlap = overlap;
  }
  if (name === 'recursive') {
    const group = raw.separator_group;
    const separators = raw.separators;
    if (group !== undefined && separators !== undefined) {
      errors.push('[chunking_settings] only one of [separator_group] or [separators] can be set'); // [I]
    } else if (group !== undefined) {
      if (typeof group !== 'string' || !['plaintext', 'markdown'].includes(group.toLowerCase())) {
        errors.push(
          `[chunking_settings] Invalid value [${javaString(group)}] received. [separator_group] must be one of [plaintext, markdown]`,
        );
      } else out.separator_group = group.toLowerCase();
    } else if (separators !== undefined) {
      if (
        !Array.isArray(separators) ||
        separators.length === 0 ||
        !separators.every((s) => typeof s === 'string')
      ) {
        errors.push('[chunking_settings] Invalid value. [separators] must be a non-empty list of strings'); // [I]
      } else out.separators = separators;
    }
  }
  if (errors.length > 0) throw validationException(errors);
  return out;
}
