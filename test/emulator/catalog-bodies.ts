/**
 * Minimal valid create bodies built from the catalog (not from the emulator), for driving every service ×
 * task type × version through the emulator.
 */
import {
  SERVICES,
  defaultOf,
  fieldApplies,
  requirementHolds,
  supportedTaskTypes,
  taskSettingsFor,
} from '../../src/catalog/index.js';
import type { FieldSpec, JsonSchema, ServiceSpec, TaskType } from '../../src/catalog/types.js';
import { atLeast } from '../../src/catalog/version.js';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';

const IN_CLUSTER_MODELS: Partial<Record<TaskType, string>> = {
  sparse_embedding: '.elser_model_2',
  text_embedding: '.multilingual-e5-small',
  rerank: '.rerank-v1',
};

function sample(schema: JsonSchema | undefined): unknown {
  if (!schema) return {};
  if (Array.isArray(schema.oneOf)) return sample(schema.oneOf[0] as JsonSchema);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string') return 'x';
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array')
    return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample(schema.items as JsonSchema));
  const out: Record<string, unknown> = {};
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const key of (schema.required as string[] | undefined) ?? []) out[key] = sample(props[key]);
  return out;
}

/** A valid value for a field. */
export function valueFor(name: string, field: FieldSpec, service: string, taskType: TaskType): unknown {
  if (service === 'elasticsearch' && name === 'model_id') return IN_CLUSTER_MODELS[taskType];
  if (field.enum) return field.enum[0];
  if (Array.isArray(field.schema?.enum)) return field.schema.enum[0];
  switch (field.type) {
    case 'string':
      return name === 'url' ? 'https://example.com/v1/chat/completions' : `${name}-value`;
    case 'integer':
      return Math.max(field.minimum ?? 1, 1);
    case 'number':
      return field.maximum !== undefined ? field.maximum / 2 : 0.5;
    case 'boolean':
      return true;
    case 'rate_limit':
      return { requests_per_minute: 10 };
    case 'adaptive_allocations':
      return { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 4 };
    case 'string_map':
      return { k: 'v' };
    case 'string_array':
      return ['a'];
    case 'object':
      return sample(field.schema);
  }
}

function required(field: FieldSpec, taskType: TaskType, version: string): boolean {
  const req = field.required;
  if (req === undefined) return false;
  if (req === true) return true;
  return requirementHolds({ ...req, unless: undefined }, taskType, version);
}

export interface Body {
  service: string;
  service_settings: Record<string, unknown>;
  task_settings?: Record<string, unknown>;
}

/** The smallest body the catalog says is valid for the service, task type and version. */
export function minimalBody(spec: ServiceSpec, taskType: TaskType, version: string): Body {
  const ss: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec.serviceSettings)) {
    if (!fieldApplies(field, taskType, version)) continue;
    if (required(field, taskType, version)) ss[name] = valueFor(name, field, spec.name, taskType);
  }
  const fields = Object.fromEntries(
    Object.entries(spec.serviceSettings).filter(([, f]) => fieldApplies(f, taskType, version)),
  );
  for (const rule of spec.rules ?? []) {
    if (rule.kind === 'atLeastOne' || rule.kind === 'exactlyOne') {
      const known = rule.fields.filter((f) => fields[f]);
      if (known.length > 0 && !known.some((f) => f in ss)) {
        const first = known[0] as string;
        ss[first] = valueFor(first, fields[first] as FieldSpec, spec.name, taskType);
      }
    }
    if (
      rule.kind === 'requiredWhen' &&
      fields[rule.field] &&
      (!rule.taskTypes || rule.taskTypes.includes(taskType))
    ) {
      const values: Record<string, unknown> = {};
      for (const [n, f] of Object.entries(fields)) {
        const d = defaultOf(f, taskType);
        if (d !== undefined) values[n] = d;
      }
      Object.assign(values, ss);
      if (Object.entries(rule.when).every(([k, v]) => values[k] === v)) {
        ss[rule.field] = valueFor(rule.field, fields[rule.field] as FieldSpec, spec.name, taskType);
      }
    }
  }
  const ts: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(taskSettingsFor(spec, taskType, version))) {
    if (required(field, taskType, version)) ts[name] = valueFor(name, field, spec.name, taskType);
  }
  return {
    service: spec.name,
    service_settings: ss,
    ...(Object.keys(ts).length ? { task_settings: ts } : {}),
  };
}

/** Every (service, task type) the catalog lists for a version. */
export function catalogCases(version: string): { spec: ServiceSpec; taskType: TaskType }[] {
  // Task types the version knows at all (capabilities): the catalog dates some task types only per service.
  const known = capabilitiesFor(version).taskTypes;
  return SERVICES.filter((s) => atLeast(version, s.since)).flatMap((spec) =>
    supportedTaskTypes(spec, version)
      .filter((t) => known.includes(t))
      .map((taskType) => ({ spec, taskType })),
  );
}

/** Secret field names of a service. */
export function secretNames(spec: ServiceSpec): string[] {
  return Object.entries(spec.serviceSettings)
    .filter(([, f]) => f.secret)
    .map(([n]) => n);
}
