/**
 * Retries against the emulator's seeded fault injection and a front server: they converge, the attempts
 * are exactly the faults plus one, `Retry-After` is honoured, and a create is never blindly re-sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  type ElasticsearchClientOptions,
} from '../../../src/backends/elasticsearch/client.js';
import { ElasticsearchError } from '../../../src/backends/elasticsearch/errors.js';
import { faultPlan } from '../../../src/emulator/faults.js';
import { startEmulator, type FaultOptions } from '../../../src/emulator/index.js';
import { Secret } from '../../../src/manifest/secrets.js';
import {
  connect,
  envelope,
  recordedClient,
  startFront,
  thrown,
  type Front,
  type Recorded,
} from './helpers.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const openai = {
  service: 'openai',
  service_settings: { api_key: new Secret('sk-fault', 'env K'), model_id: 'text-embedding-3-small' },
};
const elser = { service: 'elser', service_settings: { num_allocations: 1, num_threads: 1 } };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const e = await startEmulator(options);
  cleanup.push(() => e.close());
  return e;
}

function client(url: string, options: ElasticsearchClientOptions = {}): Recorded {
  const r = recordedClient(connect({ url }), options);
  cleanup.push(() => r.client.close());
  return r;
}

async function front(upstream: string, decide: Parameters<typeof startFront>[1]): Promise<Front> {
  const f = await startFront(upstream, decide);
  cleanup.push(() => f.close());
  return f;
}

/** Backoff with the recorded client's `random() = 0.5`. */
const backoff = (attempt: number) => backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0.5);

describe('fault injection: retries converge and count exactly', () => {
  for (const version of ['8.14.3', '8.15.5', '9.1.0']) {
    it(`${version}: a full round trip through 429/502/503/504/resets`, async () => {
      const faults: FaultOptions = {
        // Seed 9 at this rate gives every fault kind in this sequence, on every version (≈11 faults).
        rate: 0.5,
        seed: 9,
        kinds: ['429', '502', '503', '504', 'reset'],
        retryAfterSeconds: 2,
      };
      const e = await emulator({ esVersion: version, faults });
      const r = client(e.url, { retry: { maxAttempts: 10 } });

      const put = await r.client.putEndpoint('text_embedding', 'x', openai);
      expect(put.inference_id).toBe('x');
      await r.client.putEndpoint('sparse_embedding', 'y', elser);
      expect((await r.client.getEndpoint('x'))?.service).toBe('openai');
      expect((await r.client.listEndpoints()).map((ep) => ep.inference_id)).toEqual(
        expect.arrayContaining(['x', 'y']),
      );
      if (version === '9.1.0') {
        const updated = await r.client.updateEndpoint('text_embedding', 'x', {
          task_settings: { user: 'u' },
        });
        expect(updated.task_settings).toEqual({ user: 'u' });
      }
      expect([...(await r.client.deploymentStats(['y'])).keys()]).toEqual(['y']);
      expect((await r.client.deleteEndpoint('text_embedding', 'x')).acknowledged).toBe(true);
      expect([...e.state.endpoints.keys()].filter((id) => !id.startsWith('.')).sort()).toEqual(['y']);

      // Replay the emulator's seeded plan over what the client sent: every attempt the plan faulted must have
      // failed in exactly that way, every other one must have got the emulator's own answer.
      const plan = faultPlan(faults);
      const tries = r.events.filter((ev) => ev.type === 'response' || ev.type === 'transport_error');
      let faulted = 0;
      const kinds = new Set<string>();
      for (const t of tries) {
        const kind = plan.next(t.method, t.path.split('?')[0] ?? '');
        if (kind === undefined) {
          expect(t.type === 'response' && [200, 404].includes(t.status), `${t.method} ${t.path}`).toBe(true);
          continue;
        }
        faulted++;
        kinds.add(kind);
        if (kind === 'reset') expect(t).toMatchObject({ type: 'transport_error', code: 'UND_ERR_SOCKET' });
        else expect(t).toMatchObject({ type: 'response', status: Number(kind) });
      }
      expect([...kinds].sort()).toEqual(['429', '502', '503', '504', 'reset']);
      // One retry per fault, with the delay each one asked for.
      const retries = r.events.filter((ev) => ev.type === 'retry');
      expect(retries).toHaveLength(faulted);
      const faultsOnly = tries.filter((t) => t.type === 'transport_error' || t.status >= 429);
      expect(r.delays).toEqual(
        retries.map((ev, i) => {
          const t = faultsOnly[i];
          return t?.type === 'response' && t.status === 429 ? 2000 : backoff(ev.attempt);
        }),
      );
    });
  }

  it('a GET gives up after maxAttempts with the last error, attempts counted', async () => {
    const e = await emulator({ esVersion: '9.1.0', faults: { rate: 1, kinds: ['503'] } });
    const r = client(e.url, { retry: { maxAttempts: 3 } });
    const err = await thrown(() => r.client.listEndpoints());
    expect(err.code).toBe('server_error');
    expect(err.message).toBe(
      `Elasticsearch at ${e.url} failed to answer GET /_inference/_all after 3 attempts (503 master_not_discovered_exception)`,
    );
    expect(err.context).toMatchObject({ attempts: 3, status: 503, type: 'master_not_discovered_exception' });
    expect(r.sent()).toEqual(Array(3).fill('GET /_inference/_all'));
    expect(r.delays).toEqual([backoff(1), backoff(2)]);
  });
});

