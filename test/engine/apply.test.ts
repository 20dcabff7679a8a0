// apply against a fake cluster: verification, failures that do not stop the others, readiness, limits.
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import type {
  DeploymentStats,
  InferenceApi,
  LiveEndpoint,
  RequestBody,
} from '../../src/backends/elasticsearch/api.js';
import { apply, readiness, type ApplyEvent } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';
import { InferctlError } from '../../src/errors.js';
import type { EndpointManifest } from '../../src/manifest/load.js';
import { manifest } from '../helpers/engine.js';

const caps = capabilitiesFor('9.1.0');

/** An in-memory cluster that stores what it is sent (secrets dropped), with hooks to misbehave. */
class FakeCluster implements InferenceApi {
  readonly endpoints = new Map<string, LiveEndpoint>();
  readonly log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failPut = new Set<string>();
  ignoreOnUpdate = new Set<string>();
  stats = new Map<string, DeploymentStats[]>();

  async info() {
    return { version: '9.1.0' };
  }
  async listEndpoints() {
    return [...this.endpoints.values()];
  }
  async getEndpoint(id: string) {
    return this.endpoints.get(id);
  }
  async putEndpoint(taskType: LiveEndpoint['task_type'], id: string, body: RequestBody) {
    return this.track(`PUT ${id}`, () => {
      if (this.failPut.has(id)) throw new InferctlError('bad_request', `provider rejected ${id}`);
      const settings = Object.fromEntries(
        Object.entries(body['service_settings'] as Record<string, unknown>).filter(([k]) => k !== 'api_key'),
      );
      const stored: LiveEndpoint = {
        inference_id: id,
        task_type: taskType,
        service: String(body['service']),
        service_settings: settings,
        ...(body['task_settings'] ? { task_settings: body['task_settings'] as Record<string, unknown> } : {}),
      };
      this.endpoints.set(id, stored);
      return stored;
    });
  }
  async updateEndpoint(_t: LiveEndpoint['task_type'], id: string, body: RequestBody) {
    return this.track(`_update ${id}`, () => {
      const current = this.endpoints.get(id)!;
      if (this.ignoreOnUpdate.has(id)) return current; // like ≤9.4 for keys it cannot change
      const next = {
        ...current,
        task_settings: { ...current.task_settings, ...(body['task_settings'] as object) },
      };
      this.endpoints.set(id, next);
      return next;
    });
  }
  async deleteEndpoint(_t: LiveEndpoint['task_type'], id: string) {
    return this.track(`DELETE ${id}`, () => {
      this.endpoints.delete(id);
      return { acknowledged: true, pipelines: [], indexes: [] };
    });
  }
  async indexUse(index: string) {
    return { index, hasDocuments: false, fields: [] };
  }
  async deploymentStats(ids: readonly string[]) {
    const out = new Map<string, DeploymentStats>();
    for (const id of ids) {
      const queue = this.stats.get(id);
      const next = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
      if (next) out.set(id, next);
    }
    return out;
  }
  private async track<T>(entry: string, fn: () => T): Promise<T> {
    this.log.push(entry);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    try {
      return fn();
    } finally {
      this.inFlight--;
    }
  }
}

const spec = (user: string) => `
task_type: completion
service: openai
service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
task_settings: { user: ${user} }
`;

async function run(
  cluster: FakeCluster,
  desired: EndpointManifest[],
  options: Parameters<typeof apply>[4] = {},
) {
  const p = plan({
    desired,
    live: await cluster.listEndpoints(),
    capabilities: caps,
    target: { url: 'fake' },
  });
  return apply(p, desired, cluster, caps, options);
}

