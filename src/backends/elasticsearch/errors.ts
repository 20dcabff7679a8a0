/**
 * What can go wrong talking to Elasticsearch, as one error class with stable codes (house style 9): the CLI
 * prints `message` (always one line) and `hint`; callers branch on `code`; `context` keeps Elasticsearch's own
 * `type`, `reason`, `status` and `caused_by.reason` for logs and JSON output.
 *
 * Everything here is pure: `client.ts` feeds it a finished response or a transport failure. Server text can
 * quote request bodies (the API docs: "Failed to parse [num_allocations] of update request [<raw body>]";
 * "Configuration contains settings [{k=v}] …"), so every piece of it passes through a `Redactor` that
 * knows the request's secret values before it reaches a message or the context.
 */
import { InferctlError } from '../../errors.js';
import { REDACTED } from '../../manifest/secrets.js';

export const ELASTICSEARCH_ERROR_CODES = [
  /** Connection refused, DNS, TLS, connection reset: no HTTP answer at all. */
  'unreachable',
  /** 401: missing or wrong credentials. */
  'unauthorized',
  /** 403 `security_exception` for a missing privilege. */
  'forbidden',
  /** 403 "current license is non-compliant for [inference]". */
  'license',
  'not_found',
  /** 409: referenced endpoint on delete (with `references`), concurrent update. */
  'conflict',
  /**
   * 400 on create: semantic_text fields already use the id (PR #137055, 8.19.7 / 9.1.7 / 9.2.1 / 9.3.0), with the
   * indices in `references.indexes`. Classified by the reason, in both its strict and compatible wording.
   */
  'in_use_by_mappings',
  /** 400 and other 4xx: the request itself was refused; ES's `type` and `reason` say why. */
  'bad_request',
  /** No answer in time (client timeout), 408 from ES, 504 from a proxy. */
  'timeout',
  'server_error',
  /** Still 429 after the retries. */
  'rate_limited',
  /** A 2xx answer inferctl cannot read (not JSON, not the documented shape). */
  'invalid_response',
] as const;
export type ElasticsearchErrorCode = (typeof ELASTICSEARCH_ERROR_CODES)[number];

/** What blocks the delete of a referenced endpoint. */
export interface EndpointReferences {
  readonly pipelines: readonly string[];
  readonly indexes: readonly string[];
}

/** Structured facts of an error; every defined key is copied into `context`. */
export interface ElasticsearchErrorDetails {
  readonly url?: string;
  readonly method?: string;
  readonly path?: string;
  readonly attempts?: number;
  readonly status?: number;
  /** ES's `error.type`. */
  readonly type?: string;
  /** ES's `error.reason` (redacted). */
  readonly reason?: string;
  /** ES's `error.caused_by` as `type: reason` (redacted). */
  readonly causedBy?: string;
  /** For 403s: the action ES named and the cluster privilege that grants it. */
  readonly action?: string;
  readonly privilege?: string;
  readonly user?: string;
  /** For licence errors: the feature (`inference`, `ml`, `Elastic Inference Service`). */
  readonly feature?: string;
  readonly references?: EndpointReferences;
  /** Node/undici error code of a transport failure (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`). */
  readonly transportCode?: string;
  readonly retryAfterMs?: number;
}

/**
 * An error from (or on the way to) Elasticsearch.
 *
 * @example
 * if (err instanceof ElasticsearchError && err.code === 'conflict' && err.references) {
 *   refuse(`referenced by ${err.references.pipelines.join(', ')}`);
 * }
 */
export class ElasticsearchError extends InferctlError {
  declare readonly code: ElasticsearchErrorCode;
  readonly status: number | undefined;
  /** ES's `error.type` (`status_exception`, `resource_already_exists_exception`, …). */
  readonly esType: string | undefined;
  readonly reason: string | undefined;
  readonly references: EndpointReferences | undefined;