describe('Retry-After', () => {
  it('seconds: every 429 waits what the server asked; exhausted → rate_limited', async () => {
    const e = await emulator({
      esVersion: '9.1.0',
      faults: { rate: 1, kinds: ['429'], retryAfterSeconds: 3 },
    });
    const r = client(e.url);
    const err = await thrown(() => r.client.getEndpoint('x'));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toContain('after 5 attempts');
    expect(err.message).not.toContain('\n');
    expect(err.context).toMatchObject({ retryAfterMs: 3000, status: 429 });
    expect(r.delays).toEqual([3000, 3000, 3000, 3000]);
  });

  it('an HTTP date, against the injected clock', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const now = Date.parse('2026-03-01T10:00:00Z');
    const f = await front(e.url, ({ n }) =>
      n <= 2
        ? {
            kind: 'respond',
            status: 503,
            text: 'Service Unavailable',
            headers: { 'retry-after': new Date(now + 7000 * n).toUTCString() },
          }
        : { kind: 'forward' },
    );
    const r = client(f.url, { now: () => now });
    expect(await r.client.listEndpoints()).toEqual(expect.any(Array));
    expect(r.delays).toEqual([7000, 14000]);
    expect(r.events.filter((ev) => ev.type === 'retry')).toMatchObject([
      { retryAfterMs: 7000, reason: 'status 503' },
      { retryAfterMs: 14000, reason: 'status 503' },
    ]);
  });

  it('longer than maxRetryAfterMs: no waiting, the 429 is reported at once', async () => {
    const e = await emulator({
      esVersion: '9.1.0',
      faults: { rate: 1, kinds: ['429'], retryAfterSeconds: 3600 },
    });
    const r = client(e.url);
    const err = await thrown(() => r.client.listEndpoints());
    expect(err.code).toBe('rate_limited');
    expect(err.context).toMatchObject({ retryAfterMs: 3_600_000, attempts: 1 });
    expect(r.delays).toEqual([]);
  });
});

