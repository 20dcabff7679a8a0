/**
 * Deploy and undeploy, task based. For a remote model `_deploy` answers once every node has
 * taken the model (`status: "COMPLETED"`; local models answer `"CREATED"` and deploy in the background); the model
 * document goes `DEPLOYING` → `DEPLOYED` (or `DEPLOY_FAILED`, `PARTIALLY_DEPLOYED`) and the task `CREATED` →
 * `RUNNING` → `COMPLETED` (`FAILED`, `COMPLETED_WITH_ERROR`) when the nodes report back — after
 * `deployDelayMs` of emulated time [src `TransportDeployModelAction`, `TransportForwardAction` DEPLOY_MODEL_DONE].
 *
 * Undeploy asks every node to drop the model from its cache: `{"<node>": {"stats": {"<id>": "UNDEPLOYED" |
 * "not_found"}}}`. When no node had it, ml-commons still sets the model documents to `UNDEPLOYED` (the
 * "undeployment fallback") — so undeploying a `REGISTERED` model makes it `UNDEPLOYED` [src
 * `TransportUndeployModelsAction`].
 */
import type { EmuRequest, EmuResponse, JsonObject } from '../types.js';
import { illegalArgument, parseException, statusException } from './errors.js';
import { isObject, objectBody, stringList } from './parse.js';
import type { OpenSearchState } from './state.js';
import { createTask, updateTask } from './tasks.js';

/** The outcome configured for a model (by id, then by name). */
function outcomeFor(state: OpenSearchState, modelId: string, name: string) {
  const outcomes = state.options.deployOutcomes ?? {};
  return outcomes[modelId] ?? outcomes[name];
}

/**
 * Starts a deployment on every node and returns the task id: the shared part of `_deploy` and
 * `_register?deploy=true` (`deployModelAfterRegistering`).
 */
export function deployModelNow(state: OpenSearchState, modelId: string): string {
  const doc = state.models.get(modelId);
  if (!doc) throw statusException(404, 'Failed to find model');
  const fn = String(doc.source.algorithm);
  const nodes = [...state.nodeIds];
  const taskId = createTask(state, {
    modelId,
    taskType: 'DEPLOY_MODEL',
    functionName: fn,
    workerNodes: nodes,
    async: true,
  });
  state.models.update(modelId, {
    model_state: 'DEPLOYING',
    planning_worker_node_count: nodes.length,
    planning_worker_nodes: nodes,
    deploy_to_all_nodes: true,
  });
  state.cache.set(modelId, new Set(nodes));
  updateTask(state, taskId, { state: 'RUNNING' });

  const name = String(doc.source.name);
  const connectorId = typeof doc.source.connector_id === 'string' ? doc.source.connector_id : undefined;
  state.later(state.options.deployDelayMs ?? 0, () => {
    const current = state.models.get(modelId);
    if (!current) return;
    const now = state.now();
    const configured = outcomeFor(state, modelId, name);
    // A stand-alone connector that does not exist (registered before 2.16, or switched to by an update) fails every
    // node's predictor initialisation [infer: message of the node's lookup, `MLModelManager.getConnector`].
    const missingConnector =
      connectorId !== undefined && fn === 'REMOTE' && !state.connectors.get(connectorId);
    const outcome = missingConnector ? 'fail' : configured?.outcome;
    const message = missingConnector
      ? `Failed to find connector:${connectorId}`
      : (configured?.error ?? 'emulated deployment failure');
    if (outcome === 'fail') {
      const errors: JsonObject = {};
      for (const n of nodes) errors[n] = message;
      state.cache.delete(modelId);
      updateTask(state, taskId, { state: 'FAILED', error: JSON.stringify(errors) });
      state.models.update(modelId, {
        model_state: 'DEPLOY_FAILED',
        current_worker_node_count: 0,
        last_updated_time: now,
      });
      return;
    }
    // A partial deployment: the first node fails (with one node there is nothing to be partial about: it fails).
    const failed = outcome === 'partial' ? nodes.slice(0, 1) : [];
    const ok = nodes.filter((n) => !failed.includes(n));
    if (ok.length === 0) {
      state.cache.delete(modelId);
      updateTask(state, taskId, {
        state: 'FAILED',
        error: JSON.stringify({ [nodes[0] as string]: message }),
      });
      state.models.update(modelId, {
        model_state: 'DEPLOY_FAILED',
        current_worker_node_count: 0,
        last_updated_time: now,
      });
      return;
    }
    state.cache.set(modelId, new Set(ok));
    if (failed.length > 0) {
      const errors: JsonObject = {};
      for (const n of failed) errors[n] = message;
      updateTask(state, taskId, { state: 'COMPLETED_WITH_ERROR', error: JSON.stringify(errors) });
    } else {
      updateTask(state, taskId, { state: 'COMPLETED' });
    }
    state.models.update(modelId, {
      model_state: failed.length > 0 ? 'PARTIALLY_DEPLOYED' : 'DEPLOYED',
      last_deployed_time: now,
      last_updated_time: now,
      auto_redeploy_retry_times: 0,
      current_worker_node_count: ok.length,
      planning_worker_node_count: nodes.length,
      planning_worker_nodes: nodes,
      deploy_to_all_nodes: true,
    });
  });
  return taskId;
}

