/**
 * What a `semantic_text` field remembers of its endpoint, and when another endpoint may serve it.
 *
 * When the first value is indexed, Elasticsearch records the endpoint's `MinimalServiceSettings` on the field as
 * `model_settings` (task type; for dense embeddings also dimensions, similarity and element type). From then on an
 * endpoint can serve the field only if `MinimalServiceSettings.canMergeWith` holds: the same task type, dimensions,
 * similarity and element type. The create guard of PR #137055 (compatible form) and the `inference_id` switch of
 * PR #136120 both use that rule. Shared by the planner and the emulator, so both judge compatibility alike.
 */

/** The `model_settings` a field records (`null`/absent members are not part of the settings). */
export interface ModelSettings {
  readonly task_type: string;
  readonly dimensions?: number;
  readonly similarity?: string;
  readonly element_type?: string;
}

const DENSE = new Set(['text_embedding', 'embedding']);

/** The settings an endpoint of `taskType` with these `service_settings` gives a field. */
export function modelSettingsOf(
  taskType: string,
  serviceSettings: Readonly<Record<string, unknown>>,
): ModelSettings {
  if (!DENSE.has(taskType)) return { task_type: taskType };
  const dims = serviceSettings['dimensions'];
  const similarity = serviceSettings['similarity'];
  const elementType = serviceSettings['element_type'];
  return {
    task_type: taskType,
    ...(typeof dims === 'number' ? { dimensions: dims } : {}),
    ...(typeof similarity === 'string' ? { similarity: similarity.toLowerCase() } : {}),
    element_type: typeof elementType === 'string' ? elementType.toLowerCase() : 'float',
  };
}

/** A field's recorded `model_settings` from a mapping, or undefined where none are recorded yet. */
export function recordedModelSettings(def: unknown): ModelSettings | undefined {
  if (!def || typeof def !== 'object') return undefined;
  const ms = (def as Record<string, unknown>)['model_settings'];
  if (!ms || typeof ms !== 'object') return undefined;
  const m = ms as Record<string, unknown>;
  if (typeof m['task_type'] !== 'string') return undefined;
  return {
    task_type: m['task_type'],
    ...(typeof m['dimensions'] === 'number' ? { dimensions: m['dimensions'] } : {}),
    ...(typeof m['similarity'] === 'string' ? { similarity: m['similarity'].toLowerCase() } : {}),
    ...(typeof m['element_type'] === 'string' ? { element_type: m['element_type'].toLowerCase() } : {}),
  };
}

/**
 * `canMergeWith`: may an endpoint with `next` serve a field that recorded `field`? `next` members that are not
 * known (`undefined` where the field has a value) make the answer `undefined`: not provably compatible.
 *
 * @example canMergeWith({ task_type: 'sparse_embedding' }, { task_type: 'sparse_embedding' }) // true
 * @example canMergeWith({ task_type: 'text_embedding', dimensions: 384 }, { task_type: 'text_embedding' }) // undefined
 */
export function canMergeWith(
  field: ModelSettings,
  next: Partial<ModelSettings> & { readonly task_type: string },
): boolean | undefined {
  if (field.task_type !== next.task_type) return false;
  let unknown = false;
  for (const key of ['dimensions', 'similarity', 'element_type'] as const) {
    const want = field[key];
    const have = next[key];
    if (want === undefined && have === undefined) continue;
    if (have === undefined) unknown = true;
    else if (want !== have) return false;
  }
  return unknown ? undefined : true;
}

/** `dimensions 384, similarity cosine, element type float` — for messages. */
export function describeModelSettings(s: Partial<ModelSettings>): string {
  return [
    s.task_type ? `task type ${s.task_type}` : '',
    s.dimensions !== undefined ? `dimensions ${s.dimensions}` : '',
    s.similarity ? `similarity ${s.similarity}` : '',
    s.element_type ? `element type ${s.element_type}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
