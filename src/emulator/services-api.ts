/**
 * `GET _inference/_services[/{task_type}]` — the per-service field descriptions a cluster publishes
 * (the API docs: `required`, `sensitive`, `updatable`, `type`, `default_value`,
 * `supported_task_types`), generated from the same catalog the schemas come from, per version.
 */
import type { Capabilities } from '../catalog/capabilities.js';
import { SERVICES, defaultOf, isRequired, supportedTaskTypes } from '../catalog/index.js';
import type { FieldSpec, ServiceSpec, TaskType } from '../catalog/types.js';
import { atLeast, atMost } from '../catalog/version.js';
import type { EmulatorState } from './state.js';
import type { EmuResponse, JsonObject, JsonValue } from './types.js';

/** SettingsConfigurationFieldType names. */
const FIELD_TYPES: Record<FieldSpec['type'], string> = {
  string: 'str',
  integer: 'int',
  number: 'str', // [I] no floating-point type in SettingsConfigurationFieldType
  boolean: 'bool',
  rate_limit: 'int',
  adaptive_allocations: 'map',
  string_map: 'map',
  string_array: 'list',
  object: 'map',
};

function label(name: string): string {
  return name
    .split('_')
    .map((w) =>
      w === 'id' ? 'ID' : w === 'api' ? 'API' : w === 'url' ? 'URL' : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join(' ');
}

/** Can `_update` change the field on this version? */
function updatable(field: FieldSpec, caps: Capabilities): boolean {
  if (!caps.update) return false;
  const u = field.updatable;
  if (u === 'secret' || u === 'allocation' || u === 'merge') return true;
  if (u === 'never') return false;
  return caps.updateMutableServiceSettings && atLeast(caps.tuple, u.since);
}

function configurations(spec: ServiceSpec, caps: Capabilities, taskTypes: TaskType[]): JsonObject {
  const out: JsonObject = {};
  for (const [name, field] of Object.entries(spec.serviceSettings)) {
    if (!(atLeast(caps.tuple, field.since) && atMost(caps.tuple, field.until))) continue;
    const supported = taskTypes.filter((t) => !field.taskTypes || field.taskTypes.includes(t));
    if (supported.length === 0) continue;
    const key = field.type === 'rate_limit' ? `${name}.requests_per_minute` : name;
    const entry: JsonObject = {
      description: field.description,
      label: label(name),
      required: supported.some((t) => isRequired(field, t, caps.version)),
      sensitive: field.secret === true,
      updatable: updatable(field, caps),
      type: FIELD_TYPES[field.type],
      supported_task_types: supported,
    };
    const def = supported.map((t) => defaultOf(field, t)).find((d) => d !== undefined);
    if (def !== undefined) {
      entry.default_value = (
        field.type === 'rate_limit' && typeof def === 'object' && def !== null
          ? (def as { requests_per_minute: number }).requests_per_minute
          : def
      ) as JsonValue;
    }
    out[key] = entry;
  }
  return out;
}

/**
 * The list, sorted by service name. From 8.18/9.0 items are `{service, name, task_types, configurations}`;
 * the 8.16–8.17 `provider` shape is approximated [I] (the reference does not document it).
 */
export function listServices(state: EmulatorState, taskTypeFilter: TaskType | undefined): EmuResponse {
  const caps = state.caps;
  const items: JsonValue[] = [];
  for (const spec of [...SERVICES].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!atLeast(caps.tuple, spec.since)) continue;
    const taskTypes = supportedTaskTypes(spec, caps.version).filter((t) => caps.taskTypes.includes(t));
    if (taskTypeFilter && !taskTypes.includes(taskTypeFilter)) continue;
    const config = configurations(spec, caps, taskTypes);
    items.push(
      caps.servicesApiShape === 'service'
        ? { service: spec.name, name: spec.title, task_types: taskTypes, configurations: config }
        : {
            provider: spec.name,
            task_types: taskTypes.map((t) => ({ task_type: t, configuration: {} })),
            configuration: config,
          },
    );
  }
  return { status: 200, body: items };
}
