/**
 * The ML Commons routes of one version profile and OpenSearch's dispatch rules (its `RestController` is
 * Elasticsearch 7.10's): explicit path segments win over wildcards (`connectors/_search` before
 * `connectors/{id}`); a path known for other methods → 405 `{"error": "Incorrect HTTP method for uri [<uri>] and
 * method [<M>], allowed: [<methods>]", "status": 405}`; nothing → 400 `{"error": "no handler found for uri [<uri>]
 * and method [<M>]"}`. Unknown query parameters → 400 "request [<path>] contains unrecognized parameter: [x]"
 * (the "did you mean" suggestions are not reproduced).
 *
 * Which routes exist is decided by the capability table, nowhere else.
 */
import type { EmuRequest, EmuResponse } from '../types.js';
import { documentRouteSpecs } from '../document-routes.js';
import { Router } from '../routing.js';
import {
  createConnector,
  deleteConnector,
  getConnector,
  searchConnectors,
  updateConnector,
} from './connectors.js';
import { deployModel, undeployModel, undeployModels } from './deploy.js';
import { illegalArgument } from './errors.js';
import {
  deleteModelGroup,
  getModelGroup,
  registerModelGroup,
  searchModelGroups,
  updateModelGroup,
} from './model-groups.js';
import { deleteModel, getModel, registerModel, searchModels, updateModel } from './models.js';
import { rootInfo } from './root.js';
import type { OpenSearchState } from './state.js';
import { getTask } from './tasks.js';

export interface OsRouteContext {
  readonly state: OpenSearchState;
  readonly req: EmuRequest;
  readonly params: Readonly<Record<string, string>>;
}

export interface OsRoute {
  readonly method: string;
  readonly segments: readonly string[];
  readonly query: readonly string[];
  readonly handle: (ctx: OsRouteContext) => EmuResponse;
}

const GLOBAL_PARAMS = ['pretty', 'human', 'error_trace', 'filter_path', 'source', 'source_content_type'];
const ML = '/_plugins/_ml';

function route(
  method: string,
  pattern: string,
  query: readonly string[],
  handle: OsRoute['handle'],
): OsRoute {
  return { method, segments: pattern.split('/').filter(Boolean), query, handle };
}

function p(ctx: OsRouteContext, name: string): string {
  return ctx.params[name] ?? '';
}

/** The routes of one profile. */
export function buildRoutes(state: OpenSearchState): OsRoute[] {
  const caps = state.caps;
  const r: OsRoute[] = [];
  r.push(route('GET', '/', [], (c) => rootInfo(c.state)));
  r.push(route('HEAD', '/', [], () => ({ status: 200 })));

  // connectors
  r.push(route('POST', `${ML}/connectors/_create`, [], (c) => createConnector(c.state, c.req)));
  r.push(route('GET', `${ML}/connectors/_search`, [], (c) => searchConnectors(c.state, c.req)));
  r.push(route('POST', `${ML}/connectors/_search`, [], (c) => searchConnectors(c.state, c.req)));
  r.push(
    route('GET', `${ML}/connectors/{connector_id}`, [], (c) => getConnector(c.state, p(c, 'connector_id'))),
  );
  if (caps.updateConnectorApi) {
    r.push(
      route('PUT', `${ML}/connectors/{connector_id}`, [], (c) =>
        updateConnector(c.state, c.req, p(c, 'connector_id')),
      ),
    );
  }
  r.push(
    route('DELETE', `${ML}/connectors/{connector_id}`, [], (c) =>
      deleteConnector(c.state, p(c, 'connector_id')),
    ),
  );

  // model groups
  r.push(route('POST', `${ML}/model_groups/_register`, [], (c) => registerModelGroup(c.state, c.req)));
  r.push(route('GET', `${ML}/model_groups/_search`, [], (c) => searchModelGroups(c.state, c.req)));
  r.push(route('POST', `${ML}/model_groups/_search`, [], (c) => searchModelGroups(c.state, c.req)));
  r.push(
    route('GET', `${ML}/model_groups/{model_group_id}`, [], (c) =>
      getModelGroup(c.state, p(c, 'model_group_id')),
    ),
  );
  r.push(
    route('PUT', `${ML}/model_groups/{model_group_id}`, [], (c) =>
      updateModelGroup(c.state, c.req, p(c, 'model_group_id')),
    ),
  );
  r.push(
    route('DELETE', `${ML}/model_groups/{model_group_id}`, [], (c) =>
      deleteModelGroup(c.state, p(c, 'model_group_id')),
    ),
  );

  // models
  r.push(route('POST', `${ML}/models/_register`, ['deploy'], (c) => registerModel(c.state, c.req)));
  r.push(route('GET', `${ML}/models/_search`, [], (c) => searchModels(c.state, c.req)));
  r.push(route('POST', `${ML}/models/_search`, [], (c) => searchModels(c.state, c.req)));
  r.push(route('POST', `${ML}/models/_undeploy`, [], (c) => undeployModels(c.state, c.req)));
  r.push(route('GET', `${ML}/models/{model_id}`, [], (c) => getModel(c.state, p(c, 'model_id'))));
  if (caps.updateModelApi) {
    r.push(route('PUT', `${ML}/models/{model_id}`, [], (c) => updateModel(c.state, c.req, p(c, 'model_id'))));
  }
  r.push(route('DELETE', `${ML}/models/{model_id}`, [], (c) => deleteModel(c.state, p(c, 'model_id'))));
  for (const verb of ['_deploy', '_load']) {
    r.push(
      route('POST', `${ML}/models/{model_id}/${verb}`, [], (c) =>
        deployModel(c.state, c.req, p(c, 'model_id')),
      ),
    );
  }
  for (const verb of ['_undeploy', '_unload']) {
    r.push(
      route('POST', `${ML}/models/{model_id}/${verb}`, [], (c) =>
        undeployModel(c.state, c.req, p(c, 'model_id')),
      ),
    );
  }
  r.push(route('GET', `${ML}/tasks/{task_id}`, [], (c) => getTask(c.state, p(c, 'task_id'))));

  // Index and document APIs (inferctl's inventory and lock): Elasticsearch 7.10's, which OpenSearch kept.
  for (const spec of documentRouteSpecs()) {
    r.push(
      route(spec.method, spec.pattern, spec.query, (c) => spec.handle(c.state.indices, c.req, c.params)),
    );
  }
  return r;
}

/** The same path trie and routing errors as the Elasticsearch emulator (OpenSearch forked that REST layer). */
export class OsRouter extends Router<OsRoute> {}

/** BaseRestHandler's unconsumed-parameter check. */
export function checkParams(req: EmuRequest, r: OsRoute): void {
  const known = new Set([...r.query, ...GLOBAL_PARAMS]);
  const invalid = Object.keys(req.query).filter((k) => !known.has(k));
  if (invalid.length === 0) return;
  throw illegalArgument(
    `request [${req.path}] contains unrecognized parameter${invalid.length > 1 ? 's' : ''}: ${invalid.map((n) => `[${n}]`).join(', ')}`,
  );
}
