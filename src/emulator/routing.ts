/**
 * The route table and ES's dispatch rules (RestController.tryAllHandlers, read in ES source):
 * - every registered path pattern matching the raw path is a candidate, explicit segments before wildcards;
 * - the first candidate with a handler for the method wins;
 * - a candidate without one: if no candidate at all has the method → 405 `Incorrect HTTP method for uri
 *   [<uri>] and method [<M>], allowed: [<methods>]` (flat `{"error","status"}` body, `Allow` header), OPTIONS
 *   → 200 with `Allow`; otherwise try the next candidate;
 * - nothing matched → 400 `{"error":"no handler found for uri [<uri>] and method [<M>]"}` (no status field).
 * Hence `POST /_inference/x/_update` is an *inference* call with task type `x` — not a 405 (the API docs [I]
 * guessed 405; the dispatch code says otherwise), while `POST /_inference/t/x/_update` is a 405.
 *
 * Which routes exist is decided by the capabilities table (versions), nowhere else.
 */
import type { Capabilities } from '../catalog/capabilities.js';
import type { TaskType } from '../catalog/types.js';
import { illegalArgument } from './errors.js';
import { documentRouteSpecs } from './document-routes.js';
import { createEndpoint, deleteEndpoint, getEndpoints, infer, updateEndpoint } from './inference/index.js';
import { parseTaskType } from './inference/common.js';
import {
  startTrainedModelDeployment,
  stopTrainedModelDeployment,
  trainedModelStats,
  trainedModels,
} from './ml.js';
import { deletePipeline, getPipelines, putPipeline } from './pipelines.js';
import { licenseInfo, rootInfo } from './root.js';
import { listServices } from './services-api.js';
import type { EmulatorState } from './state.js';
import type { EmuRequest, EmuResponse } from './types.js';

export interface RouteContext {
  readonly state: EmulatorState;
  readonly req: EmuRequest;
  /** Decoded path parameters by name. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: string;
  /** Pattern segments; `{name}` is a wildcard. */
  readonly segments: readonly string[];
  /** Query parameters the handler consumes (besides the global ones). */
  readonly query: readonly string[];
  readonly handle: (ctx: RouteContext) => EmuResponse | Promise<EmuResponse>;
}

/** Parameters every REST handler accepts (BaseRestHandler's response params) [filter_path subset implemented]. */
export const GLOBAL_PARAMS = ['pretty', 'human', 'error_trace', 'filter_path'];

/** ES's RestRequest.Method order, used to print `allowed: [...]` (ES uses a HashSet: order [I]). */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT'];

function route(method: string, pattern: string, query: readonly string[], handle: Route['handle']): Route {
  return { method, segments: pattern.split('/').filter(Boolean), query, handle };
}

