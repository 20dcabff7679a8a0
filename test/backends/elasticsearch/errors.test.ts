/**
 * Pure tests of error classification: real Elasticsearch bodies in, code, one-line
 * message, hint and context out.
 */
import { describe, expect, it } from 'vitest';
import {
  ELASTICSEARCH_ERROR_CODES,
  ElasticsearchError,
  classifyTransportError,
  createRedactor,
  errorFromResponse,
  errorFromTransport,
  parseErrorBody,
  parseForbidden,
  parseReferences,
  privilegeFor,
  type ResponseErrorInput,
} from '../../../src/backends/elasticsearch/errors.js';
import { InferctlError } from '../../../src/errors.js';

const URL = 'https://es.example.com:9243';

function fromResponse(
  status: number,
  body: unknown,
  extra: Partial<ResponseErrorInput> = {},
): ElasticsearchError {
  return errorFromResponse({
    status,
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    method: 'PUT',
    path: '/_inference/text_embedding/x',
    url: URL,
    attempts: 1,
    authKind: 'api_key',
    redact: (t) => t,
    ...extra,
  });
}

const env = (status: number, type: string, reason: string, extra: Record<string, unknown> = {}) => ({
  error: { root_cause: [{ type, reason }], type, reason, ...extra },
  status,
});

describe('errorFromResponse: status and body → code', () => {
  const table: [string, number, unknown, string][] = [
    ['401', 401, env(401, 'security_exception', 'unable to authenticate user [x]'), 'unauthorized'],
    [
      '403 privilege',
      403,
      env(
        403,
        'security_exception',
        'action [cluster:admin/xpack/inference/put] is unauthorized for user [x] with effective roles [r]',
      ),
      'forbidden',
    ],
    [
      '403 licence',
      403,
      env(403, 'security_exception', 'current license is non-compliant for [inference]', {
        'license.expired.feature': 'inference',
      }),
      'license',
    ],
    ['404', 404, env(404, 'resource_not_found_exception', 'Inference endpoint not found [x]'), 'not_found'],
    [
      '408',
      408,
      env(408, 'status_exception', 'Timed out after [30s] waiting for model deployment to start.'),
      'timeout',
    ],
    [
      '409 busy',
      409,
      env(
        409,
        'status_exception',
        'Endpoint [x] is currently being updated. Try again once the update completes',
      ),
      'conflict',
    ],
    ['400', 400, env(400, 'status_exception', 'Unknown service [foo]'), 'bad_request'],
    [
      '400 flat routing error',
      400,
      { error: 'no handler found for uri [/_inference/x/_update] and method [PUT]' },
      'bad_request',
    ],
    [
      '405',
      405,
      { error: 'Incorrect HTTP method for uri [/x] and method [POST], allowed: [PUT]', status: 405 },
      'bad_request',
    ],
    ['429', 429, env(429, 'es_rejected_execution_exception', 'rejected execution'), 'rate_limited'],
    [
      '429 timeout (9.5, PR #146531)',
      429,
      {
        ...env(
          429,
          'elasticsearch_timeout_exception',
          'Timed out after [30s] waiting for model deployment to start. for inference id [x]',
        ),
        timed_out: true,
      },
      'timeout',
    ],
    [
      '504 timeout (9.4, PR #145838)',
      504,
      env(504, 'status_exception', 'Timed out after [30s] waiting for model deployment to start.'),
      'timeout',
    ],
    ['500', 500, env(500, 'exception', 'boom'), 'server_error'],
    ['502 text', 502, '<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>', 'server_error'],
    ['503', 503, env(503, 'master_not_discovered_exception', 'null'), 'server_error'],
    ['504', 504, 'Gateway Timeout', 'timeout'],
    ['302', 302, '', 'invalid_response'],
  ];
  for (const [name, status, body, code] of table) {
    it(`${name} → ${code}, one line`, () => {
      const e = fromResponse(status, body);
      expect(e).toBeInstanceOf(ElasticsearchError);
      expect(e).toBeInstanceOf(InferctlError);
      expect(e.code).toBe(code);
      expect(ELASTICSEARCH_ERROR_CODES).toContain(e.code);
      expect(e.message).not.toMatch(/[\r\n]/);
      expect(e.hint).toBeTruthy();
      expect(e.context).toMatchObject({
        status,
        url: URL,
        method: 'PUT',
        path: '/_inference/text_embedding/x',
      });
      expect(e.status).toBe(status);
    });
  }

  it('400 keeps type, reason and caused_by in the message and context', () => {
    const e = fromResponse(
      400,
      env(
        400,
        'status_exception',
        'Could not complete inference endpoint creation as validation call to service threw an exception.',
        {
          caused_by: { type: 'connect_exception', reason: 'Connection refused' },
        },
      ),
    );
    expect(e.message).toBe(
      'Elasticsearch rejected PUT /_inference/text_embedding/x (400 status_exception: Could not complete inference endpoint creation as validation call to service threw an exception.; caused by connect_exception: Connection refused)',
    );
    expect(e.context).toMatchObject({
      type: 'status_exception',
      causedBy: 'connect_exception: Connection refused',
      reason: expect.stringContaining('validation call'),
    });
    expect(e.esType).toBe('status_exception');
  });

  it('a missing API (no handler / unknown parameter) hints at the version', () => {
    expect(
      fromResponse(400, { error: 'no handler found for uri [/_inference/t/x/_update] and method [PUT]' })
        .hint,
    ).toContain('_update needs 8.17');
    expect(
      fromResponse(
        400,
        env(
          400,
          'illegal_argument_exception',
          'request [/_inference/x] contains unrecognized parameter: [timeout]',
        ),
      ).hint,
    ).toBe('this Elasticsearch version does not accept that parameter');
  });

  it('401 hint follows the kind of credentials', () => {
    const body = env(401, 'security_exception', 'missing authentication credentials for REST request [/]');
    expect(fromResponse(401, body, { authKind: 'none' }).hint).toMatch(/^no credentials were given/);
    expect(fromResponse(401, body, { authKind: 'api_key' }).hint).toMatch(/API key/);
    expect(fromResponse(401, body, { authKind: 'basic' }).hint).toMatch(/username and password/);
  });

  it('long reasons are shortened in the message and kept whole in the context', () => {
    const reason = 'x'.repeat(2000);
    const e = fromResponse(400, env(400, 'status_exception', reason));
    expect(e.message.length).toBeLessThan(600);
    expect(e.context.reason).toBe(reason);
  });
});

