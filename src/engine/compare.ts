/**
 * Comparing a manifest with the live endpoint, field by field, with the catalog's knowledge of what
 * the server fills in, rewrites or hides. Pure: no I/O, no clock.
 *
 * The rules, for every field the catalog knows for the service and task type:
 * - declared in the manifest: the live value must equal the declared one after canonicalisation
 *   (`int8` is stored as `byte`); a live value that is absent counts as equal when the declared value is
 *   the field's default (servers do not always echo defaults);
 * - not declared: fine when live has nothing, or the field's default, or the field is one the server
 *   fills in with a value nobody can predict (`dimensions`, a live `num_allocations`); otherwise the live
 *   value is something a previous manifest set, and the plan shows it going back to the default;
 * - secrets are write-only and never compared here (see `secrets.ts` in the engine for rotation);
 * - keys the catalog does not know (EIS `metadata`, internal fields) are ignored.
 */
import { DEFAULT_CHUNKING_SETTINGS, LEGACY_CHUNKING_SETTINGS } from '../catalog/chunking.js';
import type { Capabilities } from '../catalog/capabilities.js';
import {
  defaultOf,
  fieldsFor,
  getService,
  takesChunking,
  taskSettingsFor,
  type FieldSpec,
  type ServiceSpec,
  type TaskType,
} from '../catalog/index.js';
import type { LiveEndpoint } from '../backends/elasticsearch/api.js';
import type { EndpointManifest } from '../manifest/load.js';
import { Secret } from '../manifest/secrets.js';
import { deepEqual } from '../util/json.js';
import jsonpatch, { type Operation } from 'fast-json-patch';

/** One difference between desired and live, before the planner decides how it can be applied. */
export interface FieldDifference {
  readonly op: 'add' | 'remove' | 'replace';
  /** JSON Pointer into the request body: `/service_settings/model_id`, `/chunking_settings`. */
  readonly path: string;
  readonly section: 'top' | 'service_settings' | 'task_settings' | 'chunking_settings';
  /** The field name inside its section (`model_id`), or the section itself for whole-object diffs. */
  readonly field: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The catalog's entry, when the field has one. */
  readonly spec?: FieldSpec;
  /** The desired value is the field's default (so an in-place change can send it explicitly). */
  readonly toDefault?: boolean;
}

/** The service as Elasticsearch stores it on this version (`elser` → `elasticsearch` from 8.16). */
export function storedServiceName(service: ServiceSpec, caps: Capabilities): string {
  return service.storedAs && caps.elserStoredAsElasticsearch ? service.storedAs.service : service.name;
}

/**
 * The two sides as they should compare: the manifest as the server would store it, and the live endpoint
 * restricted to what the manifest is answerable for. Diffing these with JSON Patch gives the changes.
 */
export interface ComparableViews {
  readonly desired: Record<string, unknown>;
  readonly live: Record<string, unknown>;
}

/**
 * The differences between a manifest and the live endpoint with the same id.
 *
 * @example compareEndpoint(manifest, live, capabilitiesFor('9.1.0')) // [] when in sync
 */
export interface CompareOptions {
  /**
   * The endpoint is known to have been created with the current default chunking (inferctl created it on 8.16 or
   * later): an undeclared chunking that reads back as the legacy word/250/100 is then the `_update` reset of issue
   * #139574, a difference — not the default of an endpoint older than chunking.
   */
  readonly legacyChunkingIsDrift?: boolean;
}

export function compareEndpoint(
  desired: EndpointManifest,
  live: LiveEndpoint,
  caps: Capabilities,
  options: CompareOptions = {},
): FieldDifference[] {
  const service = getService(desired.spec.service);
  if (!service) throw new Error(`unknown service ${desired.spec.service}`); // validated before planning
  const views = comparableViews(desired, service, live, caps, options);
  return jsonpatch
    .compare(views.live, views.desired)
    .map((op) => toDifference(op, views, service, desired.spec.task_type))
    .sort(byBodyOrder);
}

const SECTION_ORDER = ['top', 'service_settings', 'task_settings', 'chunking_settings'];