/** The routes of one version profile. */
export function buildRoutes(caps: Capabilities): Route[] {
  const routes: Route[] = [];
  const putParams = caps.putTimeoutParam ? ['timeout'] : [];
  const deleteParams = caps.deleteDryRunForce ? ['dry_run', 'force'] : [];
  const inferParams = caps.putTimeoutParam ? ['timeout'] : [];
  const updateParams = caps.updateTimeoutParam ? ['timeout'] : [];

  routes.push(route('GET', '/', [], ({ state }) => rootInfo(state)));
  routes.push(route('HEAD', '/', [], () => ({ status: 200 })));
  routes.push(route('GET', '/_license', ['local', 'accept_enterprise'], ({ state }) => licenseInfo(state)));

  // inference CRUD.
  if (caps.getWithoutId)
    routes.push(route('GET', '/_inference', [], ({ state }) => getEndpoints(state, undefined, undefined)));
  if (caps.singleSegmentPaths) {
    routes.push(
      route('PUT', '/_inference/{task_type_or_id}', putParams, (c) =>
        createEndpoint(c.state, c.req, undefined, p(c, 'task_type_or_id')),
      ),
    );
    routes.push(
      route('GET', '/_inference/{task_type_or_id}', [], (c) =>
        getEndpoints(c.state, p(c, 'task_type_or_id'), undefined),
      ),
    );
    routes.push(
      route('DELETE', '/_inference/{task_type_or_id}', deleteParams, (c) =>
        deleteEndpoint(c.state, c.req, p(c, 'task_type_or_id'), undefined),
      ),
    );
    routes.push(
      route('POST', '/_inference/{task_type_or_id}', inferParams, (c) =>
        infer(c.state, c.req, p(c, 'task_type_or_id'), undefined, false),
      ),
    );
  }
  routes.push(
    route('PUT', '/_inference/{task_type_or_id}/{inference_id}', putParams, (c) =>
      createEndpoint(c.state, c.req, p(c, 'task_type_or_id'), p(c, 'inference_id')),
    ),
  );
  routes.push(
    route('GET', '/_inference/{task_type_or_id}/{inference_id}', [], (c) =>
      getEndpoints(c.state, p(c, 'task_type_or_id'), p(c, 'inference_id')),
    ),
  );
  routes.push(
    route('DELETE', '/_inference/{task_type_or_id}/{inference_id}', deleteParams, (c) =>
      deleteEndpoint(c.state, c.req, p(c, 'task_type_or_id'), p(c, 'inference_id')),
    ),
  );
  routes.push(
    route('POST', '/_inference/{task_type_or_id}/{inference_id}', inferParams, (c) =>
      infer(c.state, c.req, p(c, 'task_type_or_id'), p(c, 'inference_id'), false),
    ),
  );

  // update: PUT only, in every version (the 8.17 JSON spec's POST is a documentation bug).
  if (caps.update) {
    routes.push(
      route('PUT', '/_inference/{task_type_or_id}/_update', updateParams, (c) =>
        updateEndpoint(c.state, c.req, p(c, 'task_type_or_id'), undefined),
      ),
    );
    routes.push(
      route('PUT', '/_inference/{task_type_or_id}/{inference_id}/_update', updateParams, (c) =>
        updateEndpoint(c.state, c.req, p(c, 'task_type_or_id'), p(c, 'inference_id')),
      ),
    );
  }
  if (caps.streamApi) {
    routes.push(
      route('POST', '/_inference/{task_type_or_id}/_stream', inferParams, (c) =>
        infer(c.state, c.req, p(c, 'task_type_or_id'), undefined, true),
      ),
    );
    routes.push(
      route('POST', '/_inference/{task_type_or_id}/{inference_id}/_stream', inferParams, (c) =>
        infer(c.state, c.req, p(c, 'task_type_or_id'), p(c, 'inference_id'), true),
      ),
    );
  }
  if (caps.servicesApi) {
    routes.push(route('GET', '/_inference/_services', [], ({ state }) => listServices(state, undefined)));
    routes.push(
      route('GET', '/_inference/_services/{task_type}', [], (c) => {
        const t = parseTaskType(c.state.caps, p(c, 'task_type'));
        return listServices(c.state, t === 'any' ? undefined : (t as TaskType));
      }),
    );
  }

  // Trained models (deployment stats) and what CreateFromDeploymentIT needs.
  const statsParams = ['allow_no_match', 'from', 'size'];
  routes.push(
    route('GET', '/_ml/trained_models/_stats', statsParams, (c) =>
      trainedModelStats(c.state, c.req, undefined),
    ),
  );
  routes.push(
    route('GET', '/_ml/trained_models/{model_id}/_stats', statsParams, (c) =>
      trainedModelStats(c.state, c.req, p(c, 'model_id')),
    ),
  );
  const getModelParams = [
    'allow_no_match',
    'include',
    'decompress_definition',
    'from',
    'size',
    'tags',
    'exclude_generated',
  ];
  routes.push(route('GET', '/_ml/trained_models', getModelParams, (c) => trainedModels(c.state, undefined)));
  routes.push(
    route('GET', '/_ml/trained_models/{model_id}', getModelParams, (c) =>
      trainedModels(c.state, p(c, 'model_id')),
    ),
  );
  routes.push(
    route(
      'POST',
      '/_ml/trained_models/{model_id}/deployment/_start',
      [
        'deployment_id',
        'number_of_allocations',
        'threads_per_allocation',
        'wait_for',
        'timeout',
        'priority',
        'queue_capacity',
        'cache_size',
      ],
      (c) => startTrainedModelDeployment(c.state, c.req, p(c, 'model_id')),
    ),
  );
  routes.push(
    route('POST', '/_ml/trained_models/{model_id}/deployment/_stop', ['force', 'allow_no_match'], (c) =>
      stopTrainedModelDeployment(c.state, p(c, 'model_id')),
    ),
  );

  // Ingest pipelines and indices: the references of.
  routes.push(
    route('PUT', '/_ingest/pipeline/{id}', ['master_timeout', 'timeout', 'if_version'], (c) =>
      putPipeline(c.state, c.req, p(c, 'id')),
    ),
  );
  routes.push(
    route('GET', '/_ingest/pipeline/{id}', ['master_timeout', 'summary'], (c) =>
      getPipelines(c.state, p(c, 'id')),
    ),
  );
  routes.push(
    route('GET', '/_ingest/pipeline', ['master_timeout', 'summary'], (c) => getPipelines(c.state, undefined)),
  );
  routes.push(
    route('DELETE', '/_ingest/pipeline/{id}', ['master_timeout', 'timeout'], (c) =>
      deletePipeline(c.state, p(c, 'id')),
    ),
  );
  // The index and document APIs (inventory and lock): shared with the OpenSearch emulator.
  for (const spec of documentRouteSpecs()) {
    routes.push(route(spec.method, spec.pattern, spec.query, (c) => spec.handle(c.state, c.req, c.params)));
  }
  return routes;
}

