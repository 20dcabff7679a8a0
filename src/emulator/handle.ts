/**
 * The pure request handler: `(state, request) → response`, everything but sockets and faults. Order as in
 * ES: authentication, media types (the compatible-with headers), routing, parameters, handler; errors in
 * the standard envelope; `x-elastic-product: Elasticsearch` on every response.
 */
import { authenticate } from './auth.js';
import { EsError, errorResponse } from './errors.js';
import { Router, buildRoutes, checkParams } from './routing.js';
import type { EmulatorState } from './state.js';
import type { EmuRequest, EmuResponse, JsonValue } from './types.js';

const routers = new WeakMap<EmulatorState, Router>();

function routerFor(state: EmulatorState): Router {
  let router = routers.get(state);
  if (!router) {
    router = new Router(buildRoutes(state.caps));
    routers.set(state, router);
  }
  return router;
}

const MEDIA = /^application\/(json|vnd\.elasticsearch\+json)\s*(;.*)?$/i;

function compatibleWith(header: string | undefined): number | undefined {
  const match = header ? /compatible-with\s*=\s*(\d+)/i.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Media-type checks (RestController / ParsedMediaType): a body needs a JSON Content-Type (406 otherwise);
 * a compatible-with version must be the current or the previous major and the same on both headers [I text].
 * Returns the response content type.
 */
function negotiate(state: EmulatorState, req: EmuRequest): string | EmuResponse {
  const contentType = req.headers['content-type'];
  const accept = req.headers.accept;
  if (req.body !== undefined && req.body.length > 0) {
    if (!contentType) return { status: 406, body: { error: 'Content-Type header is missing', status: 406 } };
    if (!MEDIA.test(contentType.split(',')[0]?.trim() ?? '')) {
      return {
        status: 406,
        body: { error: `Content-Type header [${contentType}] is not supported`, status: 406 },
      };
    }
  }
  const acceptVersion = compatibleWith(accept);
  const contentVersion = req.body ? compatibleWith(contentType) : undefined;
  const requested = acceptVersion ?? contentVersion;
  if (requested !== undefined) {
    const mismatch =
      acceptVersion !== undefined && contentVersion !== undefined && acceptVersion !== contentVersion;
    if (mismatch || !state.caps.compatibleWith.includes(requested)) {
      throw new EsError(
        400,
        'media_type_header_exception',
        'Invalid media-type value on headers [Accept, Content-Type]',
        {
          causedBy: {
            type: 'status_exception',
            reason: `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=${accept ?? 'null'}, Content-Type=${contentType ?? 'null'}`,
          },
        },
      );
    }
    return `application/vnd.elasticsearch+json;compatible-with=${requested}`;
  }
  return 'application/json';
}

/** `filter_path` (subset: comma-separated dotted paths, `*` per segment, `**` any depth). */
function filterPath(value: JsonValue | undefined, filter: string): JsonValue | undefined {
  const paths = filter.split(',').map((p) => p.trim().split('.'));
  const apply = (v: JsonValue, patterns: string[][]): JsonValue | undefined => {
    if (patterns.some((p) => p.length === 0)) return v;
    if (Array.isArray(v)) {
      const items = v.map((i) => apply(i, patterns)).filter((i): i is JsonValue => i !== undefined);
      return items.length > 0 ? items : undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    const out: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(v)) {
      const next: string[][] = [];
      for (const p of patterns) {
        const head = p[0] as string;
        if (head === '**') next.push(p, p.slice(1));
        else if (
          head === '*' ||
          head === key ||
          (head.includes('*') && new RegExp('^' + head.split('*').join('.*') + '$').test(key))
        )
          next.push(p.slice(1));
      }
      if (next.length === 0) continue;
      const filtered = apply(child, next);
      if (filtered !== undefined) out[key] = filtered;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  return value === undefined ? undefined : (apply(value, paths) ?? {});
}

/**
 * Handles one request. Why a pure function: the HTTP layer stays trivial and every behaviour of the
 * reference can be tested by calling this directly.
 */
export async function handle(state: EmulatorState, req: EmuRequest): Promise<EmuResponse> {
  state.counters.requests++;
  let response: EmuResponse;
  let contentType = 'application/json';
  try {
    authenticate(state.options, req);
    const negotiated = negotiate(state, req);
    if (typeof negotiated !== 'string') {
      response = negotiated;
    } else {
      contentType = negotiated;
      const resolved = routerFor(state).resolve(req);
      if ('route' in resolved) {
        checkParams(req, resolved.route, Object.keys(resolved.params));
        response = await resolved.route.handle({ state, req, params: resolved.params });
        if (req.query.filter_path !== undefined && response.body !== undefined) {
          response = { ...response, body: filterPath(response.body, req.query.filter_path) };
        }
      } else {
        response = resolved;
      }
    }
  } catch (error) {
    if (!(error instanceof EsError)) {
      state.options.logger?.warn({ err: error, path: req.path }, 'emulator handler failed');
      const message = error instanceof Error ? error.message : String(error);
      response = errorResponse(new EsError(500, 'exception', message));
    } else {
      response = errorResponse(error);
    }
  }
  const headers: Record<string, string> = {
    'x-elastic-product': 'Elasticsearch',
    ...(response.headers ?? {}),
  };
  if (response.events) headers['content-type'] = 'text/event-stream';
  else if (response.body !== undefined) headers['content-type'] = contentType;
  else if (response.text !== undefined) headers['content-type'] = 'text/plain; charset=UTF-8';
  return { ...response, headers };
}
