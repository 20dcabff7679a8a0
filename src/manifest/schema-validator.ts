/**
 * Schema validation of manifest documents with ajv, and the translation of ajv's errors into
 * diagnostics a person can act on: the field, what is wrong, and what to write instead.
 */
import { createRequire } from 'node:module';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  getService,
  fieldApplies,
  supportedTaskTypes,
  TASK_TYPES,
  type FieldSpec,
  type ServiceSpec,
  type TaskType,
} from '../catalog/index.js';
import { capabilitiesFor, VERSION_PROFILES } from '../catalog/capabilities.js';
import { formatSince, minorOf } from '../catalog/version.js';
import { ANNOTATION_KEYWORDS, manifestSchema, type SchemaOptions } from '../schema/generate.js';
import { didYouMean } from '../util/suggest.js';
import { formatPath, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import type { ParsedDocument } from './yaml.js';

const Ajv2020 = Ajv2020Module.default;

/** A problem inside one document, before it is given a file name. */
export type DocumentProblem = Omit<Diagnostic, 'file'>;

export interface SchemaValidator {
  readonly options: SchemaOptions;
  validate(document: ParsedDocument): DocumentProblem[];
}

const cache = new Map<string, SchemaValidator>();
const require = createRequire(import.meta.url);

/**
 * The ajv instance every validator is compiled with, here and in `scripts/compile-validators.mjs`
 * (which precompiles the default validators into `lib/manifest/compiled/` at build time).
 */
export function createAjv(options: { source?: boolean } = {}): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    // Each service × task-type definition is compiled once and called, not inlined at every use.
    inlineRefs: false,
    // Strict about unknown keywords and formats; conditional `required` and untyped if/then branches are
    // how the generated schema expresses cross-field rules, so those two checks stay off.
    strict: true,
    strictRequired: false,
    strictTypes: false,
    ...(options.source ? { code: { source: true } } : {}),
  });
  for (const keyword of ANNOTATION_KEYWORDS) {
    ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'object', 'number', 'array'] });
  }
  return ajv;
}

/** File name of the precompiled validator for these options, when there is one. */
export function precompiledName(options: SchemaOptions): string | undefined {
  if (options.version !== undefined) return undefined;
  return options.allowLiteralSecrets ? 'literal-secrets' : 'default';
}

/**
 * A validator for the given options, built once per process. The default ones are loaded precompiled
 * (tens of milliseconds); others — a target `--es-version` — are compiled on first use (under a second).
 */
export function schemaValidator(options: SchemaOptions = {}): SchemaValidator {
  const key = JSON.stringify([options.version ?? null, Boolean(options.allowLiteralSecrets)]);
  let validator = cache.get(key);
  if (!validator) {
    const compiled = loadPrecompiled(options) ?? createAjv().compile(manifestSchema(options));
    validator = { options, validate: (document) => explain(compiled, document, options) };
    cache.set(key, validator);
  }
  return validator;
}

function loadPrecompiled(options: SchemaOptions): ValidateFunction | undefined {
  const name = precompiledName(options);
  if (name === undefined) return undefined;
  try {
    return require(`./compiled/${name}.cjs`) as ValidateFunction;
  } catch {
    return undefined; // running from src/ (tests): compile instead
  }
}

function explain(
  validate: ValidateFunction,
  document: ParsedDocument,
  options: SchemaOptions,
): DocumentProblem[] {
  if (validate(document.value)) return [];
  const value = document.value as Record<string, unknown>;
  const context = documentContext(value);
  const problems = new Map<string, DocumentProblem>();
  const add = (problem: DocumentProblem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (!problems.has(key)) problems.set(key, problem);
  };
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if'); // "must match then": causes report themselves
  // Subschemas with an `x-message` speak for themselves and for every error beneath them. (ajv's schemaPath
  // is relative to the `$ref` target it occurs in, so "beneath" also requires the same instance subtree.)
  const overrides = errors.filter((e) => typeof messageOf(e) === 'string');
  const beneath = (outer: ErrorObject, inner: ErrorObject) =>
    inner !== outer &&
    inner.schemaPath.startsWith(outer.schemaPath + '/') &&
    (inner.instancePath === outer.instancePath || inner.instancePath.startsWith(outer.instancePath + '/'));
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath);
    const message = messageOf(error);
    if (message !== undefined) {
      add(fromOverride(error, message, segments, document, context, options));
      continue;
    }
    if (overrides.some((o) => beneath(o, error))) continue;
    // an anyOf/oneOf wrapper whose branches explain themselves
    if (isCombinator(error) && errors.some((e) => beneath(error, e))) continue;
    add(guardSecrets(translate(error, segments, document, context, options), error, segments, context));
  }
  const list = [...problems.values()];
  // A task type that is not a task type at all is reported once, not again as unsupported by the service.
  const first = list.find((p) => p.path === 'spec.task_type');
  return first ? list.filter((p) => p.path !== 'spec.task_type' || p === first) : list;
}