describe('403: privileges and licences', () => {
  it('privilegeFor maps action names', () => {
    expect(privilegeFor('cluster:admin/xpack/inference/put')).toBe('manage_inference');
    expect(privilegeFor('cluster:admin/xpack/inference/update')).toBe('manage_inference');
    expect(privilegeFor('cluster:admin/xpack/inference/delete')).toBe('manage_inference');
    expect(privilegeFor('cluster:monitor/xpack/inference/get')).toBe('monitor_inference');
    expect(privilegeFor('cluster:monitor/xpack/inference')).toBe('monitor_inference');
    expect(privilegeFor('cluster:monitor/xpack/ml/trained_models/stats/get')).toBe('monitor_ml');
    expect(privilegeFor('cluster:monitor/main')).toBe('monitor');
    expect(privilegeFor('indices:data/read/search')).toBeUndefined();
  });

  it('parseForbidden reads action, user (also for API keys) and the granting privileges', () => {
    expect(
      parseForbidden(
        'action [cluster:admin/xpack/inference/put] is unauthorized for API key id [kid] of user [svc] with effective roles [a,b], this action is granted by the cluster privileges [manage_inference,manage,all]',
      ),
    ).toEqual({
      action: 'cluster:admin/xpack/inference/put',
      user: 'svc',
      granting: ['manage_inference', 'manage', 'all'],
    });
    expect(parseForbidden('something else')).toEqual({});
  });

  it('names the privilege and user in one line', () => {
    const e = fromResponse(
      403,
      env(
        403,
        'security_exception',
        'action [cluster:admin/xpack/inference/put] is unauthorized for user [ci] with effective roles [viewer]',
      ),
    );
    expect(e.message).toBe(
      'PUT /_inference/text_embedding/x is forbidden: user [ci] lacks the cluster privilege manage_inference (action cluster:admin/xpack/inference/put)',
    );
    expect(e.hint).toContain('inference_admin');
    expect(e.context).toMatchObject({
      privilege: 'manage_inference',
      user: 'ci',
      action: 'cluster:admin/xpack/inference/put',
    });
  });

  it('an unknown action falls back to the privileges ES says would grant it, else to the reason', () => {
    const granted = fromResponse(
      403,
      env(
        403,
        'security_exception',
        'action [cluster:admin/new/thing] is unauthorized for user [u] with effective roles [], this action is granted by the cluster privileges [manage_thing,all]',
      ),
    );
    expect(granted.context).toMatchObject({ privilege: 'manage_thing' });
    const bare = fromResponse(403, env(403, 'security_exception', 'forbidden for reasons'));
    expect(bare.code).toBe('forbidden');
    expect(bare.message).toBe(
      'PUT /_inference/text_embedding/x is forbidden (403 security_exception: forbidden for reasons)',
    );
  });

  it('licence: feature from the reason or the metadata; hint per feature', () => {
    const inference = fromResponse(
      403,
      env(403, 'security_exception', 'current license is non-compliant for [inference]'),
    );
    expect(inference.code).toBe('license');
    expect(inference.hint).toContain('enterprise');
    const ml = fromResponse(403, env(403, 'security_exception', 'current license is non-compliant for [ml]'));
    expect(ml.hint).toContain('platinum');
    const eis = fromResponse(
      403,
      env(403, 'security_exception', 'current license is non-compliant for [Elastic Inference Service]'),
    );
    expect(eis.context).toMatchObject({ feature: 'Elastic Inference Service' });
    const meta = fromResponse(
      403,
      env(403, 'security_exception', 'denied', { 'license.expired.feature': 'inference' }),
    );
    expect(meta.code).toBe('license');
  });
});

