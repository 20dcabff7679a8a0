/**
 * The pure request handler of the OpenSearch emulator: `(state, request) → response`. Order as on the server:
 * due deferred changes applied (deployments finishing), media type, routing, parameters, handler; errors in the
 * OpenSearch envelope. No `x-elastic-product` header: OpenSearch does not send one.
 */
import { EsError, errorResponse as esErrorResponse } from '../errors.js';
import type { EmuRequest, EmuResponse } from '../types.js';
import { OsError, errorResponse } from './errors.js';
import { OsRouter, buildRoutes, checkParams } from './routing.js';
import type { OpenSearchState } from './state.js';

const routers = new WeakMap<OpenSearchState, OsRouter>();

function routerFor(state: OpenSearchState): OsRouter {
  let router = routers.get(state);
  if (!router) {
    router = new OsRouter(buildRoutes(state));
    routers.set(state, router);
  }
  return router;
}

const MEDIA = /^application\/json\s*(;.*)?$/i;

/** A body needs a JSON Content-Type: 406 otherwise (the flat RestController body). */
function checkMedia(req: EmuRequest): EmuResponse | undefined {
  if (req.body === undefined || req.body.length === 0) return undefined;
  const contentType = req.headers['content-type'];
  if (!contentType) return { status: 406, body: { error: 'Content-Type header is missing', status: 406 } };
  if (!MEDIA.test(contentType.split(',')[0]?.trim() ?? '')) {
    return {
      status: 406,
      body: { error: `Content-Type header [${contentType}] is not supported`, status: 406 },
    };
  }
  return undefined;
}

/**
 * Handles one request.
 *
 * @example await handleOpenSearch(state, { method: 'GET', path: '/', uri: '/', query: {}, headers: {} })
 */
export function handleOpenSearch(state: OpenSearchState, req: EmuRequest): EmuResponse {
  state.counters.requests++;
  state.advance();
  let response: EmuResponse;
  try {
    const media = checkMedia(req);
    if (media) response = media;
    else {
      const resolved = routerFor(state).resolve(req);
      if ('route' in resolved) {
        checkParams(req, resolved.route);
        response = resolved.route.handle({ state, req, params: resolved.params });
      } else response = resolved;
    }
  } catch (error) {
    if (error instanceof OsError) response = errorResponse(error);
    // The document APIs are Elasticsearch's: same envelope (OpenSearch kept 7.10's), rendered by their own code.
    else if (error instanceof EsError) response = esErrorResponse(error);
    else {
      state.options.logger?.warn({ err: error, path: req.path }, 'opensearch emulator handler failed');
      response = errorResponse(
        new OsError(500, 'exception', error instanceof Error ? error.message : String(error)),
      );
    }
  }
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.body !== undefined) headers['content-type'] = 'application/json; charset=UTF-8';
  else if (response.text !== undefined) headers['content-type'] = 'text/plain; charset=UTF-8';
  return { ...response, headers };
}