/**
 * A value at a secret path is never quoted back, whatever is wrong with it (an `api_key: 12345` would
 * otherwise appear in "expected an object, got number 12345").
 */
function guardSecrets(
  problem: DocumentProblem,
  error: ErrorObject,
  segments: readonly string[],
  context: DocumentContext,
): DocumentProblem {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const secret = parent['x-secret'] === true || isSecretPath(context, segments);
  if (!secret || problem.code === 'literal_secret' || problem.code === 'unknown_field') return problem;
  return {
    ...problem,
    message:
      'a secret must be { secretRef: { env: NAME } } or { secretRef: { file: PATH } } (value not shown)',
  };
}

function isSecretPath(context: DocumentContext, segments: readonly string[]): boolean {
  if (
    !context.service ||
    segments[0] !== 'spec' ||
    segments[1] !== 'service_settings' ||
    segments.length < 3
  ) {
    return false;
  }
  return context.service.serviceSettings[segments[2]!]?.secret === true;
}

function isCombinator(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

interface DocumentContext {
  readonly service: ServiceSpec | undefined;
  readonly taskType: TaskType | undefined;
}

function documentContext(value: Record<string, unknown>): DocumentContext {
  const spec = (value?.['spec'] ?? {}) as Record<string, unknown>;
  const service = typeof spec['service'] === 'string' ? getService(spec['service']) : undefined;
  const taskType = typeof spec['task_type'] === 'string' ? (spec['task_type'] as TaskType) : undefined;
  return { service, taskType };
}

/** The `x-message` of the subschema holding the failed keyword, if it has one. */
function messageOf(error: ErrorObject): string | undefined {
  const message = (error.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  return typeof message === 'string' ? message : undefined;
}

function fromOverride(
  error: ErrorObject,
  message: string,
  segments: string[],
  document: ParsedDocument,
  context: DocumentContext,
  options: SchemaOptions,
): DocumentProblem {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const last = segments[segments.length - 1];
  if (last === 'task_type' && segments[0] === 'spec' && context.service) {
    const value = String(error.data);
    const supported = supportedTaskTypes(context.service, options.version);
    const since = firstVersion((v) => supportedTaskTypes(context.service!, v).includes(value as TaskType));
    if (since && options.version !== undefined) {
      return problem(
        'not_on_version',
        segments,
        document,
        {},
        `task type ${value} of the ${context.service.name} service needs Elasticsearch ${since} or later; validating for ${options.version}`,
        `supported on ${options.version}: ${supported.join(', ')}`,
      );
    }
    return problem(
      'unsupported_task_type',
      segments,
      document,
      {},
      `the ${context.service.name} service does not support task type "${value}"; it supports ${supported.join(', ')}`,
      suggestionHint(value, supported),
    );
  }
  if (last === 'chunking_settings' || last === 'task_settings') {
    return problem('unknown_field', segments, document, { key: true }, message);
  }
  // A rule about one field points at that field; a rule about an object, at the object's key.
  const field = parent['x-field'];
  const data = error.data as Record<string, unknown> | undefined;
  if (typeof field === 'string' && data && typeof data === 'object' && field in data) {
    return problem('rule', [...segments, field], document, { key: true }, message);
  }
  const code: DiagnosticCode =
    error.keyword === 'enum' || error.keyword === 'const' ? 'invalid_value' : 'rule';
  const isObject = typeof error.data === 'object' && error.data !== null;
  return problem(code, segments, document, { key: isObject }, message);
}

/** The oldest version profile for which `test` holds, as `major.minor`. */
function firstVersion(test: (version: string) => boolean): string | undefined {
  const hit = VERSION_PROFILES.find((v) => test(v));
  return hit === undefined ? undefined : minorOf(hit);
}

function translate(
  error: ErrorObject,
  segments: string[],
  document: ParsedDocument,
  context: DocumentContext,
  options: SchemaOptions,
): DocumentProblem {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params['additionalProperty']);
      const path = [...segments, field];
      const known = Object.keys((parent['properties'] as Record<string, unknown> | undefined) ?? {});
      const message = `unknown field "${field}"${whereUnknown(segments)}`;
      const hint = unknownFieldHint(field, segments, known, context, options);
      return problem('unknown_field', path, document, { key: true }, message, hint);
    }
    case 'required': {
      const field = String(params['missingProperty']);
      const path = [...segments, field];
      const spec = catalogField(context, [...segments, field]);
      const hint = spec?.secret
        ? `add ${field}: { secretRef: { env: ${envName(context, field)} } }`
        : spec
          ? spec.description
          : undefined;
      return {
        ...problem(
          'missing_field',
          path,
          document,
          { key: true, at: segments },
          `missing required field "${field}"`,
          hint,
        ),
      };
    }
    case 'type': {
      if (parent['x-secret'] === true && ['string', 'number', 'boolean'].includes(typeof error.data)) {
        const field = segments[segments.length - 1] ?? 'secret';
        return problem(
          'literal_secret',
          segments,
          document,
          { key: false },
          'this is a secret and must not be written in the manifest (value not shown)',
          `use ${field}: { secretRef: { env: ${envName(context, field)} } } or { secretRef: { file: ./path } }; ` +
            'pass --allow-literal-secrets only for throw-away test clusters',
        );
      }
      const expected = String(params['type']);
      return problem(
        'invalid_type',
        segments,
        document,
        { key: false },
        `expected ${article(expected)}, got ${describeValue(error.data)}`,
      );
    }
    case 'enum': {
      const allowedValues = params['allowedValues'] as unknown[];
      const allowed = allowedValues.map(String);
      const value = String(error.data);
      if (segments.length === 1 && segments[0] === 'kind') {
        return problem(
          'unknown_kind',
          segments,
          document,
          {},
          `unknown kind "${value}"; inferctl knows ${allowed.join(', ')}`,
          suggestionHint(value, allowed),
        );
      }
      if (
        segments.length === 2 &&
        segments[0] === 'spec' &&
        segments[1] === 'task_type' &&
        (TASK_TYPES as readonly string[]).includes(value)
      ) {
        const since = firstVersion((v) => capabilitiesFor(v).taskTypes.includes(value as TaskType));
        return problem(
          'not_on_version',
          segments,
          document,
          {},
          `task type ${value} needs Elasticsearch ${since ?? 'a newer version'} or later; validating for ${options.version ?? 'any version'}`,
          `task types on ${options.version}: ${allowed.join(', ')}`,
        );
      }
      if (segments.length === 2 && segments[0] === 'spec' && segments[1] === 'service') {
        const known = getService(value);
        if (known && options.version !== undefined) {
          return problem(
            'not_on_version',
            segments,
            document,
            {},
            `the ${value} service needs Elasticsearch ${formatSince(known.since)} or later; validating for ${options.version}`,
          );
        }
        return problem(
          'unknown_service',
          segments,
          document,
          {},
          `unknown service "${value}"`,
          suggestionHint(value, allowed) ?? `services: ${allowed.join(', ')}`,
        );
      }
      return problem(
        'invalid_value',
        segments,
        document,
        {},
        `${JSON.stringify(error.data)} is not allowed; expected one of ${describeAllowed(allowedValues)}`,
        typeof error.data === 'string' ? suggestionHint(value, allowed) : undefined,
      );
    }
    case 'const': {
      if (segments.length === 1 && segments[0] === 'apiVersion') {
        return problem(
          'unknown_api_version',
          segments,
          document,
          {},
          `unknown apiVersion ${JSON.stringify(error.data)}`,
          `write apiVersion: ${String(params['allowedValue'])}`,
        );
      }
      return problem(
        'invalid_value',
        segments,
        document,
        {},
        `must be ${JSON.stringify(params['allowedValue'])}`,
      );
    }
    case 'pattern':
    case 'not': {
      if (segments.join('.') === 'metadata.name') {
        if (params['pattern'] === '\\S')
          return problem('invalid_value', segments, document, {}, 'a name must not be blank');
        return idProblem(String(error.data), segments, document);
      }
      return problem(
        'invalid_value',
        segments,
        document,
        {},
        `${JSON.stringify(error.data)} ${error.message ?? 'is not valid'}`,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'more than',
        exclusiveMaximum: 'less than',
      };
      const name = segments[segments.length - 1] ?? 'value';
      return problem(
        'invalid_value',
        segments,
        document,
        {},
        `${name} must be ${words[error.keyword]} ${String(params['limit'])}, not ${JSON.stringify(error.data)}`,
      );
    }
    default:
      return problem(
        'invalid_value',
        segments,
        document,
        {},
        `${describeValue(error.data)}: ${error.message ?? 'is not valid'}`,
      );
  }
}

