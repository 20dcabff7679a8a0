/**
 * `GET /_inference[/{task_type}][/{inference_id}]` and
 * `DELETE /_inference/[{task_type}/]{inference_id}` with `dry_run` / `force`.
 */
import { EsError, illegalArgument, javaHashOrder, statusException } from '../errors.js';
import type { EmulatorState, IndexRecord, StoredEndpoint } from '../state.js';
import type { EmuRequest, EmuResponse, JsonValue } from '../types.js';
import {
  checkRequestedTaskType,
  loadEndpoint,
  materializeDefaults,
  parseTaskType,
  renderEndpoint,
  type ParsedTaskType,
} from './common.js';

/** `Strings.isAllOrWildcard`: only `_all`, `*` (and the empty id of 8.13's yaml) list everything. */
function isAll(id: string): boolean {
  return id === '_all' || id === '*' || id === '';
}

/**
 * GET. `first`/`second` are the path segments after `_inference`: none (all), one (an id — never a task type,
 *, or two (task type + id).
 */
export function getEndpoints(
  state: EmulatorState,
  first: string | undefined,
  second: string | undefined,
): EmuResponse {
  const caps = state.caps;
  let taskType: ParsedTaskType = 'any';
  let id = first ?? '_all';
  if (second !== undefined) {
    taskType = parseTaskType(caps, first ?? '');
    id = second;
  }
  materializeDefaults(state);
  let items: StoredEndpoint[];
  if (isAll(id)) {
    items = [];
    for (const key of state.sortedIds()) {
      const ep = state.endpoints.get(key);
      if (ep && (taskType === 'any' || ep.taskType === taskType)) items.push(ep);
    }
  } else {
    const ep = loadEndpoint(state, id);
    checkRequestedTaskType(taskType, ep);
    items = [ep];
  }
  return { status: 200, body: { [caps.getWrapper]: items.map((ep) => renderEndpoint(state, ep)) } };
}

/** RestRequest.paramAsBoolean: `true`, `false` or empty (= true); anything else is a 400 [I text]. */
export function booleanParam(req: EmuRequest, name: string): boolean {
  const raw = req.query[name];
  if (raw === undefined) return false;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw illegalArgument(`Failed to parse value [${raw}] only [true] or [false] are allowed.`);
}

/**
 * Pipelines and indices that reference an endpoint, in the iteration order of the `HashSet`s ES collects
 * them in (`InferenceProcessorInfoExtractor.pipelineIdsForResource`, `SemanticTextInfoExtractor`): the 409
 * reason, the dry_run message and the dry_run arrays all print them in that order. Ids in the same hash bucket
 * keep the order they were created in here (ES: the cluster state's own iteration order) [I].
 */
export function referencesOf(state: EmulatorState, id: string): { pipelines: string[]; indexes: string[] } {
  const pipelines = [...state.pipelines.values()].filter((p) => p.modelIds.includes(id)).map((p) => p.id);
  const indexes = indicesUsing(state, id).map((i) => i.name);
  return { pipelines: javaHashOrder(pipelines), indexes: javaHashOrder(indexes) };
}

/** Indices with a semantic_text field whose `inference_id` or `search_inference_id` is `id` (delete and create guard). */
export function indicesUsing(state: EmulatorState, id: string): IndexRecord[] {
  return [...state.indices.values()].filter((i) =>
    i.semanticFields.some((f) => f.inferenceId === id || f.searchInferenceId === id),
  );
}

/** The exact 409 / dry_run message of pipelines part, then (with a leading space) the indexes part. */
export function referenceMessage(
  id: string,
  pipelines: readonly string[],
  indexes: readonly string[],
): string {
  let message = '';
  if (pipelines.length > 0) {
    message +=
      `Inference endpoint ${id} is referenced by pipelines: [${pipelines.join(', ')}]. ` +
      'Ensure that no pipelines are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.';
  }
  if (indexes.length > 0) {
    message +=
      ` Inference endpoint ${id} is being used in the mapping for indexes: [${indexes.join(', ')}]. ` +
      'Ensure that no index mappings are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.';
  }
  return message;
}

/** DELETE, in the order of load → task type → default rule → dry_run → references → stop → delete. */
export function deleteEndpoint(
  state: EmulatorState,
  req: EmuRequest,
  first: string,
  second: string | undefined,
): EmuResponse {
  const caps = state.caps;
  const taskType: ParsedTaskType = second === undefined ? 'any' : parseTaskType(caps, first);
  const id = second ?? first;
  const dryRun = caps.deleteDryRunForce && booleanParam(req, 'dry_run');
  const force = caps.deleteDryRunForce && booleanParam(req, 'force');
  const ep = loadEndpoint(state, id);
  checkRequestedTaskType(taskType, ep);
  if (ep.isDefault) {
    if (!caps.defaultEndpointsDeletableWithForce) {
      throw statusException(
        400,
        `[${id}] is a reserved inference endpoint. Cannot delete a reserved inference endpoint.`,
      );
    }
    if (!force) {
      throw statusException(
        400,
        `[${id}] is a reserved inference endpoint. Use the force=true query parameter to delete the inference endpoint.`,
      );
    }
  }
  if (!caps.deleteDryRunForce) {
    remove(state, ep);
    return { status: 200, body: { acknowledged: true } };
  }
  const refs = referencesOf(state, id);
  const pipelines = refs.pipelines;
  // 8.15 checks ingest pipelines only and answers without `indexes` (PR #111626).
  const indexes = caps.deleteChecksSemanticText ? refs.indexes : [];
  if (dryRun && !caps.deleteChecksSemanticText) {
    return { status: 200, body: { acknowledged: false, pipelines } };
  }
  if (dryRun) {
    // [I] error_message "" when nothing references the endpoint.
    return {
      status: 200,
      body: {
        acknowledged: false,
        pipelines,
        indexes,
        error_message: referenceMessage(id, pipelines, indexes),
      },
    };
  }
  if (!force && (pipelines.length > 0 || indexes.length > 0)) {
    throw new EsError(409, 'status_exception', referenceMessage(id, pipelines, indexes));
  }
  remove(state, ep);
  const body: JsonValue = caps.deleteChecksSemanticText
    ? { acknowledged: true, pipelines: [], indexes: [] }
    : { acknowledged: true, pipelines: [] };
  return { status: 200, body };
}

/** Deletes the config and stops the deployment the endpoint created (an attached one keeps running). */
function remove(state: EmulatorState, ep: StoredEndpoint): void {
  state.endpoints.delete(ep.inferenceId);
  state.invalidateOrder();
  const own = state.deployments.get(ep.inferenceId);
  if (own && own.createdBy === ep.inferenceId) state.deployments.delete(ep.inferenceId);
}
