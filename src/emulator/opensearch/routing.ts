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
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT'];
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

  // §7 connectors
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

  // §6 model groups
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

  // §3–§5 models
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
  return r;
}

interface Candidate {
  readonly segments: readonly string[];
  readonly routes: OsRoute[];
  readonly params: Record<string, string>;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class OsRouter {
  private readonly patterns: { segments: readonly string[]; routes: OsRoute[] }[] = [];

  constructor(routes: readonly OsRoute[]) {
    for (const r of routes) {
      const key = r.segments.join('/');
      const existing = this.patterns.find((x) => x.segments.join('/') === key);
      if (existing) existing.routes.push(r);
      else this.patterns.push({ segments: r.segments, routes: [r] });
    }
  }

  private candidates(path: string): Candidate[] {
    const parts = path.split('/').filter(Boolean);
    const out: Candidate[] = [];
    for (const pattern of this.patterns) {
      if (pattern.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = pattern.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = safeDecode(part);
        else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) out.push({ segments: pattern.segments, routes: pattern.routes, params });
    }
    return out.sort((a, b) => {
      for (let i = 0; i < a.segments.length; i++) {
        const wa = (a.segments[i] as string).startsWith('{');
        const wb = (b.segments[i] as string).startsWith('{');
        if (wa !== wb) return wa ? 1 : -1;
      }
      return 0;
    });
  }

  resolve(req: EmuRequest): { route: OsRoute; params: Record<string, string> } | EmuResponse {
    const method = req.method.toUpperCase();
    const candidates = this.candidates(req.path);
    const valid = new Set<string>();
    for (const c of candidates) for (const r of c.routes) valid.add(r.method);
    for (const c of candidates) {
      const r = c.routes.find((x) => x.method === method);
      if (r) return { route: r, params: c.params };
      if (!valid.has(method)) {
        const allowed = METHOD_ORDER.filter((m) => valid.has(m));
        if (method === 'OPTIONS') return { status: 200, text: '', headers: { allow: allowed.join(',') } };
        return {
          status: 405,
          body: {
            error: `Incorrect HTTP method for uri [${req.uri}] and method [${method}], allowed: [${allowed.join(', ')}]`,
            status: 405,
          },
          headers: { allow: allowed.join(',') },
        };
      }
    }
    if (method === 'OPTIONS') return { status: 200, text: '' };
    return { status: 400, body: { error: `no handler found for uri [${req.uri}] and method [${method}]` } };
  }
}

/** BaseRestHandler's unconsumed-parameter check. */
export function checkParams(req: EmuRequest, r: OsRoute): void {
  const known = new Set([...r.query, ...GLOBAL_PARAMS]);
  const invalid = Object.keys(req.query).filter((k) => !known.has(k));
  if (invalid.length === 0) return;
  throw illegalArgument(
    `request [${req.path}] contains unrecognized parameter${invalid.length > 1 ? 's' : ''}: ${invalid.map((n) => `[${n}]`).join(', ')}`,
  );
}
