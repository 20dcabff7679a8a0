/**
 * Pure tests of the client's helpers: backoff with full jitter, Retry-After, retry decisions, body
 * serialisation with secrets, GET shapes per version, ES time values, option validation.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  createElasticsearchClient,
  parseRetryAfter,
  parseTimeValue,
  retryDecision,
  serializeBody,
  toLiveEndpoint,
  unwrapEndpoints,
} from '../../../src/backends/elasticsearch/client.js';
import { classifyTransportError } from '../../../src/backends/elasticsearch/errors.js';
import { InferctlError } from '../../../src/errors.js';
import { Secret } from '../../../src/manifest/secrets.js';
import { connect } from './helpers.js';

describe('backoffDelay (full jitter)', () => {
  it('ceiling doubles from the base up to the cap; the delay is random below it', () => {
    const top = (attempt: number) => backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(top)).toEqual([199, 399, 799, 1599, 3199, 6399, 9999, 9999, 9999]);
    expect(backoffDelay(4, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(400);
    expect(backoffDelay(50, { ...DEFAULT_RETRY_POLICY, capMs: 1000 }, () => 0.5)).toBe(500);
  });

  it('stays within [0, ceiling) for any random value', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const d = backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(10_000, 200 * 2 ** (attempt - 1)));
      }
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  it('seconds, HTTP dates, past dates, junk', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('retryDecision', () => {
  const response = (status: number) => ({ kind: 'response' as const, status, text: '' });
  const transport = (code: string) => {
    const error = Object.assign(new Error(code), { code });
    return { kind: 'transport' as const, failure: classifyTransportError(error), error };
  };
  it('retries 429/502/503/504 and transient connection failures only', () => {
    for (const s of [429, 502, 503, 504]) expect(retryDecision(response(s)).retryable).toBe(true);
    for (const s of [400, 401, 403, 404, 408, 409, 500, 501])
      expect(retryDecision(response(s)).retryable).toBe(false);
    for (const c of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT'])
      expect(retryDecision(transport(c)).retryable).toBe(true);
    for (const c of ['ENOTFOUND', 'SELF_SIGNED_CERT_IN_CHAIN'])
      expect(retryDecision(transport(c)).retryable).toBe(false);
  });
  it('knows which failures may have been applied', () => {
    expect(retryDecision(response(429)).maybeApplied).toBe(false);
    expect(retryDecision(response(502)).maybeApplied).toBe(true);
    expect(retryDecision(response(503)).maybeApplied).toBe(true);
    // A real OpenSearch 2.19.1 just after start: the shard of .plugins-ml-config is still RECOVERING.
    const noShard = {
      kind: 'response' as const,
      status: 503,
      text: '{"error":{"root_cause":[{"type":"no_shard_available_action_exception","reason":"No shard available for [get [.plugins-ml-config][master_key]: routing [null]]"}],"type":"no_shard_available_action_exception"},"status":503}',
    };
    expect(retryDecision(noShard)).toMatchObject({ retryable: true, maybeApplied: false });
    expect(retryDecision(transport('ECONNREFUSED')).maybeApplied).toBe(false);
    expect(retryDecision(transport('ECONNRESET')).maybeApplied).toBe(true);
    expect(retryDecision(transport('UND_ERR_HEADERS_TIMEOUT'))).toEqual({
      retryable: true,
      maybeApplied: true,
      reason: 'UND_ERR_HEADERS_TIMEOUT',
    });
  });
});

describe('serializeBody', () => {
  it('reveals Secrets only in the serialised text and collects them', () => {
    const body = {
      service: 'amazonbedrock',
      service_settings: {
        access_key: new Secret('AKIA-canary', 'env A'),
        secret_key: new Secret('s3cr3t', 'env S'),
        region: 'us-east-1',
      },
      task_settings: { list: [new Secret('in-array', 'literal')] },
    };
    const out = serializeBody(body);
    expect(JSON.parse(out.text)).toEqual({
      service: 'amazonbedrock',
      service_settings: { access_key: 'AKIA-canary', secret_key: 's3cr3t', region: 'us-east-1' },
      task_settings: { list: ['in-array'] },
    });
    expect(out.secrets).toEqual(expect.arrayContaining(['AKIA-canary', 's3cr3t', 'in-array']));
    // The input still prints (secret).
    expect(JSON.stringify(body)).not.toContain('s3cr3t');
  });

  it("collects plain strings under the service's secret fields, any service's for _update bodies", () => {
    expect(
      serializeBody({ service: 'openai', service_settings: { api_key: 'sk-plain', model_id: 'm' } }).secrets,
    ).toEqual(['sk-plain']);
    expect(
      serializeBody({ service_settings: { secret_key: 'x1', access_key: 'x2' } }).secrets.sort(),
    ).toEqual(['x1', 'x2']);
    expect(
      serializeBody({
        service: 'custom',
        service_settings: { secret_parameters: { a: 'p1', b: 'p2' } },
      }).secrets.sort(),
    ).toEqual(['p1', 'p2']);
    expect(serializeBody({ task_settings: { user: 'u' } }, ['given']).secrets).toEqual(['given']);
  });
});

describe('GET shapes per version', () => {
  const item = {
    task_type: 'sparse_embedding',
    service: 'elser',
    service_settings: { num_allocations: 1, num_threads: 1, model_id: '.elser_model_2' },
    task_settings: {},
  };
  it('8.12–8.14 models/model_id and 8.15+ endpoints/inference_id give the same LiveEndpoint', () => {
    const old = unwrapEndpoints({ models: [{ model_id: 'e', ...item }] });
    const current = unwrapEndpoints({ endpoints: [{ inference_id: 'e', ...item }] });
    expect(old).toEqual(current);
    expect(old?.[0]).toEqual({ inference_id: 'e', ...item });
    expect(Object.keys(old?.[0] ?? {})[0]).toBe('inference_id');
  });

  it('keeps extra fields (EIS metadata) and rejects what is not an endpoint', () => {
    expect(toLiveEndpoint({ inference_id: 'e', ...item, metadata: { heuristics: {} } })).toMatchObject({
      metadata: { heuristics: {} },
    });
    expect(toLiveEndpoint({ ...item })).toBeUndefined();
    expect(toLiveEndpoint({ inference_id: 'e', task_type: 'x', service: 's' })).toBeUndefined();
    expect(unwrapEndpoints({ endpoints: [{ nope: true }] })).toBeUndefined();
    expect(unwrapEndpoints({ something: [] })).toBeUndefined();
    expect(unwrapEndpoints({ endpoints: [] })).toEqual([]);
  });
});

describe('parseTimeValue', () => {
  it('ES units; errors name the value', () => {
    expect(parseTimeValue('30s')).toBe(30_000);
    expect(parseTimeValue('500ms')).toBe(500);
    expect(parseTimeValue('2m')).toBe(120_000);
    expect(parseTimeValue('1.5s')).toBe(1500);
    const bad = parseTimeValue('30');
    expect(bad).toBeInstanceOf(InferctlError);
    expect((bad as InferctlError).message).toBe('timeout "30" is not an Elasticsearch time value');
  });
});

describe('options are checked up front', () => {
  it('a bad option is an error naming it, with the default in the hint', () => {
    const c = connect({ url: 'http://localhost:9200' });
    expect(() => createElasticsearchClient(c, { retry: { maxAttempts: 0 } })).toThrow(
      'retry.maxAttempts must be a positive integer, got 0',
    );
    expect(() => createElasticsearchClient(c, { timeoutMs: -1 })).toThrow(InferctlError);
  });
});