/** Differences in the order of the request body (fast-json-patch emits them in reverse key order). */
export function byBodyOrder(
  a: { section: string; path: string },
  b: { section: string; path: string },
): number {
  return (
    SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

/** Builds both views (exported for tests: the views explain every diff). */
export function comparableViews(
  desired: EndpointManifest,
  service: ServiceSpec,
  live: LiveEndpoint,
  caps: Capabilities,
  options: CompareOptions = {},
): ComparableViews {
  const taskType = desired.spec.task_type;
  const want: Record<string, unknown> = {};
  const have: Record<string, unknown> = {};
  want['task_type'] = taskType;
  have['task_type'] = live.task_type;
  // `elser` endpoints are stored as `elasticsearch` from 8.16: either name is in sync.
  want['service'] = desired.spec.service;
  have['service'] = live.service === storedServiceName(service, caps) ? desired.spec.service : live.service;
  const declared = desired.spec.service_settings;
  const serviceFields = fieldsFor(service.serviceSettings, taskType, caps.version);
  const adaptive = (declared['adaptive_allocations'] as { enabled?: unknown } | undefined)?.enabled === true;
  const skip = impliedBy(serviceFields, declared);
  // A live num_allocations under adaptive allocations is the current count, not a setting.
  if (adaptive) skip.add('num_allocations');
  [want['service_settings'], have['service_settings']] = sectionViews(
    serviceFields,
    declared,
    live.service_settings ?? {},
    skip,
    taskType,
  );
  [want['task_settings'], have['task_settings']] = sectionViews(
    taskSettingsFor(service, taskType, caps.version),
    desired.spec.task_settings ?? {},
    live.task_settings ?? {},
    new Set(),
    taskType,
  );
  if (takesChunking(service, taskType, caps.version) && caps.chunking) {
    const [w, h] = chunkingViews(
      desired.spec.chunking_settings,
      live.chunking_settings,
      options.legacyChunkingIsDrift === true,
    );
    if (w !== undefined) want['chunking_settings'] = w;
    if (h !== undefined) have['chunking_settings'] = h;
  }
  return { desired: want, live: have };
}

/** Fields the server fills from elsewhere because another declared field says so (`deployment_id`). */
function impliedBy(
  fields: Record<string, FieldSpec>,
  declared: Readonly<Record<string, unknown>>,
): Set<string> {
  const implied = new Set<string>();
  for (const [name, field] of Object.entries(fields)) {
    if (name in declared) for (const other of field.implies ?? []) implied.add(other);
  }
  return implied;
}

function sectionViews(
  fields: Record<string, FieldSpec>,
  declared: Readonly<Record<string, unknown>>,
  live: Readonly<Record<string, unknown>>,
  skip: ReadonlySet<string>,
  taskType: TaskType,
): [Record<string, unknown>, Record<string, unknown>] {
  const want: Record<string, unknown> = {};
  const have: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    // Secrets are write-only; fields a request cannot carry can never be declared, so never compared.
    if (spec.secret || spec.acceptedInRequest === false || skip.has(name)) continue;
    const has = Object.prototype.hasOwnProperty.call(declared, name);
    const liveHas = Object.prototype.hasOwnProperty.call(live, name) && live[name] !== null;
    const def = defaultOf(spec, taskType);
    const defValue = def === undefined ? undefined : canonical(spec, def);
    if (has) {
      want[name] = canonical(spec, declared[name]);
      // Servers do not always echo a default: an absent live value equals a declared default.
      if (liveHas) have[name] = foldCase(spec, live[name]);
      else if (defValue !== undefined && deepEqual(want[name], defValue)) have[name] = want[name];
      continue;
    }
    if (!liveHas || spec.serverFilled) continue;
    if (defValue !== undefined && deepEqual(defValue, foldCase(spec, live[name]))) continue;
    // Set by an earlier manifest, not declared now: back to the default (or gone, when there is none).
    have[name] = foldCase(spec, live[name]);
    if (defValue !== undefined) want[name] = defValue;
  }
  return [want, have];
}

function chunkingViews(
  declared: Readonly<Record<string, unknown>> | undefined,
  live: Readonly<Record<string, unknown>> | undefined,
  legacyIsDrift: boolean,
): [unknown, unknown] {
  if (declared === undefined) {
    // Not declared: whichever default the server applied (the current one, or the one endpoints created
    // before 8.16 are read back with) is in sync — the legacy one only when nothing says it is a reset.
    if (
      live === undefined ||
      deepEqual(live, DEFAULT_CHUNKING_SETTINGS) ||
      (!legacyIsDrift && deepEqual(live, LEGACY_CHUNKING_SETTINGS))
    ) {
      return [undefined, undefined];
    }
    return [{ ...DEFAULT_CHUNKING_SETTINGS }, live];
  }
  return [normaliseChunking(declared), live];
}

function toDifference(
  op: Operation,
  views: ComparableViews,
  service: ServiceSpec,
  taskType: TaskType,
): FieldDifference {
  const segments = op.path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const head = segments[0] ?? '';
  const section: FieldDifference['section'] =
    head === 'service_settings' || head === 'task_settings' || head === 'chunking_settings' ? head : 'top';
  const field =
    section === 'chunking_settings' ? 'chunking_settings' : section === 'top' ? head : (segments[1] ?? head);
  const spec =
    section === 'service_settings'
      ? service.serviceSettings[field]
      : section === 'task_settings'
        ? service.taskSettings[field]
        : undefined;
  const before = valueAt(views.live, segments);
  const after = valueAt(views.desired, segments);
  const def = spec ? defaultOf(spec, taskType) : undefined;
  const toDefault =
    after !== undefined &&
    ((spec !== undefined &&
      def !== undefined &&
      segments.length === 2 &&
      deepEqual(canonical(spec, def), after)) ||
      (section === 'chunking_settings' &&
        segments.length === 1 &&
        deepEqual(after, DEFAULT_CHUNKING_SETTINGS)));
  return {
    op: op.op === 'add' ? 'add' : op.op === 'remove' ? 'remove' : 'replace',
    path: op.path,
    section,
    field,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(spec ? { spec } : {}),
    ...(toDefault ? { toDefault: true } : {}),
  };
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

/** Chunking as the server stores it: a sentence strategy without `sentence_overlap` gets 1. */
export function normaliseChunking(chunking: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (chunking['strategy'] === 'sentence' && chunking['sentence_overlap'] === undefined) {
    return { ...chunking, sentence_overlap: 1 };
  }
  return { ...chunking };
}

/** The value as the server stores it (`canonical` map), recursively for plain data; secrets untouched. */
export function canonical(spec: FieldSpec, value: unknown): unknown {
  const folded = foldCase(spec, value);
  if (typeof folded === 'string' && spec.canonical?.[folded] !== undefined) return spec.canonical[folded];
  return folded;
}

/** A case-insensitive enum's value as the catalog spells it (`start` → `START`); anything else unchanged. */
function foldCase(spec: FieldSpec, value: unknown): unknown {
  if (!spec.caseInsensitive || typeof value !== 'string' || !spec.enum) return value;
  const key = value.trim().toLowerCase();
  return spec.enum.find((v) => v.toLowerCase() === key) ?? value;
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