/**
 * `POST /_plugins/_ml/models/<id>/_deploy` → `{"task_id", "task_type": "DEPLOY_MODEL", "status"}`. A `node_ids`
 * list is refused while `plugins.ml_commons.allow_custom_deployment_plan` is false (its default).
 */
export function deployModel(state: OpenSearchState, req: EmuRequest, id: string): EmuResponse {
  if (req.body !== undefined && req.body.trim() !== '') {
    const body = objectBody(req.body, () => parseException(''));
    if (body.node_ids !== undefined && stringList(body.node_ids).length > 0) {
      throw illegalArgument("Don't allow custom deployment plan");
    }
  }
  const doc = state.models.exists ? state.models.get(id) : undefined;
  if (!doc) throw statusException(404, 'Failed to find model');
  const remote = doc.source.algorithm === 'REMOTE';
  const taskId = deployModelNow(state, id);
  return {
    status: 200,
    body: { task_id: taskId, task_type: 'DEPLOY_MODEL', status: remote ? 'COMPLETED' : 'CREATED' },
  };
}

function undeploy(
  state: OpenSearchState,
  ids: readonly string[],
  nodeIds: readonly string[] | undefined,
): EmuResponse {
  const targets =
    nodeIds && nodeIds.length > 0 ? state.nodeIds.filter((n) => nodeIds.includes(n)) : state.nodeIds;
  const response: JsonObject = {};
  const undeployed = new Set<string>();
  for (const node of targets) {
    const stats: JsonObject = {};
    for (const id of ids) {
      const holders = state.cache.get(id);
      if (holders?.has(node)) {
        holders.delete(node);
        stats[id] = 'UNDEPLOYED';
        undeployed.add(id);
      } else stats[id] = 'not_found';
    }
    response[node] = { stats };
  }
  const now = state.now();
  for (const id of ids) {
    if (!state.models.get(id)) continue;
    const remaining = state.cache.get(id);
    if (remaining && remaining.size > 0 && undeployed.has(id)) {
      // Still held elsewhere (undeploy from some nodes only).
      state.models.update(id, { current_worker_node_count: remaining.size, last_updated_time: now });
      continue;
    }
    state.cache.delete(id);
    // Either every node dropped it, or none had it: the fallback sets the index to UNDEPLOYED as well.
    state.models.update(id, {
      model_state: 'UNDEPLOYED',
      current_worker_node_count: 0,
      planning_worker_node_count: 0,
      planning_worker_nodes: [],
      deploy_to_all_nodes: false,
      last_undeployed_time: now,
      last_updated_time: now,
    });
  }
  return { status: 200, body: response };
}

/** `POST /_plugins/_ml/models/<id>/_undeploy` (body: optional `node_ids`). */
export function undeployModel(state: OpenSearchState, req: EmuRequest, id: string): EmuResponse {
  let nodeIds: string[] | undefined;
  if (req.body !== undefined && req.body.trim() !== '') {
    const body = objectBody(req.body, () => parseException(''));
    if (body.node_ids !== undefined) nodeIds = stringList(body.node_ids);
  }
  return undeploy(state, [id], nodeIds);
}

/** `POST /_plugins/_ml/models/_undeploy` with `{"model_ids": [...], "node_ids": [...]}`. */
export function undeployModels(state: OpenSearchState, req: EmuRequest): EmuResponse {
  let modelIds: string[] | undefined;
  let nodeIds: string[] | undefined;
  if (req.body !== undefined && req.body.trim() !== '') {
    const body = objectBody(req.body, () => parseException(''));
    if (isObject(body) && body.model_ids !== undefined) modelIds = stringList(body.model_ids);
    if (isObject(body) && body.node_ids !== undefined) nodeIds = stringList(body.node_ids);
  }
  if (!modelIds) throw illegalArgument('Must set specific model ids to undeploy');
  return undeploy(state, modelIds, nodeIds);
}
