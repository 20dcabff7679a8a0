/**
 * Trained-model deployments of in-cluster endpoints and `GET _ml/trained_models[/{id}]/_stats` (the API docs
 * "Trained model stats",. A deployment is `starting` until its start delay has passed, then
 * `started` with allocation state `fully_allocated`.
 */
import { EsError, actionRequestValidation, resourceNotFound } from './errors.js';
import { knownTrainedModels } from './models.js';
import type { AdaptiveAllocations, Deployment, EmulatorState } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from './types.js';

const BUILT_IN_LANG_IDENT = 'lang_ident_model_1';

/** Starts a deployment (StartTrainedModelDeploymentAction); validates threads like its request. */
export function startDeployment(
  state: EmulatorState,
  params: {
    deploymentId: string;
    modelId: string;
    createdBy: string | undefined;
    threads: number;
    allocations: number | undefined;
    adaptive: AdaptiveAllocations | undefined;
  },
): Deployment {
  const errors: string[] = [];
  if (![1, 2, 4, 8, 16, 32].includes(params.threads)) {
    errors.push('[threads_per_allocation] must be a power of 2 less than or equal to 32'); // [I] text
  }
  if (params.allocations !== undefined && params.adaptive?.enabled) {
    errors.push('[number_of_allocations] cannot be set if adaptive allocations is enabled');
  }
  if (errors.length > 0) throw actionRequestValidation(errors);
  const now = state.now();
  const deployment: Deployment = {
    deploymentId: params.deploymentId,
    modelId: params.modelId,
    createdBy: params.createdBy,
    threadsPerAllocation: params.threads,
    numberOfAllocations: params.adaptive?.enabled ? undefined : (params.allocations ?? 1),
    adaptive: params.adaptive,
    startTime: now,
    readyAt: now + (state.options.deploymentStartDelayMs ?? 0),
  };
  state.deployments.set(deployment.deploymentId, deployment);
  return deployment;
}

/**
 * Waits until the deployment is started or `timeoutMs` passed. Returns false on timeout: the caller answers
 * 408 while the endpoint stays.
 */
export async function waitForStarted(
  state: EmulatorState,
  d: Deployment,
  timeoutMs: number,
): Promise<boolean> {
  const remaining = d.readyAt - state.now();
  if (remaining <= 0) return true;
  if (remaining > timeoutMs) {
    await sleep(timeoutMs);
    return state.isStarted(d);
  }
  await sleep(remaining);
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * `deployment_stats` of one deployment: `starting` until its start delay passed, then `started` with every
 * target allocation placed (`fully_allocated`; 0/0 for a deployment scaled to zero). A deployment named in the
 * `failedDeployments` option is `failed` with that `reason` and no allocations [I: allocation state of a failed
 * deployment not in the reference].
 */
function deploymentStats(state: EmulatorState, d: Deployment): JsonObject {
  const failure = state.options.failedDeployments?.[d.deploymentId];
  const started = failure === undefined && state.isStarted(d);
  const target = state.liveAllocations(d) ?? 1;
  const count = started ? target : 0;
  const stats: JsonObject = {
    deployment_id: d.deploymentId,
    model_id: d.modelId,
    threads_per_allocation: d.threadsPerAllocation,
    number_of_allocations: target,
    queue_capacity: 1024,
    state: failure !== undefined ? 'failed' : started ? 'started' : 'starting',
    ...(failure !== undefined ? { reason: failure } : {}),
    allocation_status: {
      allocation_count: count,
      target_allocation_count: target,
      state: started && count >= target ? 'fully_allocated' : started ? 'started' : 'starting',
    },
    cache_size: '0b',
    priority: 'normal',
    start_time: d.startTime,
    peak_throughput_per_minute: 0,
    nodes:
      started && count > 0
        ? [
            {
              node: { emulator: { name: state.options.nodeName ?? 'emulator', roles: ['ml'] } },
              routing_state: { routing_state: 'started' },
              inference_count: 0,
              number_of_allocations: count,
              threads_per_allocation: d.threadsPerAllocation,
              start_time: d.startTime,
            },
          ]
        : [],
  };
  if (d.adaptive) stats.adaptive_allocations = { ...d.adaptive } as JsonObject;
  return stats;
}

/** Models the stats API lists: the always-present language-id model, plus every deployed model. */
function statsEntries(state: EmulatorState): { modelId: string; deployment?: Deployment }[] {
  const entries: { modelId: string; deployment?: Deployment }[] = [{ modelId: BUILT_IN_LANG_IDENT }];
  const deployed = [...state.deployments.values()].sort((a, b) =>
    a.modelId === b.modelId ? (a.deploymentId < b.deploymentId ? -1 : 1) : a.modelId < b.modelId ? -1 : 1,
  );
  for (const d of deployed) entries.push({ modelId: d.modelId, deployment: d });
  return entries.sort((a, b) => (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0));
}

function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '_all' || pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(value);
}

/**
 * `GET _ml/trained_models/_stats` and `/{model_id_or_deployment_id}/_stats`: ids may be a comma list,
 * wildcards, model ids or deployment ids. An explicit id that matches nothing → 404 [I text].
 */