  constructor(
    code: ElasticsearchErrorCode,
    message: string,
    options: { hint?: string; details?: ElasticsearchErrorDetails; cause?: unknown } = {},
  ) {
    const details = options.details ?? {};
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(details)) if (value !== undefined) context[key] = value;
    super(code, oneLine(message), {
      ...(options.hint !== undefined ? { hint: oneLine(options.hint) } : {}),
      context,
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.status = details.status;
    this.esType = details.type;
    this.reason = details.reason;
    this.references = details.references;
  }
}

// ---- secrets --------------------------------------------------------------------------------------

/** Replaces secret values in server text with `(secret)`. */
export type Redactor = (text: string) => string;

/**
 * A redactor for these secret values. Each value is also matched in its JSON-escaped form, because ES
 * quotes raw request bodies (a key with `"` or `\` in it appears escaped there). Longer values are
 * replaced first so that a secret containing another one is not left half-visible.
 *
 * @example createRedactor(['sk-123'])('bad key sk-123') === 'bad key (secret)'
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const needle of ordered) out = out.split(needle).join(REDACTED);
    return out;
  };
}

// ---- parsing ES's error envelope ---------------------------------------------------------------------

/** The parts of an error response inferctl uses, already redacted. */
export interface ParsedErrorBody {
  readonly type?: string;
  readonly reason?: string;
  readonly causedBy?: string;
  /** `license.expired.feature` from the error metadata [I]. */
  readonly licenseFeature?: string;
  /**
   * Elasticsearch's own timeout: `"timed_out": true` in the body (PR #124936; 9.5's 429 timeouts, PR #146531) or
   * a "Timed out after [...]" reason (the 408/504 of the 30 s inference waits).
   */
  readonly timedOut?: boolean;
}

const MAX_REASON = 400;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collapses whitespace so that messages stay one line (proxies answer HTML; ES reasons can hold newlines). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function shorten(text: string): string {
  const flat = oneLine(text);
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON)}…` : flat;
}

/**
 * Reads ES's envelope `{"error":{"type","reason","caused_by"},"status"}`, the flat routing form
 * `{"error":"no handler found …"}`, or plain text from a proxy (`502 Bad Gateway`).
 *
 * @example parseErrorBody('{"error":{"type":"x","reason":"y"},"status":400}', (t) => t) // { type: 'x', reason: 'y' }
 */
export function parseErrorBody(text: string, redact: Redactor): ParsedErrorBody {
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (isRecord(json) && isRecord(json.error)) {
    const error = json.error;
    const out: { -readonly [K in keyof ParsedErrorBody]: ParsedErrorBody[K] } = {};
    if (typeof error.type === 'string') out.type = error.type;
    if (typeof error.reason === 'string') out.reason = redact(error.reason);
    const cause = error.caused_by;
    if (isRecord(cause)) {
      const parts = [cause.type, cause.reason].filter((p): p is string => typeof p === 'string');
      if (parts.length > 0) out.causedBy = redact(parts.join(': '));
    }
    const feature = error['license.expired.feature'];
    if (typeof feature === 'string') out.licenseFeature = feature;
    if (
      json.timed_out === true ||
      error.timed_out === true ||
      (typeof error.reason === 'string' && error.reason.startsWith('Timed out after'))
    )
      out.timedOut = true;
    return out;
  }
  if (isRecord(json) && typeof json.error === 'string') return { reason: redact(json.error) };
  const raw = text.trim();
  return raw === '' ? {} : { reason: redact(raw) };
}

// ---- 403: privileges and licences ---------------------------------------------------------------------

/**
 * The cluster privilege that grants an action: inference writes need `manage_inference`,
 * reads `monitor_inference`, trained-model stats `monitor_ml`.
 *
 * @example privilegeFor('cluster:admin/xpack/inference/put') === 'manage_inference'
 */
export function privilegeFor(action: string): string | undefined {
  if (action.startsWith('cluster:admin/xpack/inference')) return 'manage_inference';
  if (action.startsWith('cluster:monitor/xpack/inference')) return 'monitor_inference';
  if (action.startsWith('cluster:monitor/xpack/ml/')) return 'monitor_ml';
  if (action.startsWith('cluster:admin/xpack/ml/')) return 'manage_ml';
  if (action === 'cluster:monitor/main') return 'monitor';
  return undefined;
}

/** What a 403 reason says: `action [a] is unauthorized for user [u] with effective roles [...]`. */
export function parseForbidden(reason: string): { action?: string; user?: string; granting?: string[] } {
  const out: { action?: string; user?: string; granting?: string[] } = {};
  const action = /action \[([^\]]+)\] is unauthorized/.exec(reason);
  if (action?.[1]) out.action = action[1];
  // Newer builds say "for API key id [k] of user [u]"; both end in "user [u]".
  const user = /\buser \[([^\]]*)\]/.exec(reason);
  if (user?.[1]) out.user = user[1];
  const granting = /granted by the cluster privileges \[([^\]]+)\]/.exec(reason);
  if (granting?.[1]) out.granting = granting[1].split(',').map((p) => p.trim());
  return out;
}

const LICENSE_REASON = /current license is non-compliant for \[([^\]]+)\]/;

function licenseHint(feature: string): string {
  if (feature === 'ml') {
    return 'in-cluster models (elasticsearch/elser services) need a platinum or enterprise licence before 8.18: upgrade the licence or start a trial (POST /_license/start_trial?acknowledge=true)';
  }
  return 'creating or updating inference endpoints needs an enterprise licence (Elasticsearch 8.18+): upgrade the licence or start a 30-day trial (POST /_license/start_trial?acknowledge=true); reading and deleting work on any licence';
}

// ---- 409: references ----------------------------------------------------------------------------------

function javaSet(text: string): string[] {
  return text
    .split(', ')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Pipelines and indexes named in the 409 reason of a blocked delete,
 * for responses that carry no lists. Undefined when the reason is about something else.
 *
 * @example parseReferences('Inference endpoint x is referenced by pipelines: [p1]. Ensure that …')
 *   // { pipelines: ['p1'], indexes: [] }
 */
export function parseReferences(reason: string): EndpointReferences | undefined {
  const pipelines = /is referenced by pipelines: \[(.*?)\]\. Ensure that no pipelines/.exec(reason);
  const indexes = /is being used in the mapping for indexes: \[(.*?)\]\. Ensure that no index mappings/.exec(
    reason,
  );
  if (!pipelines && !indexes) return undefined;
  return { pipelines: javaSet(pipelines?.[1] ?? ''), indexes: javaSet(indexes?.[1] ?? '') };
}

function listRefs(refs: EndpointReferences): string {
  const parts: string[] = [];
  if (refs.pipelines.length > 0) parts.push(`ingest pipelines [${refs.pipelines.join(', ')}]`);
  if (refs.indexes.length > 0) parts.push(`the mappings of indexes [${refs.indexes.join(', ')}]`);
  return parts.join(' and ');
}

// ---- responses → errors --------------------------------------------------------------------------------

/** How the client authenticated, for the 401 hint. */
export type AuthKind = 'none' | 'api_key' | 'basic';

/**
 * How the messages name the server and what their hints point at: the client talks to Elasticsearch or to
 * OpenSearch (it learns which from `GET /`), and an OpenSearch user must not be told about Kibana or
 * `manage_inference`.
 */
export interface Product {
  readonly name: 'Elasticsearch' | 'OpenSearch';
  readonly notServer: string;
  readonly forbidden: string;
  readonly notFound: string;
  readonly timedOut: string;
  readonly missingApi: string;
}

export const PRODUCTS = {
  elasticsearch: {
    name: 'Elasticsearch',
    notServer: 'is --url pointing at Elasticsearch (and not at Kibana or a proxy page)?',
    forbidden:
      'the credentials lack a privilege: inferctl needs monitor_inference to read endpoints, manage_inference to change them and monitor_ml to read deployment stats',
    notFound: 'check the id and the task type; the endpoint may have been deleted since the plan was made',
    timedOut:
      'the operation may still complete: check the endpoint and its deployment (GET /_ml/trained_models/<id>/_stats) before retrying',
    missingApi: 'this Elasticsearch version does not have this API (for one, _update needs 8.17 or later)',
  },
  opensearch: {
    name: 'OpenSearch',
    notServer: 'is --url pointing at OpenSearch (and not at OpenSearch Dashboards or a proxy page)?',
    forbidden:
      'the credentials lack an ML Commons permission: inferctl needs the ml_full_access role (cluster:admin/opensearch/ml/*) and read and write on its inventory index',
    notFound: 'check the id; the object may have been deleted since the plan was made',
    timedOut:
      'the operation may still complete: check the object (GET /_plugins/_ml/models/<id>, GET /_plugins/_ml/tasks/<id>) before retrying',
    missingApi:
      'this OpenSearch version does not have this API (the Update Model and Update Connector APIs need 2.12)',
  },
} as const satisfies Record<string, Product>;

export interface ResponseErrorInput {
  readonly status: number;
  readonly bodyText: string;
  readonly method: string;
  /** The request path with its query string, as logged. */
  readonly path: string;
  /** The cluster URL (never with credentials). */
  readonly url: string;
  readonly attempts: number;
  readonly authKind: AuthKind;
  readonly redact: Redactor;
  readonly retryAfterMs?: number;
  /** The endpoint id, for the messages of delete/create. */
  readonly inferenceId?: string;
  /** Who answered (default Elasticsearch). */
  readonly product?: Product;
}

function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

function esSummary(status: number, body: ParsedErrorBody): string {
  const head = [String(status), body.type].filter(Boolean).join(' ');
  const reason = body.reason === undefined ? '' : `: ${shorten(body.reason)}`;
  const cause = body.causedBy === undefined ? '' : `; caused by ${shorten(body.causedBy)}`;
  return `${head}${reason}${cause}`;
}

function unauthorizedHint(kind: AuthKind): string {
  switch (kind) {
    case 'none':
      return 'no credentials were given: set --api-key / ELASTICSEARCH_API_KEY, or --username and --password / ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD';
    case 'api_key':
      return 'check the API key (--api-key / ELASTICSEARCH_API_KEY): it may be mistyped, expired or invalidated';
    case 'basic':
      return 'check the username and password (--username/--password or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD)';
  }
}

const PRIVILEGE_ROLES: Record<string, string> = {
  manage_inference: ' (the built-in role inference_admin has it)',
  monitor_inference: ' (the built-in role inference_user has it)',
};

/**
 * Turns a non-2xx answer into an `ElasticsearchError` with one line saying what failed and why, and a hint
 * saying what to do. All server text goes through `input.redact` first.
 *
 * @example errorFromResponse({ status: 401, bodyText: '…', method: 'GET', path: '/', url, attempts: 1,
 *   authKind: 'api_key', redact }).code === 'unauthorized'
 */
export function errorFromResponse(input: ResponseErrorInput): ElasticsearchError {
  const { status, method, path, url, attempts } = input;
  const product = input.product ?? PRODUCTS.elasticsearch;
  const server = product.name;
  const body = parseErrorBody(input.bodyText, input.redact);
  const request = `${method} ${path}`;
  const base: ElasticsearchErrorDetails = {
    url,
    method,
    path,
    attempts,
    status,
    ...(body.type !== undefined ? { type: body.type } : {}),
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
    ...(body.causedBy !== undefined ? { causedBy: body.causedBy } : {}),
    ...(input.retryAfterMs !== undefined ? { retryAfterMs: input.retryAfterMs } : {}),
  };
  const reason = body.reason ?? '';

  if (status === 401) {
    return new ElasticsearchError(
      'unauthorized',
      `${server} at ${url} rejected the credentials (${esSummary(status, body)})`,
      { hint: unauthorizedHint(input.authKind), details: base },
    );
  }

  if (status === 403) {
    const license = LICENSE_REASON.exec(reason)?.[1] ?? body.licenseFeature;
    if (license !== undefined) {
      return new ElasticsearchError(
        'license',
        `${request} refused: the cluster's licence does not cover [${license}] (${esSummary(status, body)})`,
        { hint: licenseHint(license), details: { ...base, feature: license } },
      );
    }
    const parsed = parseForbidden(reason);
    const privilege =
      (parsed.action !== undefined ? privilegeFor(parsed.action) : undefined) ?? parsed.granting?.[0];
    const details: ElasticsearchErrorDetails = {
      ...base,
      ...(parsed.action !== undefined ? { action: parsed.action } : {}),
      ...(parsed.user !== undefined ? { user: parsed.user } : {}),
      ...(privilege !== undefined ? { privilege } : {}),
    };
    if (privilege !== undefined) {
      const who = parsed.user !== undefined ? `user [${parsed.user}]` : 'the user';
      const action = parsed.action !== undefined ? ` (action ${parsed.action})` : '';
      return new ElasticsearchError(
        'forbidden',
        `${request} is forbidden: ${who} lacks the cluster privilege ${privilege}${action}`,
        {
          hint: `grant the cluster privilege ${privilege}${PRIVILEGE_ROLES[privilege] ?? ''} to the user or API key; inferctl needs monitor_inference to read endpoints, manage_inference to change them and monitor_ml to read deployment stats`,
          details,
        },
      );
    }
    return new ElasticsearchError('forbidden', `${request} is forbidden (${esSummary(status, body)})`, {
      hint: product.forbidden,
      details,
    });
  }

  if (status === 404) {
    return new ElasticsearchError('not_found', `${request}: not found (${esSummary(status, body)})`, {
      hint: product.notFound,
      details: base,
    });
  }

  if (status === 409) {
    const references = parseReferences(reason);
    if (references) {
      const id = input.inferenceId !== undefined ? ` [${input.inferenceId}]` : '';
      return new ElasticsearchError(
        'conflict',
        `cannot delete inference endpoint${id}: it is used by ${listRefs(references)}`,
        {
          hint: 'remove those references first (a forced delete would break them)',
          details: { ...base, references },
        },
      );
    }
    return new ElasticsearchError('conflict', `${request} conflicts (${esSummary(status, body)})`, {
      hint: 'another operation on this endpoint is in progress or it is attached to a deployment; try again once it has finished',
      details: base,
    });
  }

  if (status === 408 || ((status === 429 || status === 504) && body.timedOut === true)) {
    return new ElasticsearchError(
      'timeout',
      `${request} timed out in ${server} (${esSummary(status, body)})`,
      {
        hint: product.timedOut,
        details: base,
      },
    );
  }

  if (status === 429) {
    return new ElasticsearchError(
      'rate_limited',
      `${server} at ${url} kept rejecting ${request} with 429 Too Many Requests${attemptsSuffix(attempts)} (${esSummary(status, body)})`,
      { hint: 'the cluster is overloaded: try again later or lower --concurrency', details: base },
    );
  }

  if (status === 504) {
    return new ElasticsearchError(
      'timeout',
      `${request} timed out at a gateway in front of ${server} at ${url}${attemptsSuffix(attempts)} (${esSummary(status, body)})`,
      {
        hint: 'the cluster or a proxy in front of it is slow or overloaded; a write may still have been applied',
        details: base,
      },
    );
  }

  if (status >= 500) {
    return new ElasticsearchError(
      'server_error',
      `${server} at ${url} failed to answer ${request}${attemptsSuffix(attempts)} (${esSummary(status, body)})`,
      { hint: 'check the cluster health (GET /_cluster/health) and its logs', details: base },
    );
  }

  const inUse =
    /could not be created because (it|the inference_id) is being used in mappings (?:with incompatible settings )?for indices: \[([^\]]*)\]/.exec(
      reason,
    );
  if (status === 400 && inUse) {
    const indexes = (inUse[2] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const id = input.inferenceId !== undefined ? ` [${input.inferenceId}]` : '';
    const how = inUse[1] === 'it' ? 'indices that hold documents' : 'indices whose recorded settings differ';
    return new ElasticsearchError(
      'in_use_by_mappings',
      `${server} refused to create inference endpoint${id}: semantic_text fields of ${how} use that id (${indexes.join(', ')})`,
      {
        hint: 'create the configuration under a new endpoint id, point the fields at it (PUT <index>/_mapping, 9.3+) or reindex, then remove the old id',
        details: { ...base, references: { pipelines: [], indexes } },
      },
    );
  }

  if (status >= 400) {
    const missingApi = status === 405 || reason.startsWith('no handler found for uri');
    const unknownParam = /contains unrecognized parameter/.test(reason);
    const hint = missingApi
      ? product.missingApi
      : unknownParam
        ? `this ${server} version does not accept that parameter`
        : 'fix what the reason names and run again';
    return new ElasticsearchError(
      'bad_request',
      `${server} rejected ${request} (${esSummary(status, body)})`,
      { hint, details: base },
    );
  }

  return new ElasticsearchError(
    'invalid_response',
    `unexpected answer from ${server} at ${url} to ${request} (${esSummary(status, body)})`,
    { hint: product.notServer, details: base },
  );
}