function p(ctx: RouteContext, name: string): string {
  return ctx.params[name] ?? '';
}

/** What the router needs of a route: the method and the path pattern (`{name}` segments are parameters). */
export interface RoutePattern {
  readonly method: string;
  readonly segments: readonly string[];
}

interface Candidate<R extends RoutePattern> {
  readonly segments: readonly string[];
  readonly routes: R[];
  readonly params: Record<string, string>;
}

/**
 * Route table grouped by pattern, for matching, with Elasticsearch's routing errors (405 with `Allow`,
 * 400 "no handler found"). OpenSearch's REST layer is the same code, so its emulator uses this too.
 */
export class Router<R extends RoutePattern = Route> {
  private readonly patterns: { segments: readonly string[]; routes: R[] }[] = [];

  constructor(routes: readonly R[]) {
    for (const r of routes) {
      const key = r.segments.join('/');
      const existing = this.patterns.find((x) => x.segments.join('/') === key);
      if (existing) existing.routes.push(r);
      else this.patterns.push({ segments: r.segments, routes: [r] });
    }
  }

  /** Matching patterns, explicit segments first (PathTrie's EXPLICIT → WILDCARD modes, approximated). */
  candidates(path: string): Candidate<R>[] {
    const parts = path.split('/').filter(Boolean);
    const out: Candidate<R>[] = [];
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

  /** RestController.tryAllHandlers. Returns the route to run, or the routing error response. */
  resolve(req: EmuRequest): { route: R; params: Record<string, string> } | EmuResponse {
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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Lucene's LevenshteinDistance similarity (1 − distance / max length), as ES's "did you mean". */
function similarity(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (dp[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = dp[i] as number[];
      const prev = dp[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return 1 - ((dp[a.length] as number[])[b.length] as number) / Math.max(a.length, b.length);
}

/**
 * BaseRestHandler's unrecognized-parameter check: 400 `illegal_argument_exception` "request [<path>] contains
 * unrecognized parameter: [x] -> did you mean [y]?".
 */
export function checkParams(req: EmuRequest, route: Route, pathParams: readonly string[]): void {
  const known = new Set([...route.query, ...GLOBAL_PARAMS]);
  const invalid = Object.keys(req.query).filter((k) => !known.has(k));
  if (invalid.length === 0) return;
  const candidates = [...route.query, ...pathParams];
  const parts = invalid.map((name) => {
    const scored = candidates
      .map((c) => ({ c, d: similarity(name, c) }))
      .filter((x) => x.d > 0.5)
      .sort((x, y) => y.d - x.d || (x.c < y.c ? -1 : 1))
      .map((x) => x.c);
    let text = `[${name}]`;
    if (scored.length === 1) text += ` -> did you mean [${scored[0]}]?`;
    else if (scored.length > 1) text += ` -> did you mean any of [${scored.join(', ')}]?`;
    return text;
  });
  throw illegalArgument(
    `request [${req.path}] contains unrecognized parameter${invalid.length > 1 ? 's' : ''}: ${parts.join(', ')}`,
  );
}
