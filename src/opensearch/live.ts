/**
 * The live side as the planner sees it: ML Commons documents by id, as GET and `_search` return them
 * (credentials already stripped by the server), plus the model states that matter for planning.
 */
import type { ModelState } from '../catalog/opensearch-capabilities.js';

/** One connector, model group or model: its generated id and its document. */
export interface LiveObject {
  readonly id: string;
  readonly source: Readonly<Record<string, unknown>>;
}

/** What `readOpenSearch` gathers in a few searches: every object the plan may concern. */
export interface OpenSearchLive {
  readonly connectors: readonly LiveObject[];
  readonly groups: readonly LiveObject[];
  /** Models (chunk documents of local models excluded). */
  readonly models: readonly LiveObject[];
}

/** "Deployed" as ML Commons' update code counts it. */
export const DEPLOYED_STATES: readonly string[] = [
  'DEPLOYED',
  'PARTIALLY_DEPLOYED',
  'LOADED',
  'PARTIALLY_LOADED',
];
/** "Deploying": updates answer 409 until it ends. */
export const DEPLOYING_STATES: readonly string[] = ['DEPLOYING', 'LOADING'];

export function modelState(model: LiveObject): ModelState | string | undefined {
  const state = model.source['model_state'];
  return typeof state === 'string' ? state : undefined;
}

export function isDeployed(model: LiveObject): boolean {
  return DEPLOYED_STATES.includes(String(model.source['model_state']));
}

export function isDeploying(model: LiveObject): boolean {
  return DEPLOYING_STATES.includes(String(model.source['model_state']));
}

/** In a node's model cache (deployed or deploying): what blocks a connector update. */
export function holdsConnector(model: LiveObject): boolean {
  return isDeployed(model) || isDeploying(model);
}

export function stringField(source: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = source[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