/** A 2xx answer that inferctl cannot use. */
export function invalidResponse(
  url: string,
  method: string,
  path: string,
  what: string,
  product: Product = PRODUCTS.elasticsearch,
): ElasticsearchError {
  return new ElasticsearchError(
    'invalid_response',
    `unexpected answer from ${product.name} at ${url} to ${method} ${path}: ${what}`,
    { hint: product.notServer, details: { url, method, path } },
  );
}

// ---- transport failures --------------------------------------------------------------------------------

export type TransportFailureKind = 'refused' | 'dns' | 'tls' | 'reset' | 'timeout' | 'other';

/** A request that got no HTTP answer, classified. */
export interface TransportFailure {
  readonly kind: TransportFailureKind;
  /** The node/undici code (`ECONNREFUSED`, `UND_ERR_SOCKET`, …) or `UNKNOWN`. */
  readonly code: string;
  /** Worth trying again: a transient network condition, not a configuration error. */
  readonly retryable: boolean;
  /**
   * The request may have reached the server. False only when no connection was ever made (refused, DNS,
   * connect timeout): then even a create can be re-sent without reading first.
   */
  readonly maybeSent: boolean;
  /** A short lower-case phrase: `connection refused (ECONNREFUSED)`. */
  readonly description: string;
}

const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