/** Messages for `metadata.name`, which becomes the Elasticsearch inference id. */
export function idProblem(id: string, segments: string[], document: ParsedDocument): DocumentProblem {
  if (id.startsWith('.')) {
    return problem(
      'reserved_id',
      segments,
      document,
      {},
      `"${id}" starts with "." — ids starting with "." belong to Elasticsearch's preconfigured endpoints and can never be managed`,
      `choose an id of your own, e.g. "${id.replace(/^\.+/, '') || 'my-endpoint'}"`,
    );
  }
  if (id === '_all') {
    return problem(
      'invalid_id',
      segments,
      document,
      {},
      '"_all" is not a valid inference id (it means every endpoint)',
    );
  }
  const fixed = id
    .toLowerCase()
    .replace(/[^a-z0-9_\-.]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return problem(
    'invalid_id',
    segments,
    document,
    {},
    `invalid inference id "${id}": use lowercase letters, digits, "_", "-" and ".", starting and ending with a letter or digit`,
    fixed && fixed !== id ? `did you mean "${fixed}"?` : undefined,
  );
}

function problem(
  code: DiagnosticCode,
  segments: readonly string[],
  document: ParsedDocument,
  where: { key?: boolean; at?: readonly string[] },
  message: string,
  hint?: string,
): DocumentProblem {
  const position = document.locate(where.at ?? segments, { key: where.key ?? false });
  return {
    code,
    severity: 'error',
    line: position.line,
    column: position.column,
    path: formatPath(segments),
    message,
    ...(hint ? { hint } : {}),
  };
}

function whereUnknown(segments: readonly string[]): string {
  return segments.length ? ` in ${formatPath(segments)}` : '';
}

/** For an unknown field under a service's settings: is it a typo, another task type's, or too new/old? */
function unknownFieldHint(
  field: string,
  segments: readonly string[],
  known: readonly string[],
  context: DocumentContext,
  options: SchemaOptions,
): string | undefined {
  const spec = catalogField(context, [...segments, field]);
  if (spec && context.service && context.taskType) {
    if (spec.taskTypes && !spec.taskTypes.includes(context.taskType)) {
      return `${field} applies only to task type${spec.taskTypes.length > 1 ? 's' : ''} ${spec.taskTypes.join(', ')}`;
    }
    if (options.version !== undefined && !fieldApplies(spec, context.taskType, options.version)) {
      return spec.since
        ? `${field} needs Elasticsearch ${formatSince(spec.since)} or later; validating for ${options.version}`
        : `${field} was removed after Elasticsearch ${spec.until}; validating for ${options.version}`;
    }
    if (
      segments[segments.length - 1] === 'task_settings' &&
      context.service.noTaskSettingsFor?.includes(context.taskType)
    ) {
      return `the ${context.service.name} service takes no task_settings for ${context.taskType}`;
    }
  }
  if (field === '<<') {
    return 'merge keys (<<) are YAML 1.1, which inferctl does not read: write the fields out, or repeat a whole mapping with an alias (*name)';
  }
  return suggestionHint(field, known) ?? (known.length ? `known fields: ${known.join(', ')}` : undefined);
}

function catalogField(context: DocumentContext, segments: readonly string[]): FieldSpec | undefined {
  if (!context.service || segments[0] !== 'spec' || segments.length !== 3) return undefined;
  if (segments[1] === 'service_settings') return context.service.serviceSettings[segments[2]!];
  if (segments[1] === 'task_settings') return context.service.taskSettings[segments[2]!];
  return undefined;
}

function envName(context: DocumentContext, field: string): string {
  const prefix = (context.service?.name ?? 'provider').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${prefix}_${field.toUpperCase()}`;
}

function suggestionHint(value: string, candidates: readonly string[]): string | undefined {
  const best = didYouMean(value, candidates);
  return best ? `did you mean "${best}"?` : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value)}`;
  // JSON.stringify would say `null`: YAML's .inf and .nan (and numbers too large, like 1e400) have no JSON form.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'} (not a number JSON can carry; a number too large, such as 1e400, reads as .inf)`;
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map(decodePointer);
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * `"END", "NONE", "START" (any case)` for a case-insensitive enum (its schema lists each value in several cases),
 * else every value.
 */
function describeAllowed(values: readonly unknown[]): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const distinct = [...new Map(strings.map((v) => [v.toLowerCase(), v])).values()];
  const anyCase = strings.length === values.length && distinct.length < strings.length;
  const shown = anyCase
    ? strings.filter((v, i) => strings.findIndex((w) => w.toLowerCase() === v.toLowerCase()) === i)
    : values;
  return shown.map((v) => JSON.stringify(v)).join(', ') + (anyCase ? ' (in any case)' : '');
}
