/**
 * Questions about the catalog, answered from the data in `services/`. Every consumer (schemas,
 * validator, emulator, normaliser, planner) asks here rather than reading service files directly.
 */
import { capabilitiesFor } from './capabilities.js';
import { SERVICES } from './services/index.js';
import type {
  FieldMap,
  FieldSpec,
  Requirement,
  RequirementCondition,
  ServiceSpec,
  TaskType,
} from './types.js';
import { atLeast, atMost } from './version.js';

export * from './types.js';
export { SERVICES };

/** The newest Elasticsearch minor the catalog describes; validation targets it unless told otherwise. */
export const LATEST_VERSION = '9.5';

/** The oldest Elasticsearch version inferctl plans against (older clusters are read-only best effort). */
export const OLDEST_SUPPORTED_VERSION = '8.15';

const byName = new Map(SERVICES.map((s) => [s.name, s]));

export function getService(name: string): ServiceSpec | undefined {
  return byName.get(name);
}

export function serviceNames(): string[] {
  return SERVICES.map((s) => s.name);
}

/**
 * Task types the service supports on `version` (all versions when omitted; none before the service
 * existed): the service's own dating, within the task types the version knows at all (`chat_completion` 8.18, `embedding` 9.4; see
 * capabilities.ts).
 */
export function supportedTaskTypes(service: ServiceSpec, version?: string): TaskType[] {
  if (version !== undefined && !atLeast(version, service.since)) return [];
  const known = version === undefined ? undefined : capabilitiesFor(version).taskTypes;
  return service.taskTypes
    .filter((t) => version === undefined || (atLeast(version, t.since) && known!.includes(t.taskType)))
    .map((t) => t.taskType);
}

/** Is the field part of the request body for this task type on this version? */
export function fieldApplies(field: FieldSpec, taskType: TaskType, version?: string): boolean {
  if (field.taskTypes && !field.taskTypes.includes(taskType)) return false;
  if (version !== undefined && !(atLeast(version, field.since) && atMost(version, field.until))) return false;
  return true;
}

/** The fields of `map` that apply to a task type (and version). */
export function fieldsFor(map: FieldMap, taskType: TaskType, version?: string): Record<string, FieldSpec> {
  return Object.fromEntries(Object.entries(map).filter(([, f]) => fieldApplies(f, taskType, version)));
}

/** Task settings of the service for a task type, honouring `noTaskSettingsFor`. */
export function taskSettingsFor(
  service: ServiceSpec,
  taskType: TaskType,
  version?: string,
): Record<string, FieldSpec> {
  if (service.noTaskSettingsFor?.includes(taskType)) return {};
  return fieldsFor(service.taskSettings, taskType, version);
}

/** The conditions of a requirement as a list (`true` = one unconditional condition). */
export function requirementConditions(req: Requirement | undefined): readonly RequirementCondition[] {
  if (req === undefined) return [];
  if (req === true) return [{}];
  return Array.isArray(req) ? (req as readonly RequirementCondition[]) : [req as RequirementCondition];
}

/**
 * Is the field required for this task type on this version? Conditions with `unless` count as not
 * required here (they are cross-field rules: the schema generator turns them into `anyOf`).
 */
export function isRequired(field: FieldSpec, taskType: TaskType, version?: string): boolean {
  return requirementConditions(field.required).some(
    (c) => !c.unless && requirementHolds(c, taskType, version),
  );
}

/** Does a requirement condition apply to this task type and version (ignoring `unless`)? */
export function requirementHolds(
  req: RequirementCondition,
  taskType: TaskType,
  version: string | undefined,
): boolean {
  if (req.taskTypes && !req.taskTypes.includes(taskType)) return false;
  // Without a version, the newest behaviour: `since` requirements hold, `until` ones have lapsed.
  if (version === undefined) return req.until === undefined;
  return atLeast(version, req.since) && atMost(version, req.until);
}

/** Names of the service's secret fields (write-only, never returned by GET). */
export function secretFields(service: ServiceSpec): string[] {
  return Object.entries(service.serviceSettings)
    .filter(([, f]) => f.secret)
    .map(([name]) => name);
}

/** The value the server stores when a field is omitted, for a task type; `undefined` when none is known. */
export function defaultOf(field: FieldSpec, taskType: TaskType): unknown {
  return field.defaultByTaskType?.[taskType] ?? field.default;
}

/** Does the service × task type take `chunking_settings` on this version? */
export function takesChunking(service: ServiceSpec, taskType: TaskType, version?: string): boolean {
  return service.chunking.includes(taskType) && (version === undefined || atLeast(version, '8.16'));
}
