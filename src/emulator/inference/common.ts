/**
 * Pieces every `_inference` handler shares: body parsing, task-type parsing and resolution,
 * id validation, not-found errors per version, rendering of a stored endpoint, and the
 * lazily materialised default endpoints.
 */
import type { Capabilities } from '../../catalog/capabilities.js';
import { DEFAULT_CHUNKING_SETTINGS } from '../../catalog/chunking.js';
import { EMBEDDING_TASK_TYPES, TASK_TYPES, type TaskType } from '../../catalog/types.js';
import { EsError, actionRequestValidation, resourceNotFound, statusException } from '../errors.js';
import type { EmulatorState, StoredEndpoint } from '../state.js';
import type { EmuRequest, JsonObject } from '../types.js';
import { isObject } from './settings.js';
import type { EisEndpointOption } from '../options.js';

/** Task type as parsed from a URL or body: a real one, or `any` (TaskType.ANY). */
export type ParsedTaskType = TaskType | 'any';

/** `TaskType.fromStringOrStatusException`: "Unknown task_type [bad]" (inference_crud.yml). */
export function parseTaskType(caps: Capabilities, text: string): ParsedTaskType {
  const lower = text.toLowerCase();
  if (lower === 'any') return 'any';
  if ((TASK_TYPES as readonly string[]).includes(lower) && caps.taskTypes.includes(lower as TaskType)) {
    return lower as TaskType;
  }
  throw statusException(400, `Unknown task_type [${text}]`);
}

/** `ServiceUtils.resolveTaskType`: URL vs body task type. */
export function resolveTaskType(caps: Capabilities, url: ParsedTaskType, body: unknown): TaskType {
  if (body === undefined || body === null) {
    if (url === 'any') throw statusException(400, 'model is missing required setting [task_type]');
    return url;
  }
  const parsed = parseTaskType(caps, String(body));
  if (parsed === 'any') throw statusException(400, 'task_type [any] is not valid type for inference');
  if (url !== 'any' && url !== parsed) {
    throw statusException(
      400,
      `Cannot resolve conflicting task_type parameter in the request URL [${url}] and the request body [${parsed}]`,
    );
  }
  return parsed;
}

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9_\-.]*[a-z0-9])?$/;

/** MlStrings.isValidId. No length check [I]. */
export function isValidInferenceId(id: string): boolean {
  return id !== '_all' && ID_PATTERN.test(id);
}

/** `Validation Failed: 1: Invalid inference_id; '<id>' can contain …;`. */
export function invalidIdError(id: string): EsError {
  return actionRequestValidation([
    `Invalid inference_id; '${id}' can contain lowercase alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with alphanumeric`,
  ]);
}

/** 404 for a missing endpoint, worded per version. */
export function notFound(caps: Capabilities, id: string): EsError {
  return resourceNotFound(
    caps.notFoundMessage === 'endpoint' ? `Inference endpoint not found [${id}]` : `Model not found [${id}]`,
  );
}

/** "request body is required" (RestRequest.requiredContent) [I type]. */
export function parseJsonBody(req: EmuRequest, required: boolean): JsonObject | undefined {
  const text = req.body;
  if (text === undefined || text.trim() === '') {
    if (required) throw new EsError(400, 'parse_exception', 'request body is required');
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // [I] XContentHelper.convertToMap wraps the Jackson error.
    throw new EsError(400, 'parse_exception', 'Failed to parse content to map', {
      causedBy: { type: 'json_parse_exception', reason: (error as Error).message },
    });
  }
  if (!isObject(value)) throw new EsError(400, 'parse_exception', 'Failed to parse content to map');
  return value;
}

/** Puts the version's default endpoints into the store if missing: ES persists them on first read. */
export function materializeDefaults(state: EmulatorState): void {
  for (const spec of state.caps.defaultEndpoints) {
    if (state.endpoints.has(spec.inferenceId)) continue;
    const modelId = spec.platformSpecific ? state.platformModel(spec.modelId) : spec.modelId;
    state.endpoints.set(spec.inferenceId, {
      inferenceId: spec.inferenceId,
      taskType: spec.taskType,
      service: 'elasticsearch',
      serviceSettings: {
        num_threads: 1,
        model_id: modelId,
        adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 32 },
      },
      secrets: {},
      taskSettings: { ...(spec.taskSettings ?? {}) } as JsonObject,
      chunkingSettings: EMBEDDING_TASK_TYPES.includes(spec.taskType)
        ? { ...DEFAULT_CHUNKING_SETTINGS }
        : undefined,
      isDefault: true,
    });
    state.invalidateOrder();
  }
  if (!state.eisAuthorized || state.caps.eisPreconfigured === 'none') return;
  const eis =
    state.caps.eisPreconfigured === 'dynamic' && state.options.eisEndpoints
      ? state.options.eisEndpoints
      : knownEisEndpoints(state.caps.tuple);
  for (const spec of eis) {
    if (state.endpoints.has(spec.inferenceId)) continue;
    state.endpoints.set(spec.inferenceId, {
      inferenceId: spec.inferenceId,
      taskType: spec.taskType,
      service: 'elastic',
      serviceSettings: { model_id: spec.modelId },
      secrets: {},
      taskSettings: {},
      chunkingSettings: EMBEDDING_TASK_TYPES.includes(spec.taskType)
        ? { ...DEFAULT_CHUNKING_SETTINGS }
        : undefined,
      isDefault: true,
    });
    state.invalidateOrder();
  }
}