export function trainedModelStats(
  state: EmulatorState,
  req: EmuRequest,
  idExpression: string | undefined,
): EmuResponse {
  const allowNoMatch = req.query.allow_no_match !== 'false';
  const from = Number(req.query.from ?? 0);
  const size = Number(req.query.size ?? 100);
  const entries = statsEntries(state);
  let selected = entries;
  if (idExpression !== undefined && idExpression !== '_all' && idExpression !== '*') {
    const patterns = idExpression.split(',').map((p) => p.trim());
    for (const p of patterns) {
      const hit = entries.some(
        (e) => wildcardMatch(p, e.modelId) || (e.deployment && wildcardMatch(p, e.deployment.deploymentId)),
      );
      if (!hit && (!p.includes('*') || !allowNoMatch)) {
        throw resourceNotFound(`No known trained model with model_id [${p}]`);
      }
    }
    selected = entries.filter((e) =>
      patterns.some(
        (p) =>
          wildcardMatch(p, e.modelId) ||
          (e.deployment !== undefined && wildcardMatch(p, e.deployment.deploymentId)),
      ),
    );
  }
  const models = knownTrainedModels(state.options.trainedModels);
  const page = selected.slice(from, from + size);
  const items: JsonValue[] = page.map((e) => {
    const info = models.get(e.modelId);
    const item: JsonObject = {
      model_id: e.modelId,
      model_size_stats: {
        model_size_bytes: info?.sizeBytes ?? 1_053_992,
        required_native_memory_bytes: e.deployment ? (info?.sizeBytes ?? 1_053_992) * 2 : 0,
      },
      pipeline_count: [...state.pipelines.values()].filter((p) => p.modelIds.includes(e.modelId)).length,
      inference_stats: {
        failure_count: 0,
        inference_count: 0,
        cache_miss_count: 0,
        missing_all_fields_count: 0,
        timestamp: state.now(),
      },
    };
    if (e.deployment) item.deployment_stats = deploymentStats(state, e.deployment);
    return item;
  });
  return { status: 200, body: { count: selected.length, trained_model_stats: items } };
}

/** `GET _ml/trained_models[/{id}]`: configs of known models (minimal: ids, type, tags) [not in the reference]. */
export function trainedModels(state: EmulatorState, idExpression: string | undefined): EmuResponse {
  const models = knownTrainedModels(state.options.trainedModels);
  const ids = [BUILT_IN_LANG_IDENT, ...new Set([...state.deployments.values()].map((d) => d.modelId))].sort();
  const selected =
    idExpression === undefined || idExpression === '_all' || idExpression === '*'
      ? ids
      : ids.filter((id) => idExpression.split(',').some((p) => wildcardMatch(p.trim(), id)));
  if (
    idExpression !== undefined &&
    !idExpression.includes('*') &&
    idExpression !== '_all' &&
    selected.length === 0
  ) {
    throw resourceNotFound(`No known trained model with model_id [${idExpression}]`);
  }
  return {
    status: 200,
    body: {
      count: selected.length,
      trained_model_configs: selected.map((id) => ({
        model_id: id,
        model_type: id === BUILT_IN_LANG_IDENT ? 'lang_ident' : 'pytorch',
        created_by: id.startsWith('.') || id === BUILT_IN_LANG_IDENT ? '_xpack' : 'api_user',
        version: '12.0.0',
        tags: id === BUILT_IN_LANG_IDENT ? ['lang_ident', 'prepackaged'] : [],
        inference_config: { [models.get(id)?.taskType ?? 'classification']: {} },
      })),
    },
  };
}

/**
 * `POST _ml/trained_models/{model_id}/deployment/_start` — enough to create deployments outside the inference
 * API (CreateFromDeploymentIT). Query params as the real API: deployment_id, number_of_allocations,
 * threads_per_allocation, wait_for (ignored: returns at once).
 */
export function startTrainedModelDeployment(
  state: EmulatorState,
  req: EmuRequest,
  modelId: string,
): EmuResponse {
  const models = knownTrainedModels(state.options.trainedModels);
  if (!models.has(modelId)) throw resourceNotFound(`Could not find trained model [${modelId}]`);
  const deploymentId = req.query.deployment_id ?? modelId;
  if (state.deployments.has(deploymentId) || state.endpoints.has(deploymentId)) {
    // [I] text of TrainedModelAssignment's duplicate check.
    throw new EsError(
      409,
      'status_exception',
      `Could not start model deployment because an existing deployment with the same id [${deploymentId}] exist`,
    );
  }
  const d = startDeployment(state, {
    deploymentId,
    modelId,
    createdBy: undefined,
    threads: Number(req.query.threads_per_allocation ?? 1),
    allocations: Number(req.query.number_of_allocations ?? 1),
    adaptive: undefined,
  });
  return {
    status: 200,
    body: { assignment: { task_parameters: { model_id: modelId, deployment_id: d.deploymentId } } },
  };
}

/** `POST _ml/trained_models/{id}/deployment/_stop`. */
export function stopTrainedModelDeployment(state: EmulatorState, id: string): EmuResponse {
  if (!state.deployments.delete(id)) throw resourceNotFound(`No known model deployment with id [${id}]`); // [I]
  return { status: 200, body: { stopped: true } };
}