describe('create is not blindly re-sent', () => {
  it('client timeout while ES created it: reads, finds it, never sends a second PUT', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) =>
      method === 'PUT' && n === 1 ? { kind: 'forward-late', delayMs: 2500 } : { kind: 'forward' },
    );
    // undici checks its timeouts on a coarse tick (≈1 s), hence the long late answer.
    const r = client(f.url, { timeoutMs: 500 });
    const created = await r.client.putEndpoint('text_embedding', 'slow', openai);
    expect(created).toMatchObject({ inference_id: 'slow', service: 'openai' });
    expect(r.sent()).toEqual(['PUT /_inference/text_embedding/slow', 'GET /_inference/text_embedding/slow']);
    expect(f.forwarded.filter((s) => s.startsWith('PUT'))).toHaveLength(1);
    expect(r.events).toContainEqual(
      expect.objectContaining({ type: 'transport_error', code: 'UND_ERR_HEADERS_TIMEOUT' }),
    );
    expect(r.events.find((ev) => ev.type === 'note')).toMatchObject({
      message: expect.stringContaining('the endpoint exists, so the create took effect'),
    });
  });

  // The timeout's status moved: 408 up to 9.3, 504 in 9.4 (PR #145838), 429 + "timed_out" in 9.5 (PR #146531).
  for (const [version, status] of [
    ['8.15.5', 408],
    ['9.1.0', 408],
    ['9.4.0', 504],
    ['9.5.0', 429],
  ] as const) {
    it(`${version}: ES's ${status} "waiting for model deployment" — the endpoint exists and is returned, never re-sent`, async () => {
      const e = await emulator({ esVersion: version, deploymentStartDelayMs: 400, deploymentWaitMs: 30 });
      const r = client(e.url);
      const created = await r.client.putEndpoint('sparse_embedding', 'slow-elser', elser);
      expect(created.inference_id).toBe('slow-elser');
      expect(r.sent()).toEqual([
        'PUT /_inference/sparse_embedding/slow-elser',
        'GET /_inference/sparse_embedding/slow-elser',
      ]);
      expect(r.events[0]).toMatchObject({ type: 'response', status });
      expect((await r.client.deploymentStats(['slow-elser'])).get('slow-elser')?.state).toBe('starting');
    });
  }

  it('408 and the endpoint is not there: a timeout error, no second PUT', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method }) =>
      method === 'PUT'
        ? {
            kind: 'respond',
            status: 408,
            body: envelope(
              408,
              'status_exception',
              'Timed out after [30s] waiting for model deployment to start.',
            ),
          }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    const err = await thrown(() => r.client.putEndpoint('sparse_embedding', 'z', elser));
    expect(err.code).toBe('timeout');
    expect(r.sent()).toEqual(['PUT /_inference/sparse_embedding/z', 'GET /_inference/sparse_embedding/z']);
  });

  it('503 before ES: reads (absent), then re-sends the PUT once', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) =>
      method === 'PUT' && n === 1
        ? { kind: 'respond', status: 503, text: 'upstream down' }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    expect((await r.client.putEndpoint('text_embedding', 'a', openai)).inference_id).toBe('a');
    expect(r.sent()).toEqual([
      'PUT /_inference/text_embedding/a',
      'GET /_inference/text_embedding/a',
      'PUT /_inference/text_embedding/a',
    ]);
    expect(r.delays).toEqual([backoff(1)]);
  });

  it('429 means "not processed": the PUT is re-sent without a read', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) =>
      method === 'PUT' && n === 1
        ? {
            kind: 'respond',
            status: 429,
            headers: { 'retry-after': '1' },
            body: envelope(429, 'es_rejected_execution_exception', 'rejected execution'),
          }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    await r.client.putEndpoint('text_embedding', 'b', openai);
    expect(r.sent()).toEqual(['PUT /_inference/text_embedding/b', 'PUT /_inference/text_embedding/b']);
    expect(r.delays).toEqual([1000]);
  });

  it('a re-sent PUT that meets "already exists" resolves by reading it', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) => {
      // The first PUT is applied but its answer lost; the first read is served by a stale node (404).
      if (method === 'PUT' && n === 1) return { kind: 'forward-then', status: 502, text: 'Bad Gateway' };
      if (method === 'GET' && n === 1)
        return {
          kind: 'respond',
          status: 404,
          body: envelope(404, 'resource_not_found_exception', 'Inference endpoint not found [c]'),
        };
      return { kind: 'forward' };
    });
    const r = client(f.url);
    const created = await r.client.putEndpoint('text_embedding', 'c', openai);
    expect(created.inference_id).toBe('c');
    expect(r.sent()).toEqual([
      'PUT /_inference/text_embedding/c',
      'GET /_inference/text_embedding/c',
      'PUT /_inference/text_embedding/c',
      'GET /_inference/text_embedding/c',
    ]);
    expect(r.events.filter((ev) => ev.type === 'response').map((ev) => ev.status)).toEqual([
      502, 404, 400, 200,
    ]);
    expect(e.state.endpoints.has('c')).toBe(true);
  });

  it('"already exists" on a first attempt is a real error, not swallowed', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const r = client(e.url);
    await r.client.putEndpoint('text_embedding', 'd', openai);
    const err = await thrown(() => r.client.putEndpoint('text_embedding', 'd', openai));
    expect(err.code).toBe('bad_request');
    expect(err.context).toMatchObject({ type: 'resource_already_exists_exception', status: 400 });
    expect(err.message).toBe(
      'Elasticsearch rejected PUT /_inference/text_embedding/d (400 resource_already_exists_exception: Inference endpoint [d] already exists)',
    );
  });

  it('connection refused: nothing was sent, so the PUT is re-sent without reads', async () => {
    const r = client('http://127.0.0.1:1', { retry: { maxAttempts: 3 } });
    const err = await thrown(() => r.client.putEndpoint('text_embedding', 'e', openai));
    expect(err.code).toBe('unreachable');
    expect(r.sent()).toEqual(Array(3).fill('PUT /_inference/text_embedding/e'));
  });
});