function errorCode(error: unknown): string {
  if (isRecord(error) || error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Happy-eyeballs connects report an AggregateError whose parts carry the codes.
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const e of errors) {
        const inner = errorCode(e);
        if (inner !== 'UNKNOWN') return inner;
      }
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) return errorCode(cause);
  }
  return 'UNKNOWN';
}

/**
 * Classifies an error thrown by undici. Connection-level failures that are usually transient (refused while
 * a node restarts, resets, timeouts) are retryable; DNS `ENOTFOUND` and TLS failures are configuration
 * errors and are not.
 *
 * @example classifyTransportError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).retryable === true
 */
export function classifyTransportError(error: unknown): TransportFailure {
  const code = errorCode(error);
  const f = (
    kind: TransportFailureKind,
    retryable: boolean,
    maybeSent: boolean,
    what: string,
  ): TransportFailure => ({ kind, code, retryable, maybeSent, description: `${what} (${code})` });
  switch (code) {
    case 'ECONNREFUSED':
      return f('refused', true, false, 'connection refused');
    case 'ENOTFOUND':
      return f('dns', false, false, 'host not found');
    case 'EAI_AGAIN':
      return f('dns', true, false, 'temporary DNS failure');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return f('refused', true, false, 'host unreachable');
    case 'UND_ERR_CONNECT_TIMEOUT':
      return f('timeout', true, false, 'connect timeout');
    case 'ETIMEDOUT':
      return f('timeout', true, true, 'network timeout');
    case 'UND_ERR_HEADERS_TIMEOUT':
      return f('timeout', true, true, 'no response headers in time');
    case 'UND_ERR_BODY_TIMEOUT':
      return f('timeout', true, true, 'response body stalled');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return f('reset', true, true, 'connection reset');
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return f('reset', true, true, 'connection closed by the server');
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return f('tls', false, false, 'TLS handshake failed: the server does not speak TLS');
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return f('tls', false, false, "the server's TLS certificate does not match the host name");
    case 'CERT_HAS_EXPIRED':
      return f('tls', false, false, "the server's TLS certificate has expired");
    default:
      if (TLS_CODE.test(code)) return f('tls', false, false, "the server's TLS certificate is not trusted");
      return f('other', false, true, 'request failed');
  }
}

