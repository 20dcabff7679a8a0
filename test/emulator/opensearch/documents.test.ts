// The index and document APIs on the OpenSearch emulator (inferctl's inventory and lock): Elasticsearch 7.10's,
// which OpenSearch kept — shared code with the Elasticsearch emulator, in the 7.10 dialect where they differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterLock } from '../../../src/inventory/cluster.js';
import { openSearchVersionId } from '../../../src/emulator/opensearch/state.js';
import { os, type Os } from './helpers.js';

describe('OpenSearch emulator: index and document APIs', () => {
  let c: Os;
  beforeAll(async () => {
    c = await os('2.19.0');
  });
  afterAll(async () => c.close());

  it('creates an index with a strict mapping and _meta, and prints OpenSearch version ids', async () => {
    const created = await c.req('PUT', '/inv', {
      settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
      mappings: {
        dynamic: 'strict',
        _meta: { inferctl: { salt: 's' } },
        properties: { k: { type: 'keyword' } },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'inv' });
    const again = await c.req('PUT', '/inv', {});
    expect(again.status).toBe(400);
    expect(again.body.error.type).toBe('resource_already_exists_exception');
    const got = await c.req('GET', '/inv');
    expect(got.body.inv.mappings._meta).toEqual({ inferctl: { salt: 's' } });
    expect(got.body.inv.settings.index.version.created).toBe('136407827');
    expect((await c.req('HEAD', '/inv')).status).toBe(200);
    expect((await c.req('HEAD', '/nope')).status).toBe(404);
    // No x-elastic-product header on OpenSearch, whatever the API.
    expect(got.headers.get('x-elastic-product')).toBeNull();
  });

  it('refuses an unmapped field under dynamic: strict in the 7.10 wording (no location)', async () => {
    const res = await c.req('PUT', '/inv/_doc/a', { k: 'x', other: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'strict_dynamic_mapping_exception',
      reason: 'mapping set to strict, dynamic introduction of [other] within [_doc] is not allowed',
    });
  });

  it('has _create, if_seq_no concurrency and search_after paging after a refresh', async () => {
    const first = await c.req('PUT', '/inv/_create/lock', { k: 'one' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ _index: 'inv', _id: 'lock', result: 'created', _primary_term: 1 });
    const second = await c.req('PUT', '/inv/_create/lock', { k: 'two' });
    expect(second.status).toBe(409);
    expect(second.body.error.type).toBe('version_conflict_engine_exception');
    const stale = await c.req('PUT', `/inv/_doc/lock?if_seq_no=${first.body._seq_no + 5}&if_primary_term=1`, {
      k: 'three',
    });
    expect(stale.status).toBe(409);
    for (const k of ['b', 'c', 'd']) await c.req('PUT', `/inv/_doc/${k}`, { k });
    await c.req('POST', '/inv/_refresh');
    const page = await c.req('POST', '/inv/_search', {
      size: 2,
      sort: [{ k: 'asc' }],
      query: { match_all: {} },
    });
    expect(page.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['b', 'c']);
    const next = await c.req('POST', '/inv/_search', {
      size: 2,
      sort: [{ k: 'asc' }],
      search_after: page.body.hits.hits[1].sort,
    });
    expect(next.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['d', 'lock']);
  });

  it('serves inferctl’s lease lock: a second run waits, then times out naming the holder', async () => {
    const lock = new ClusterLock({ raw: rawOf(c) }, 'lease');
    const run = { owner: 'ci', host: 'h', pid: 1, command: 'inferctl apply' };
    const held = await lock.acquire(run, { timeoutMs: 0, ttlMs: 60_000 });
    await expect(
      new ClusterLock({ raw: rawOf(c) }, 'lease').acquire(
        { ...run, pid: 2 },
        { timeoutMs: 0, ttlMs: 60_000 },
      ),
    ).rejects.toThrow(/another inferctl run holds the lock: ci on h \(pid 1/);
    await held.release();
    expect((await c.req('GET', '/lease/_doc/lock')).status).toBe(404);
  });

  it('computes OpenSearch version ids as Version.id does', () => {
    expect(openSearchVersionId('2.11.0')).toBe('136327827');
    expect(openSearchVersionId('3.1.0')).toBe(String(3_010_099 ^ 0x08000000));
  });
});

function rawOf(c: Os) {
  return async (
    method: string,
    path: string,
    options: { body?: unknown; accept?: readonly number[] } = {},
  ) => {
    const res = await c.req(method, path, options.body);
    if (res.status >= 400 && !(options.accept ?? []).includes(res.status))
      throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return { status: res.status, body: res.body as unknown };
  };
}
