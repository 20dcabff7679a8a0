/**
 * Aliases, `require_alias` and `PUT /{index}/_mapping` in both emulators: what inferctl's inventory relies on so that
 * a deleted inventory index is never re-created by a write with a dynamic mapping. Elasticsearch added
 * `require_alias` in 7.10 (elastic/elasticsearch#58917); OpenSearch forked 7.10 and kept it
 * (TransportBulkAction / TransportUpdateAction: "[require_alias] request flag is [true] and [x] is not an alias").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es } from './helpers.js';
import { os } from './opensearch/helpers.js';

const servers = [
  { name: 'Elasticsearch 9.1.0', start: () => es('9.1.0') },
  { name: 'OpenSearch 2.19.0', start: () => os('2.19.0') },
];

for (const server of servers) {
  describe(`aliases on ${server.name}`, () => {
    let e: Awaited<ReturnType<(typeof servers)[number]['start']>>;
    beforeAll(async () => {
      e = await server.start();
    });
    afterAll(() => e.close());

    it('creates an index with an alias; GET and HEAD resolve the alias to the concrete index', async () => {
      const created = await e.req('PUT', '/inv-v1', {
        mappings: { dynamic: 'strict', properties: { id: { type: 'keyword' } } },
        aliases: { 'inv-w': {} },
      });
      expect(created.status).toBe(200);
      const got = await e.req('GET', '/inv-w');
      expect(Object.keys(got.body)).toEqual(['inv-v1']);
      expect(got.body['inv-v1'].aliases).toEqual({ 'inv-w': {} });
      expect((await e.req('HEAD', '/inv-w')).status).toBe(200);
    });

    it('writes through the alias with require_alias=true; reads by either name', async () => {
      const put = await e.req('PUT', '/inv-w/_doc/a?require_alias=true', { id: 'a' });
      expect(put.status).toBe(201);
      expect(put.body._index).toBe('inv-v1');
      expect((await e.req('GET', '/inv-v1/_doc/a')).body._source).toEqual({ id: 'a' });
      expect((await e.req('GET', '/inv-w/_doc/a')).body._source).toEqual({ id: 'a' });
    });

    it('require_alias=true refuses a concrete index, and a missing name is not auto-created', async () => {
      const concrete = await e.req('PUT', '/inv-v1/_doc/b?require_alias=true', { id: 'b' });
      expect(concrete.status).toBe(404);
      expect(concrete.body.error.type).toBe('index_not_found_exception');
      expect(concrete.body.error.reason).toBe(
        'no such index [inv-v1] and [require_alias] request flag is [true] and [inv-v1] is not an alias',
      );
      expect((await e.req('DELETE', '/inv-v1')).status).toBe(200);
      const gone = await e.req('PUT', '/inv-w/_doc/c?require_alias=true', { id: 'c', extra: 1 });
      expect(gone.status).toBe(404);
      expect((await e.req('HEAD', '/inv-w')).status).toBe(404);
      // Without the flag, the same write auto-creates an index with a dynamic mapping: what inferctl must avoid.
      expect((await e.req('PUT', '/inv-w/_doc/c', { id: 'c', extra: 1 })).status).toBe(201);
      expect((await e.req('GET', '/inv-w')).body['inv-w'].mappings.properties.extra).toBeDefined();
    });

    it('an alias cannot be named like an index; POST /_aliases adds one to an existing index', async () => {
      await e.req('PUT', '/old-inv', { mappings: { properties: { id: { type: 'keyword' } } } });
      const clash = await e.req('POST', '/_aliases', {
        actions: [{ add: { index: 'old-inv', alias: 'inv-w' } }],
      });
      expect(clash.status).toBe(400);
      expect(clash.body.error.type).toBe('invalid_alias_name_exception');
      const added = await e.req('POST', '/_aliases', {
        actions: [{ add: { index: 'old-inv', alias: 'old-inv-w' } }],
      });
      expect(added.body).toEqual({ acknowledged: true });
      expect((await e.req('PUT', '/old-inv-w/_doc/x?require_alias=true', { id: 'x' })).status).toBe(201);
    });

    it('PUT /{index}/_mapping adds fields and replaces _meta; a type change is refused', async () => {
      await e.req('PUT', '/m1', {
        mappings: { dynamic: 'strict', _meta: { a: 1 }, properties: { id: { type: 'keyword' } } },
      });
      const put = await e.req('PUT', '/m1/_mapping', {
        _meta: { b: 2 },
        properties: { project: { type: 'keyword' } },
      });
      expect(put.body).toEqual({ acknowledged: true });
      const mappings = (await e.req('GET', '/m1')).body.m1.mappings;
      expect(mappings._meta).toEqual({ b: 2 });
      expect(mappings.properties).toEqual({ id: { type: 'keyword' }, project: { type: 'keyword' } });
      expect(mappings.dynamic).toBe('strict');
      const change = await e.req('PUT', '/m1/_mapping', { properties: { id: { type: 'long' } } });
      expect(change.status).toBe(400);
      expect(change.body.error.reason).toBe('mapper [id] cannot be changed from type [keyword] to [long]');
    });
  });
}