describe('409 references', () => {
  const pipes =
    'Inference endpoint x is referenced by pipelines: [p1, p-2]. Ensure that no pipelines are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.';
  const idx =
    ' Inference endpoint x is being used in the mapping for indexes: [idx-a, idx.b]. Ensure that no index mappings are using this inference endpoint, or use force to ignore this warning and delete the inference endpoint.';

  it('pipelines, indexes (alone, with the leading space), both', () => {
    expect(parseReferences(pipes)).toEqual({ pipelines: ['p1', 'p-2'], indexes: [] });
    expect(parseReferences(idx)).toEqual({ pipelines: [], indexes: ['idx-a', 'idx.b'] });
    expect(parseReferences(pipes + idx)).toEqual({ pipelines: ['p1', 'p-2'], indexes: ['idx-a', 'idx.b'] });
    expect(parseReferences('Endpoint [x] is currently being updated.')).toBeUndefined();
  });

  it('becomes a conflict that names them', () => {
    const e = fromResponse(409, env(409, 'status_exception', pipes + idx), {
      method: 'DELETE',
      path: '/_inference/text_embedding/x',
      inferenceId: 'x',
    });
    expect(e.code).toBe('conflict');
    expect(e.references).toEqual({ pipelines: ['p1', 'p-2'], indexes: ['idx-a', 'idx.b'] });
    expect(e.context.references).toEqual(e.references);
    expect(e.message).toBe(
      'cannot delete inference endpoint [x]: it is used by ingest pipelines [p1, p-2] and the mappings of indexes [idx-a, idx.b]',
    );
  });
});

