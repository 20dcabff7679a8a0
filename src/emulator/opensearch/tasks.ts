/**
 * ML tasks (`.plugins-ml-task`): register and deploy tasks with their states, and
 * `GET /_plugins/_ml/tasks/<id>`. Field order as `MLTask.toXContent` (`task_id` is not part of the stored doc).
 */
import type { TaskState } from '../../catalog/opensearch-capabilities.js';
import type { EmuResponse, JsonObject } from '../types.js';
import { statusException } from './errors.js';
import { clone, type OpenSearchState } from './state.js';

export type TaskType = 'REGISTER_MODEL' | 'DEPLOY_MODEL';

export function createTask(
  state: OpenSearchState,
  fields: {
    modelId?: string;
    taskType: TaskType;
    functionName: string;
    workerNodes: readonly string[];
    async: boolean;
  },
): string {
  const now = state.now();
  const source: JsonObject = {};
  if (fields.modelId !== undefined) source.model_id = fields.modelId;
  source.task_type = fields.taskType;
  source.function_name = fields.functionName;
  source.state = 'CREATED';
  source.worker_node = [...fields.workerNodes];
  source.create_time = now;
  source.last_update_time = now;
  source.is_async = fields.async;
  const id = state.newId();
  state.tasks.put(id, source);
  return id;
}

/** Updates a task; keeps `MLTask.toXContent`'s order (`error` after `last_update_time`). */
export function updateTask(
  state: OpenSearchState,
  id: string,
  change: { state?: TaskState; modelId?: string; error?: string },
): void {
  const doc = state.tasks.get(id);
  if (!doc) return;
  const s = { ...doc.source };
  if (change.modelId !== undefined) s.model_id = change.modelId;
  if (change.state !== undefined) s.state = change.state;
  s.last_update_time = state.now();
  if (change.error !== undefined) s.error = change.error;
  const order = [
    'model_id',
    'task_type',
    'function_name',
    'state',
    'worker_node',
    'create_time',
    'last_update_time',
    'error',
    'is_async',
  ];
  const out: JsonObject = {};
  for (const k of order) if (s[k] !== undefined) out[k] = s[k] as JsonObject[string];
  state.tasks.put(id, out);
}

/** `GET /_plugins/_ml/tasks/<id>`: 404 "Failed to find task" whether the index or the doc is missing. */
export function getTask(state: OpenSearchState, id: string): EmuResponse {
  const doc = state.tasks.exists ? state.tasks.get(id) : undefined;
  if (!doc) throw statusException(404, 'Failed to find task');
  return { status: 200, body: clone(doc.source) };
}