describe('apply', () => {
  it('creates, reads back and reports each change', async () => {
    const cluster = new FakeCluster();
    const events: ApplyEvent['type'][] = [];
    const result = await run(cluster, [manifest('a', spec('x'))], { onEvent: (e) => events.push(e.type) });
    expect(result.results).toEqual([
      { id: 'a', action: 'create', outcome: 'succeeded', message: 'created and verified', requests: ['PUT'] },
    ]);
    expect(events).toEqual(['change-start', 'request', 'written', 'change-end']);
  });

  it('a field the server silently ignored is a failure that says which', async () => {
    const cluster = new FakeCluster();
    await run(cluster, [manifest('a', spec('x'))]);
    cluster.ignoreOnUpdate.add('a');
    const result = await run(cluster, [manifest('a', spec('y'))]);
    expect(result.results[0]).toMatchObject({
      outcome: 'failed',
      message: 'Elasticsearch accepted the request but did not apply task_settings.user',
      error: { code: 'not_applied' },
      unapplied: ['/task_settings/user'],
    });
  });

  it('one failure does not stop the others, and never throws', async () => {
    const cluster = new FakeCluster();
    cluster.failPut.add('b');
    const result = await run(cluster, [
      manifest('a', spec('x')),
      manifest('b', spec('x')),
      manifest('c', spec('x')),
    ]);
    expect(result.results.map((r) => `${r.id} ${r.outcome}`)).toEqual([
      'a succeeded',
      'b failed',
      'c succeeded',
    ]);
    expect(result.summary).toEqual({ succeeded: 2, failed: 1, skipped: 0, 'not-executed': 0 });
    expect(result.results[1]!.message).toBe('provider rejected b');
  });

  it('a replacement whose create fails says how to recover', async () => {
    const cluster = new FakeCluster();
    await run(cluster, [manifest('a', spec('x'))]);
    cluster.failPut.add('a');
    const replaced = manifest('a', spec('x').replace('gpt-4o', 'gpt-4o-mini'));
    const result = await run(cluster, [replaced]);
    expect(result.results[0]!.outcome).toBe('failed');
    expect(result.results[0]!.message).toContain(
      'the old endpoint was deleted and the new one was not created: run inferctl apply again',
    );
    expect(cluster.log.slice(-2)).toEqual(['DELETE a', 'PUT a']);
  });

  it('keeps at most --concurrency changes in flight', async () => {
    const cluster = new FakeCluster();
    const many = Array.from({ length: 12 }, (_, i) => manifest(`e${String(i).padStart(2, '0')}`, spec('x')));
    const result = await run(cluster, many, { concurrency: 3 });
    expect(result.summary.succeeded).toBe(12);
    expect(cluster.maxInFlight).toBe(3);
  });

  it('after an interrupt, starts nothing new: the rest are not executed', async () => {
    const cluster = new FakeCluster();
    const controller = new AbortController();
    const many = Array.from({ length: 5 }, (_, i) => manifest(`e${i}`, spec('x')));
    const result = await run(cluster, many, {
      concurrency: 1,
      signal: controller.signal,
      onEvent: (e) => e.type === 'written' && e.id === 'e1' && controller.abort(),
    });
    expect(result.results.map((r) => r.outcome)).toEqual([
      'succeeded',
      'succeeded',
      'not-executed',
      'not-executed',
      'not-executed',
    ]);
  });

  it('blocked changes are skipped', async () => {
    const cluster = new FakeCluster();
    await run(cluster, [manifest('a', spec('x'))]);
    const replaced = manifest('a', spec('x').replace('gpt-4o', 'gpt-4o-mini'), { protect: true });
    const result = await run(cluster, [replaced]);
    expect(result.results[0]).toMatchObject({ outcome: 'skipped', error: { code: 'blocked' } });
    expect(cluster.log.filter((l) => l.startsWith('DELETE'))).toEqual([]);
  });

  describe('in-cluster endpoints wait for their deployment', () => {
    const e5 = manifest(
      'e5',
      `
task_type: text_embedding
service: elasticsearch
service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: 2 }
`,
    );
    const stats = (state: string, count: number): DeploymentStats => ({
      deployment_id: 'e5',
      model_id: '.multilingual-e5-small_linux-x86_64',
      state: 'started',
      allocation_status: { state, allocation_count: count, target_allocation_count: 2 },
    });

    it('until fully allocated, reporting progress once per state', async () => {
      const cluster = new FakeCluster();
      cluster.stats.set('e5', [
        stats('starting', 0),
        stats('starting', 0),
        stats('started', 1),
        stats('fully_allocated', 2),
      ]);
      const waits: string[] = [];
      let clock = 0;
      const result = await run(cluster, [e5], {
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
        onEvent: (e) => e.type === 'waiting' && waits.push(e.detail),
      });
      expect(result.results[0]!.outcome).toBe('succeeded');
      expect(waits).toEqual(['starting, 0/2 allocations', 'started, 1/2 allocations']);
    });

    it('and fail honestly at the timeout, saying the endpoint exists', async () => {
      const cluster = new FakeCluster();
      cluster.stats.set('e5', [stats('starting', 0)]);
      let clock = 0;
      const result = await run(cluster, [e5], {
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
        waitTimeoutMs: 10_000,
      });
      expect(result.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'not_ready' } });
      expect(result.results[0]!.error!.hint).toContain('the endpoint exists');
    });

    it('an endpoint with deployment_id waits on that deployment, not on one named after the endpoint', async () => {
      const attached = manifest(
        'e5-search',
        `
task_type: text_embedding
service: elasticsearch
service_settings: { deployment_id: my-e5-deployment }
`,
      );
      const cluster = new FakeCluster();
      cluster.stats.set('my-e5-deployment', [stats('fully_allocated', 2)]);
      let clock = 0;
      const result = await run(cluster, [attached], {
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
        waitTimeoutMs: 10_000,
      });
      expect(result.results[0]!.outcome).toBe('succeeded');
      expect(clock).toBe(0); // ready at the first poll: no waiting out the timeout
    });
  });
});