function transportHint(failure: TransportFailure): string {
  switch (failure.kind) {
    case 'refused':
      return 'check --url / ELASTICSEARCH_URL (or --cloud-id / ELASTIC_CLOUD_ID) and that the cluster is running';
    case 'dns':
      return 'check the host name in --url / ELASTICSEARCH_URL (or --cloud-id / ELASTIC_CLOUD_ID)';
    case 'tls':
      if (failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER')
        return 'use http:// instead of https:// in --url, or check the port';
      if (failure.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return 'connect with the host name the certificate was issued for';
      return "pass the cluster's CA certificate with --ca-cert FILE (or, for a throwaway cluster only, --insecure)";
    case 'reset':
      return 'the server or a proxy closed the connection: check --url (http vs https, port) and any proxy';
    case 'timeout':
      return 'the cluster is slow or overloaded: try again later, or raise the request timeout';
    case 'other':
      return 'check --url / ELASTICSEARCH_URL and the network';
  }
}

/**
 * The error for a request that never got an HTTP answer: `unreachable` or `timeout`, naming the URL and the
 * cause.
 *
 * @example errorFromTransport(failure, err, { url, method: 'GET', path: '/', attempts: 5, timeoutMs: 30000 })
 */
export function errorFromTransport(
  failure: TransportFailure,
  cause: unknown,
  request: { url: string; method: string; path: string; attempts: number; timeoutMs: number },
  product: Product = PRODUCTS.elasticsearch,
): ElasticsearchError {
  const details: ElasticsearchErrorDetails = {
    url: request.url,
    method: request.method,
    path: request.path,
    attempts: request.attempts,
    transportCode: failure.code,
  };
  const suffix = attemptsSuffix(request.attempts);
  if (failure.kind === 'timeout' && failure.code !== 'UND_ERR_CONNECT_TIMEOUT') {
    const ms = request.timeoutMs;
    const limit = ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
    return new ElasticsearchError(
      'timeout',
      `no answer from ${product.name} at ${request.url} to ${request.method} ${request.path} within ${limit}${suffix} (${failure.code})`,
      { hint: transportHint(failure), details, cause },
    );
  }
  // An unclassified failure says little by its code alone; its own text (never holding credentials: URLs
  // are stripped of them in connection.ts) does.
  const text = cause instanceof Error && failure.kind === 'other' ? `: ${shorten(cause.message)}` : '';
  return new ElasticsearchError(
    'unreachable',
    `cannot reach ${product.name} at ${request.url}: ${failure.description}${text}${suffix}`,
    { hint: transportHint(failure), details, cause },
  );
}