describe('DELETE and _update are retried', () => {
  it('a retried DELETE that finds the endpoint gone reports success with a note', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) =>
      method === 'DELETE' && n === 1
        ? { kind: 'forward-then', status: 504, text: 'Gateway Timeout' }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    await r.client.putEndpoint('text_embedding', 'del', openai);
    const result = await r.client.deleteEndpoint('text_embedding', 'del');
    expect(result).toMatchObject({ acknowledged: true, pipelines: [], indexes: [] });
    expect(result.note).toContain('an earlier attempt deleted it');
    expect(r.sent().filter((s) => s.startsWith('DELETE'))).toHaveLength(2);
  });

  it('but after a 429 (not processed) a 404 still means "not found"', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, n }) =>
      method === 'DELETE' && n === 1
        ? { kind: 'respond', status: 429, headers: { 'retry-after': '0' }, text: 'slow down' }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    const err = await thrown(() => r.client.deleteEndpoint('text_embedding', 'never-existed'));
    expect(err.code).toBe('not_found');
    expect(r.delays).toEqual([0]);
  });

  it('_update is re-sent with the same body after a 503', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, ({ method, path, n }) =>
      method === 'PUT' && path.endsWith('/_update') && n === 1
        ? { kind: 'respond', status: 503, text: 'unavailable' }
        : { kind: 'forward' },
    );
    const r = client(f.url);
    await r.client.putEndpoint('text_embedding', 'up', openai);
    const updated = await r.client.updateEndpoint('text_embedding', 'up', { task_settings: { user: 'v' } });
    expect(updated.task_settings).toEqual({ user: 'v' });
    expect(r.sent().filter((s) => s.endsWith('/_update'))).toHaveLength(2);
  });
});

describe('timeouts', () => {
  it('a GET that never answers in time: timeout error after the retries, naming the limit', async () => {
    const e = await emulator({ esVersion: '9.1.0' });
    const f = await front(e.url, () => ({ kind: 'forward-late', delayMs: 2500 }));
    const r = client(f.url, { timeoutMs: 500, retry: { maxAttempts: 2 } });
    const err = await thrown(() => r.client.listEndpoints());
    expect(err).toBeInstanceOf(ElasticsearchError);
    expect(err.code).toBe('timeout');
    expect(err.message).toBe(
      `no answer from Elasticsearch at ${f.url} to GET /_inference/_all within 500ms after 2 attempts (UND_ERR_HEADERS_TIMEOUT)`,
    );
  });
});