/**
 * The preconfigured EIS endpoints a release is known to create when the cluster is authorised: up to 9.2 a
 * list fixed in code; from 9.3.0 whatever the authorisation response lists (PR #138249), defaulting here to
 * the ids the release hard-codes. `.elser-v2-elastic` was renamed `.elser-2-elastic` in 8.19/9.1 (PRs #122066,
 * #130336); `.jina-embeddings-v5-text-small` from 9.4.0 (PR #142980); rerank on EIS from 9.2 (PR #137205).
 */
function knownEisEndpoints(v: readonly [number, number, number]): readonly EisEndpointOption[] {
  const since = (major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor);
  const renamed = v[0] > 9 || (v[0] === 9 && v[1] >= 1) || (v[0] === 8 && v[1] >= 19);
  const out: EisEndpointOption[] = [
    { inferenceId: '.rainbow-sprinkles-elastic', taskType: 'chat_completion', modelId: 'rainbow-sprinkles' },
    {
      inferenceId: renamed ? '.elser-2-elastic' : '.elser-v2-elastic',
      taskType: 'sparse_embedding',
      modelId: 'elser_model_2',
    },
  ];
  if (since(9, 2))
    out.push({ inferenceId: '.elastic-rerank-v1', taskType: 'rerank', modelId: 'elastic-rerank-v1' });
  if (since(9, 4)) {
    out.push({
      inferenceId: '.jina-embeddings-v5-text-small',
      taskType: 'text_embedding',
      modelId: 'jina-embeddings-v5-text-small',
    });
  }
  return out;
}

/** Loads an endpoint for GET/DELETE/update/infer, materialising defaults first; 404 when absent. */
export function loadEndpoint(state: EmulatorState, id: string): StoredEndpoint {
  materializeDefaults(state);
  const ep = state.endpoints.get(id);
  if (!ep) throw notFound(state.caps, id);
  return ep;
}

/** "Requested task type [a] does not match the inference endpoint's task type [b]" (GET/DELETE). */
export function checkRequestedTaskType(requested: ParsedTaskType, ep: StoredEndpoint): void {
  if (requested !== 'any' && requested !== ep.taskType) {
    throw statusException(
      400,
      `Requested task type [${requested}] does not match the inference endpoint's task type [${ep.taskType}]`,
    );
  }
}

/** In-cluster services: their endpoints own a trained-model deployment. */
export function isInCluster(service: string): boolean {
  return service === 'elasticsearch' || service === 'elser';
}

/** Service settings as GET shows them: live allocations for in-cluster endpoints from 8.16. */
function liveServiceSettings(state: EmulatorState, ep: StoredEndpoint): JsonObject {
  const settings: JsonObject = { ...ep.serviceSettings };
  if (!isInCluster(ep.service)) return settings;
  const deploymentId = typeof settings.deployment_id === 'string' ? settings.deployment_id : ep.inferenceId;
  const deployment = state.deployments.get(deploymentId);
  if (typeof settings.deployment_id === 'string' && deployment) {
    // Attached to an existing deployment: its allocation settings are copied (CreateFromDeploymentIT).
    settings.num_threads = deployment.threadsPerAllocation;
    if (deployment.adaptive) settings.adaptive_allocations = { ...deployment.adaptive };
  }
  if (!state.caps.liveNumAllocations) return settings;
  const adaptive = isObject(settings.adaptive_allocations) && settings.adaptive_allocations.enabled === true;
  if (deployment) {
    const live = state.liveAllocations(deployment);
    if (live !== undefined) settings.num_allocations = live;
  } else if (adaptive) {
    delete settings.num_allocations;
  }
  return orderInCluster(settings);
}

/** Key order of ElasticsearchInternalServiceSettings.toXContent: num_allocations, num_threads, model_id, …. */
function orderInCluster(settings: JsonObject): JsonObject {
  const order = ['num_allocations', 'num_threads', 'model_id', 'deployment_id', 'adaptive_allocations'];
  const out: JsonObject = {};
  for (const key of order) if (settings[key] !== undefined) out[key] = settings[key];
  for (const [key, value] of Object.entries(settings)) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * One endpoint as GET, PUT and `_update` return it: key order `inference_id, task_type, service,
 * service_settings, task_settings?, chunking_settings?`; secrets are never part of it.
 */
export function renderEndpoint(state: EmulatorState, ep: StoredEndpoint): JsonObject {
  const caps = state.caps;
  const out: JsonObject = {
    [caps.idKey]: ep.inferenceId,
    task_type: ep.taskType,
    service: ep.service,
    service_settings: liveServiceSettings(state, ep),
  };
  if (!(caps.omitEmptyTaskSettings && Object.keys(ep.taskSettings).length === 0))
    out.task_settings = { ...ep.taskSettings };
  if (ep.chunkingSettings) out.chunking_settings = { ...ep.chunkingSettings };
  return out;
}

/** ES TimeValue.toString: `30s`, `1.5s`, `100ms`, `2m` (one decimal, trailing `.0` dropped). */
export function formatTimeValue(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, suffix] of units) {
    if (ms >= size) {
      const value = Math.round((ms / size) * 10) / 10;
      return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}${suffix}`;
    }
  }
  return `${ms}ms`;
}

/** Parses an ES time value (`30s`, `500ms`, `1m`); 400 parse_exception otherwise (`timeout`). */
export function parseTimeValue(text: string, param: string): number {
  const match = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw new EsError(
      400,
      'parse_exception',
      `failed to parse setting [${param}] with value [${text}] as a time value: unit is missing or unrecognized`,
    );
  }
  const n = Number(match[1]);
  const factor: Record<string, number> = {
    nanos: 1e-6,
    micros: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return n * (factor[match[2] as string] ?? 1);
}