describe('parseErrorBody', () => {
  it('envelope, flat error, text, empty; reason null', () => {
    const id = (t: string) => t;
    expect(parseErrorBody(JSON.stringify(env(400, 't', 'r')), id)).toEqual({ type: 't', reason: 'r' });
    expect(parseErrorBody('{"error":"no handler"}', id)).toEqual({ reason: 'no handler' });
    expect(parseErrorBody('Bad Gateway', id)).toEqual({ reason: 'Bad Gateway' });
    expect(parseErrorBody('', id)).toEqual({});
    expect(
      parseErrorBody('{"error":{"type":"master_not_discovered_exception","reason":null},"status":503}', id),
    ).toEqual({
      type: 'master_not_discovered_exception',
    });
  });
});

describe('createRedactor', () => {
  it('replaces values and their JSON-escaped forms, longest first', () => {
    const r = createRedactor(['ab"c', 'ab"c-long', '']);
    expect(r('x ab"c-long y ab"c z')).toBe('x (secret) y (secret) z');
    expect(r(JSON.stringify({ k: 'ab"c' }))).toBe('{"k":"(secret)"}');
    expect(createRedactor([])('unchanged')).toBe('unchanged');
  });
});

describe('transport failures', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  const table: [string, string, boolean, boolean][] = [
    ['ECONNREFUSED', 'refused', true, false],
    ['ENOTFOUND', 'dns', false, false],
    ['EAI_AGAIN', 'dns', true, false],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true, false],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true, true],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', true, true],
    ['ECONNRESET', 'reset', true, true],
    ['UND_ERR_SOCKET', 'reset', true, true],
    ['EPIPE', 'reset', true, true],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', false, false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', false, false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', false, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', false, false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', false, false],
    ['UND_ERR_ABORTED', 'other', false, true],
  ];
  for (const [code, kind, retryable, maybeSent] of table) {
    it(`${code}: ${kind}, ${retryable ? '' : 'not '}retryable`, () => {
      expect(classifyTransportError(withCode(code))).toMatchObject({ code, kind, retryable, maybeSent });
    });
  }

  it('codes inside AggregateError (happy eyeballs) and causes are found', () => {
    const agg = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed');
    expect(classifyTransportError(agg).kind).toBe('refused');
    expect(classifyTransportError(new Error('x', { cause: withCode('ECONNRESET') })).kind).toBe('reset');
    expect(classifyTransportError('weird').code).toBe('UNKNOWN');
  });

  it('errors name URL and cause in one line', () => {
    const req = { url: URL, method: 'GET', path: '/', attempts: 1, timeoutMs: 30_000 };
    const refused = errorFromTransport(classifyTransportError(withCode('ECONNREFUSED')), undefined, req);
    expect(refused.message).toBe(`cannot reach Elasticsearch at ${URL}: connection refused (ECONNREFUSED)`);
    const timeout = errorFromTransport(
      classifyTransportError(withCode('UND_ERR_HEADERS_TIMEOUT')),
      undefined,
      {
        ...req,
        attempts: 5,
      },
    );
    expect(timeout.code).toBe('timeout');
    expect(timeout.message).toBe(
      `no answer from Elasticsearch at ${URL} to GET / within 30s after 5 attempts (UND_ERR_HEADERS_TIMEOUT)`,
    );
    const tlsError = withCode('ERR_SSL_WRONG_VERSION_NUMBER');
    tlsError.message = 'ssl3_get_record:wrong version number:\n../deps/openssl';
    const tls = errorFromTransport(classifyTransportError(tlsError), tlsError, req);
    expect(tls.message).not.toMatch(/\n/);
    expect(tls.cause).toBe(tlsError);
    const other = errorFromTransport(
      classifyTransportError(new Error('strange\nthing')),
      new Error('strange\nthing'),
      req,
    );
    expect(other.message).toBe(
      `cannot reach Elasticsearch at ${URL}: request failed (UNKNOWN): strange thing`,
    );
  });
});
