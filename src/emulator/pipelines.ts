/**
 * `PUT/GET/DELETE /_ingest/pipeline/{id}`: records the `model_id` of `inference` processors, the other kind
 * of reference that blocks deleting an inference endpoint.
 */
import { EsError, resourceNotFound } from './errors.js';
import { isObject, parseJsonBody } from './inference/index.js';
import type { EmulatorState } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from './types.js';

/** `inference` processors' model ids, including those in `on_failure` and `foreach` processors. */
function inferenceModelIds(processors: unknown): string[] {
  if (!Array.isArray(processors)) return [];
  const ids: string[] = [];
  for (const p of processors) {
    if (!isObject(p)) continue;
    for (const [type, config] of Object.entries(p)) {
      if (!isObject(config)) continue;
      if (type === 'inference' && typeof config.model_id === 'string') ids.push(config.model_id);
      if (type === 'foreach' && isObject(config.processor))
        ids.push(...inferenceModelIds([config.processor]));
      ids.push(...inferenceModelIds(config.on_failure));
    }
  }
  return ids;
}

export function putPipeline(state: EmulatorState, req: EmuRequest, id: string): EmuResponse {
  const body = parseJsonBody(req, true) ?? {};
  if (body.processors !== undefined && !Array.isArray(body.processors)) {
    throw new EsError(
      400,
      'parse_exception',
      "[processors] property isn't a list, but of type [" + typeof body.processors + ']',
    ); // [I]
  }
  const modelIds = [...inferenceModelIds(body.processors), ...inferenceModelIds(body.on_failure)];
  state.pipelines.set(id, { id, body, modelIds });
  return { status: 200, body: { acknowledged: true } };
}

export function getPipelines(state: EmulatorState, id: string | undefined): EmuResponse {
  const ids =
    id === undefined || id === '*' || id === '_all' ? [...state.pipelines.keys()].sort() : id.split(',');
  const body: JsonObject = {};
  for (const p of ids) {
    const record = state.pipelines.get(p);
    if (record) body[p] = record.body as JsonValue;
  }
  // A missing pipeline is a 404 with an empty object, not an error envelope.
  if (id !== undefined && Object.keys(body).length === 0) return { status: 404, body: {} };
  return { status: 200, body };
}

export function deletePipeline(state: EmulatorState, id: string): EmuResponse {
  if (!state.pipelines.delete(id)) throw resourceNotFound(`pipeline [${id}] is missing`);
  return { status: 200, body: { acknowledged: true } };
}