describe('readiness', () => {
  it('follows the documented rule, and adaptive allocations that may scale to zero', () => {
    const base = { deployment_id: 'd', model_id: 'm' };
    expect(readiness(undefined).ready).toBe(false);
    expect(
      readiness({
        ...base,
        state: 'started',
        allocation_status: { state: 'fully_allocated', allocation_count: 1, target_allocation_count: 1 },
      }).ready,
    ).toBe(true);
    expect(
      readiness({
        ...base,
        state: 'started',
        allocation_status: { state: 'started', allocation_count: 1, target_allocation_count: 2 },
      }).ready,
    ).toBe(false);
    expect(
      readiness({
        ...base,
        state: 'started',
        adaptive_allocations: { enabled: true, min_number_of_allocations: 0 },
        allocation_status: { state: 'started', allocation_count: 0, target_allocation_count: 0 },
      }).ready,
    ).toBe(true);
    expect(readiness({ ...base, state: 'failed', reason: 'out of memory' })).toEqual({
      ready: false,
      failed: true,
      detail: 'out of memory',
    });
  });
});

describe('a replacement whose create fails', () => {
  const original = manifest('r', spec('x'));
  const remodelled = manifest('r', spec('x').replace('gpt-4o', 'gpt-4o-mini'));

  async function setUp() {
    const cluster = new FakeCluster();
    await run(cluster, [original]);
    const previous = new Map(cluster.endpoints);
    let failed = false;
    const put = cluster.putEndpoint.bind(cluster);
    cluster.putEndpoint = async (t, id, body) => {
      if (!failed) {
        failed = true;
        throw new InferctlError('bad_request', 'provider rejected the new model');
      }
      return put(t, id, body);
    };
    return { cluster, previous };
  }

  it('says exactly what request restores the old configuration, secrets as references', async () => {
    const { cluster, previous } = await setUp();
    const result = await run(cluster, [remodelled], { previous });
    expect(result.results[0]!.outcome).toBe('failed');
    expect(result.results[0]!.message).toContain(
      'to restore it: PUT _inference/completion/r {"service":"openai","service_settings":{"model_id":"gpt-4o","api_key":"<env OPENAI_API_KEY>"},"task_settings":{"user":"x"}}',
    );
    expect(result.results[0]!.message).not.toContain('sk-openai-canary');
    expect(cluster.endpoints.has('r')).toBe(false);
  });

  it('restores it with --rollback-on-failure', async () => {
    const { cluster, previous } = await setUp();
    const result = await run(cluster, [remodelled], { previous, rollbackOnFailure: true });
    expect(result.results[0]!.message).toContain(
      'the previous configuration was restored (--rollback-on-failure)',
    );
    expect(result.results[0]!.requests).toEqual(['DELETE', 'PUT', 'PUT (rollback)']);
    expect(cluster.endpoints.get('r')!.service_settings['model_id']).toBe('gpt-4o');
  });

  it('an endpoint Elasticsearch stored although its PUT failed is noticed (issue #137127)', async () => {
    const cluster = new FakeCluster();
    const put = cluster.putEndpoint.bind(cluster);
    cluster.putEndpoint = async (t, id, body) => {
      await put(t, id, body);
      throw new InferctlError(
        'bad_request',
        '[number_of_allocations] cannot be set if adaptive allocations is enabled',
      );
    };
    const result = await run(cluster, [manifest('stored', spec('x'))]);
    expect(result.results[0]!.message).toContain('Elasticsearch stored the endpoint anyway (issue #137127)');
  });
});
