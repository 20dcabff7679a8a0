/**
 * The document APIs behind inferctl's inventory and lock: index creation with
 * strict mappings, index / create / get / delete / update / search / refresh with Elasticsearch's response shapes,
 * version map and `if_seq_no` concurrency, exact error texts — over HTTP, with the official client, and with a fake
 * clock through `handle()` for near-real-time search.
 */
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorState, handle, startEmulator, type EmuRequest } from '../../src/emulator/index.js';
import { es, type Es } from './helpers.js';

const LOCK_MAPPING = {
  dynamic: 'strict',
  properties: {
    owner: { type: 'keyword' },
    expires_at: { type: 'date' },
    heartbeat: { type: 'date' },
    meta: { properties: { host: { type: 'keyword' } } },
  },
};

function conflictEnvelope(reason: string, index: string, uuid: string) {
  const cause = { type: 'version_conflict_engine_exception', reason, index_uuid: uuid, shard: '0', index };
  return { error: { root_cause: [cause], ...cause }, status: 409 };
}

for (const version of ['8.12.2', '9.1.0']) {
  describe(`indices and documents on ${version}`, () => {
    let e: Es;
    let uuid: string;
    beforeAll(async () => {
      e = await es(version);
    });
    afterAll(() => e.close());

    it('PUT /{index} with a strict mapping and settings; GET, HEAD', async () => {
      const res = await e.req('PUT', '/locks', {
        settings: { number_of_replicas: 0 },
        mappings: LOCK_MAPPING,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'locks' });
      const got = await e.req('GET', '/locks');
      expect(got.body.locks.mappings).toEqual(LOCK_MAPPING);
      expect(got.body.locks.settings.index).toMatchObject({
        number_of_shards: '1',
        number_of_replicas: '0',
        provided_name: 'locks',
      });
      uuid = got.body.locks.settings.index.uuid as string;
      expect((await e.req('HEAD', '/locks')).status).toBe(200);
      expect((await e.req('HEAD', '/nope')).status).toBe(404);
    });

    it('a second create is 400 resource_already_exists_exception "index [name/uuid] already exists"', async () => {
      const res = await e.req('PUT', '/locks', { mappings: LOCK_MAPPING });
      const cause = {
        type: 'resource_already_exists_exception',
        reason: `index [locks/${uuid}] already exists`,
        index_uuid: uuid,
        index: 'locks',
      };
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { root_cause: [cause], ...cause }, status: 400 });
    });

    it('index names are validated in ES order (invalid_index_name_exception)', async () => {
      const cases: [string, string][] = [
        ['Upper', 'must be lowercase'],
        ['_x', "must not start with '_', '-', or '+'"],
        ['-x', "must not start with '_', '-', or '+'"],
        ['a%23b', "must not contain '#'"],
        ['a:b', "must not contain ':'"],
        ['a%20b', 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]'],
        ['x'.repeat(256), 'index name is too long, (256 > 255)'],
      ];
      for (const [raw, why] of cases) {
        const name = decodeURIComponent(raw);
        const res = await e.req('PUT', `/${raw}`);
        expect(res.status, raw).toBe(400);
        expect(res.body.error, raw).toMatchObject({
          type: 'invalid_index_name_exception',
          reason: `Invalid index name [${name}], ${why}`,
          index_uuid: '_na_',
          index: name,
        });
      }
    });

    it('404 index_not_found_exception with resource fields, for index and document APIs', async () => {
      const cause = {
        type: 'index_not_found_exception',
        reason: 'no such index [ghost]',
        'resource.type': 'index_or_alias',
        'resource.id': 'ghost',
        index_uuid: '_na_',
        index: 'ghost',
      };
      const expected = { error: { root_cause: [cause], ...cause }, status: 404 };
      for (const [method, path] of [
        ['GET', '/ghost'],
        ['DELETE', '/ghost'],
        ['GET', '/ghost/_doc/1'],
        ['DELETE', '/ghost/_doc/1'],
        ['POST', '/ghost/_search'],
        ['POST', '/ghost/_refresh'],
      ] as const) {
        const res = await e.req(method, path);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body, `${method} ${path}`).toEqual(expected);
      }
      // A delete never auto-creates the index.
      expect((await e.req('HEAD', '/ghost')).status).toBe(404);
      expect((await e.req('HEAD', '/ghost/_doc/1')).status).toBe(404);
    });

    it('index: 201 created with Location, then 200 updated; _version per document, _seq_no per index', async () => {
      const doc = { owner: 'run-1', expires_at: '2026-01-01T00:00:00Z' };
      const first = await e.req('PUT', '/locks/_doc/apply', doc);
      expect(first.status).toBe(201);
      expect(first.headers.get('location')).toBe('/locks/_doc/apply');
      expect(first.text).toBe(
        '{"_index":"locks","_id":"apply","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1}',
      );
      const second = await e.req('POST', '/locks/_doc/apply', { ...doc, owner: 'run-2' });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ result: 'updated', _version: 2, _seq_no: 1, _primary_term: 1 });
      const other = await e.req('PUT', '/locks/_doc/other', doc);
      expect(other.body).toMatchObject({ _version: 1, _seq_no: 2 });
      // Another index has its own sequence; replicas default to 1 → _shards.total 2.
      const inv = await e.req('PUT', '/inventory/_doc/a', { x: 1 });
      expect(inv.body).toMatchObject({ _seq_no: 0, _shards: { total: 2, successful: 1, failed: 0 } });
    });

    it('GET /{index}/_doc/{id}: found and not found', async () => {
      const got = await e.req('GET', '/locks/_doc/apply');
      expect(got.text).toBe(
        '{"_index":"locks","_id":"apply","_version":2,"_seq_no":1,"_primary_term":1,"found":true,"_source":{"owner":"run-2","expires_at":"2026-01-01T00:00:00Z"}}',
      );
      const missing = await e.req('GET', '/locks/_doc/nope');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ _index: 'locks', _id: 'nope', found: false });
      expect((await e.req('GET', '/locks/_doc/apply?_source=false')).body).not.toHaveProperty('_source');
      expect((await e.req('HEAD', '/locks/_doc/apply')).status).toBe(200);
      expect((await e.req('HEAD', '/locks/_doc/nope')).status).toBe(404);
    });

    it('_create and op_type=create: 409 "document already exists (current version [N])"', async () => {
      const reason = '[apply]: version conflict, document already exists (current version [2])';
      for (const [method, path] of [
        ['PUT', '/locks/_create/apply'],
        ['POST', '/locks/_create/apply'],
        ['PUT', '/locks/_doc/apply?op_type=create'],
      ] as const) {
        const res = await e.req(method, path, { owner: 'intruder' });
        expect(res.status).toBe(409);
        expect(res.body).toEqual(conflictEnvelope(reason, 'locks', uuid));
      }
      const created = await e.req('PUT', '/locks/_create/fresh', { owner: 'x' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ result: 'created', _version: 1 });
      const bad = await e.req('PUT', '/locks/_create/x?op_type=index', { owner: 'x' });
      expect(bad.body.error).toMatchObject({
        type: 'illegal_argument_exception',
        reason: "opType must be 'create', found: [index]",
      });
      const worse = await e.req('PUT', '/locks/_doc/x?op_type=upsert', { owner: 'x' });
      expect(worse.body.error.reason).toBe("opType must be 'create' or 'index', found: [upsert]");
      // A failed write takes no _seq_no.
      expect((await e.req('GET', '/locks/_doc/fresh')).body._seq_no).toBe(3);
    });

    it('if_seq_no / if_primary_term: match wins, stale and missing are 409 with ES wording', async () => {
      const current = (await e.req('GET', '/locks/_doc/apply')).body;
      const ok = await e.req(
        'PUT',
        `/locks/_doc/apply?if_seq_no=${current._seq_no}&if_primary_term=${current._primary_term}`,
        { owner: 'run-3' },
      );
      expect(ok.status).toBe(200);
      const stale = await e.req('PUT', `/locks/_doc/apply?if_seq_no=${current._seq_no}&if_primary_term=1`, {
        owner: 'late',
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual(
        conflictEnvelope(
          `[apply]: version conflict, required seqNo [${current._seq_no}], primary term [1]. current document has seqNo [${ok.body._seq_no}] and primary term [1]`,
          'locks',
          uuid,
        ),
      );
      const wrongTerm = await e.req(
        'PUT',
        `/locks/_doc/apply?if_seq_no=${ok.body._seq_no}&if_primary_term=2`,
        {
          owner: 'x',
        },
      );
      expect(wrongTerm.body.error.reason).toBe(
        `[apply]: version conflict, required seqNo [${ok.body._seq_no}], primary term [2]. current document has seqNo [${ok.body._seq_no}] and primary term [1]`,
      );
      const missing = await e.req('PUT', '/locks/_doc/none?if_seq_no=0&if_primary_term=1', { owner: 'x' });
      expect(missing.status).toBe(409);
      expect(missing.body.error.reason).toBe(
        '[none]: version conflict, required seqNo [0], primary term [1]. but no document was found',
      );
    });

    it('request validation: action_request_validation_exception texts', async () => {
      const v = (reason: string) => ({
        error: {
          root_cause: [{ type: 'action_request_validation_exception', reason }],
          type: 'action_request_validation_exception',
          reason,
        },
        status: 400,
      });
      expect((await e.req('PUT', '/locks/_doc/a?if_seq_no=1', { owner: 'x' })).body).toEqual(
        v('Validation Failed: 1: ifSeqNo is set, but primary term is [0];'),
      );
      expect((await e.req('PUT', '/locks/_doc/a?if_primary_term=3', { owner: 'x' })).body).toEqual(
        v('Validation Failed: 1: ifSeqNo is unassigned, but primary term is [3];'),
      );
      expect(
        (await e.req('PUT', '/locks/_create/a?if_seq_no=1&if_primary_term=1', { owner: 'x' })).body,
      ).toEqual(
        v('Validation Failed: 1: create operations do not support compare and set. use index instead;'),
      );
      const long = 'i'.repeat(513);
      expect((await e.req('PUT', `/locks/_doc/${long}`, { owner: 'x' })).body).toEqual(
        v(`Validation Failed: 1: id [${long}] is too long, must be no longer than 512 bytes but was: 513;`),
      );
      expect(
        (await e.req('PUT', '/locks/_doc/a?if_seq_no=x&if_primary_term=1', { owner: 'x' })).body.error,
      ).toMatchObject({
        type: 'illegal_argument_exception',
        reason: 'Failed to parse long parameter [if_seq_no] with value [x]',
      });
      expect((await e.req('PUT', '/locks/_doc/a?refresh=soon', { owner: 'x' })).body.error.reason).toBe(
        'Unknown value for refresh: [soon].',
      );
      expect((await e.req('PUT', '/locks/_doc/a')).body.error).toMatchObject({
        type: 'parse_exception',
        reason: 'request body is required',
      });
      expect((await e.req('PUT', '/locks/_doc/a?version=3', { owner: 'x' })).body.error.reason).toContain(
        'unrecognized parameter: [version]',
      );
    });

    it('strict mapping: strict_dynamic_mapping_exception at the value token, with the object path', async () => {
      const s = (reason: string) => ({
        error: {
          root_cause: [{ type: 'strict_dynamic_mapping_exception', reason }],
          type: 'strict_dynamic_mapping_exception',
          reason,
        },
        status: 400,
      });
      const top = await e.req('PUT', '/locks/_doc/s', '{"owner":"a","secret":"x"}');
      expect(top.status).toBe(400);
      expect(top.body).toEqual(
        s('[1:23] mapping set to strict, dynamic introduction of [secret] within [_doc] is not allowed'),
      );
      const nested = await e.req(
        'PUT',
        '/locks/_doc/s',
        '{\n  "meta": {\n    "host": "h",\n    "pid": 7\n  }\n}',
      );
      expect(nested.body).toEqual(
        s('[4:12] mapping set to strict, dynamic introduction of [pid] within [meta] is not allowed'),
      );
      const obj = await e.req('PUT', '/locks/_doc/s', '{"extra": {"a": 1}}');
      expect(obj.body.error.reason).toBe(
        '[1:11] mapping set to strict, dynamic introduction of [extra] within [_doc] is not allowed',
      );
      const nul = await e.req('PUT', '/locks/_doc/s', '{"gone":null}');
      expect(nul.body.error.reason).toBe(
        '[1:9] mapping set to strict, dynamic introduction of [gone] within [_doc] is not allowed',
      );
      // Nothing was written and the mapping did not change.
      expect((await e.req('GET', '/locks/_doc/s')).status).toBe(404);
      expect((await e.req('GET', '/locks')).body.locks.mappings).toEqual(LOCK_MAPPING);
      const concrete = await e.req('PUT', '/locks/_doc/s', '{"meta":"x"}');
      expect(concrete.body.error).toMatchObject({
        type: 'document_parsing_exception',
        reason:
          '[1:9] object mapping for [meta] tried to parse field [meta] as object, but found a concrete value',
      });
    });

    it('auto-create on write with dynamic mapping; dynamic: false keeps unmapped fields in _source only', async () => {
      const res = await e.req('PUT', '/auto/_doc/1', {
        name: 'x',
        count: 3,
        ratio: 0.5,
        ok: true,
        at: '2026-02-03T04:05:06Z',
        nested: { k: 'v' },
      });
      expect(res.status).toBe(201);
      const mapping = (await e.req('GET', '/auto')).body.auto.mappings;
      expect(mapping).toEqual({
        properties: {
          name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
          count: { type: 'long' },
          ratio: { type: 'float' },
          ok: { type: 'boolean' },
          at: { type: 'date' },
          nested: {
            properties: { k: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } },
          },
        },
      });
      const bad = await e.req('PUT', '/Auto/_doc/1', { a: 1 });
      expect(bad.body.error).toMatchObject({
        type: 'invalid_index_name_exception',
        reason: 'Invalid index name [Auto], must be lowercase',
      });
      await e.req('PUT', '/loose', { mappings: { dynamic: false, properties: { a: { type: 'keyword' } } } });
      expect((await e.req('PUT', '/loose/_doc/1', { a: 'x', b: 'y' })).status).toBe(201);
      expect((await e.req('GET', '/loose')).body.loose.mappings.properties).toEqual({
        a: { type: 'keyword' },
      });
      expect((await e.req('GET', '/loose/_doc/1')).body._source).toEqual({ a: 'x', b: 'y' });
    });

    it('DELETE: deleted, then not_found (404) with a _seq_no; the tombstone keeps the version', async () => {
      await e.req('PUT', '/del', { mappings: { properties: { v: { type: 'keyword' } } } });
      await e.req('PUT', '/del/_doc/d', { v: 'a' });
      const gone = await e.req('DELETE', '/del/_doc/d');
      expect(gone.status).toBe(200);
      expect(gone.text).toBe(
        '{"_index":"del","_id":"d","_version":2,"result":"deleted","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1}',
      );
      const again = await e.req('DELETE', '/del/_doc/d');
      expect(again.status).toBe(404);
      expect(again.body).toMatchObject({ result: 'not_found', _version: 3, _seq_no: 2 });
      const back = await e.req('PUT', '/del/_create/d', { v: 'b' });
      expect(back.body).toMatchObject({ result: 'created', _version: 4, _seq_no: 3 });
      const cas = await e.req('DELETE', '/del/_doc/d?if_seq_no=0&if_primary_term=1');
      expect(cas.status).toBe(409);
      expect(cas.body.error.reason).toBe(
        '[d]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [3] and primary term [1]',
      );
      const ok = await e.req('DELETE', '/del/_doc/d?if_seq_no=3&if_primary_term=1');
      expect(ok.body.result).toBe('deleted');
      const none = await e.req('DELETE', '/del/_doc/d?if_seq_no=4&if_primary_term=1');
      expect(none.body.error.reason).toBe(
        '[d]: version conflict, required seqNo [4], primary term [1]. but no document was found',
      );
    });

    it('_update: partial doc, noop, document_missing_exception, doc_as_upsert, CAS', async () => {
      await e.req('PUT', '/upd/_doc/1', { a: { b: 1, c: 2 }, d: 'x' });
      const res = await e.req('POST', '/upd/_update/1', { doc: { a: { b: 5 } } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ result: 'updated', _version: 2, _seq_no: 1 });
      expect((await e.req('GET', '/upd/_doc/1')).body._source).toEqual({ a: { b: 5, c: 2 }, d: 'x' });
      const noop = await e.req('POST', '/upd/_update/1', { doc: { d: 'x' } });
      expect(noop.body).toEqual({
        _index: 'upd',
        _id: '1',
        _version: 2,
        result: 'noop',
        _shards: { total: 0, successful: 0, failed: 0 },
        _seq_no: 1,
        _primary_term: 1,
      });
      const missing = await e.req('POST', '/upd/_update/2', { doc: { d: 'y' } });
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({
        type: 'document_missing_exception',
        reason: '[2]: document missing',
        shard: '0',
        index: 'upd',
      });
      const upsert = await e.req('POST', '/upd/_update/2', { doc: { d: 'y' }, doc_as_upsert: true });
      expect(upsert.status).toBe(201);
      const stale = await e.req('POST', '/upd/_update/1?if_seq_no=0&if_primary_term=1', { doc: { d: 'z' } });
      expect(stale.status).toBe(409);
      expect((await e.req('POST', '/upd/_update/1', {})).body.error.reason).toBe(
        'Validation Failed: 1: script or doc is missing;',
      );
      await e.req('PUT', '/locks/_doc/u', { owner: 'x' });
      const strict = await e.req('POST', '/locks/_update/u', { doc: { nope: 1 } });
      expect(strict.body.error.reason).toBe(
        '[1:21] mapping set to strict, dynamic introduction of [nope] within [_doc] is not allowed',
      );
    });
  });
}

describe('two racing writers', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
    await e.req('PUT', '/lock', { mappings: LOCK_MAPPING });
  });
  afterAll(() => e.close());

  it('with the same if_seq_no: exactly one wins, the other gets 409', async () => {
    await e.req('PUT', '/lock/_doc/l', { owner: 'nobody' });
    for (let round = 0; round < 20; round++) {
      const { _seq_no: seq, _primary_term: term } = (await e.req('GET', '/lock/_doc/l')).body;
      const results = await Promise.all(
        ['a', 'b', 'c'].map((owner) =>
          e.req('PUT', `/lock/_doc/l?if_seq_no=${seq}&if_primary_term=${term}&refresh=wait_for`, { owner }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      const winner = results.find((r) => r.status === 200);
      const stored = (await e.req('GET', '/lock/_doc/l')).body;
      expect(stored._seq_no).toBe(winner?.body._seq_no);
    }
  });

  it('with _create: exactly one acquires the lease', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => e.req('PUT', '/lock/_create/lease', { owner: `run-${i}` })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });
});

describe('_search', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
    await e.req('PUT', '/inv', {
      mappings: {
        dynamic: 'strict',
        properties: {
          id: { type: 'keyword' },
          kind: { type: 'keyword' },
          n: { type: 'long' },
          text: { type: 'text' },
        },
      },
    });
    for (const [id, kind, n] of [
      ['c', 'endpoint', 3],
      ['a', 'endpoint', 1],
      ['b', 'lock', 2],
    ] as const)
      await e.req('PUT', `/inv/_doc/${id}`, { id, kind, n, text: `Hello ${id}` });
    await e.req('POST', '/inv/_refresh');
  });
  afterAll(() => e.close());

  it('match_all: the hits envelope, doc order, constant score', async () => {
    const res = await e.req('POST', '/inv/_search', { query: { match_all: {} } });
    expect(res.body).toEqual({
      took: expect.any(Number),
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: 3, relation: 'eq' },
        max_score: 1,
        hits: ['c', 'a', 'b'].map((id) => ({
          _index: 'inv',
          _id: id,
          _score: 1,
          _source: expect.objectContaining({ id }),
        })),
      },
    });
    expect((await e.req('GET', '/inv/_search')).body.hits.total.value).toBe(3);
    expect((await e.req('GET', '/_search')).body.hits.total.value).toBe(3);
  });

  it('term, terms, ids; size; sort on keyword; seq_no_primary_term and version', async () => {
    const term = await e.req('POST', '/inv/_search', { query: { term: { kind: 'endpoint' } } });
    expect(term.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['c', 'a']);
    // BM25 on a keyword field: idf(docFreq 2, docCount 3) / 2.2.
    expect(term.body.hits.max_score).toBeCloseTo(Math.log(1 + 1.5 / 2.5) / 2.2, 5);
    const terms = await e.req('POST', '/inv/_search', {
      query: { terms: { kind: ['lock', 'other'] } },
    });
    expect(terms.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['b']);
    const ids = await e.req('POST', '/inv/_search', { query: { ids: { values: ['a', 'b', 'zz'] } } });
    expect(ids.body.hits.total.value).toBe(2);
    const sorted = await e.req('POST', '/inv/_search?size=2', {
      sort: [{ id: { order: 'desc' } }],
      seq_no_primary_term: true,
      version: true,
      _source: false,
    });
    expect(sorted.body.hits).toEqual({
      total: { value: 3, relation: 'eq' },
      max_score: null,
      hits: [
        { _index: 'inv', _id: 'c', _version: 1, _seq_no: 0, _primary_term: 1, _score: null, sort: ['c'] },
        { _index: 'inv', _id: 'b', _version: 1, _seq_no: 2, _primary_term: 1, _score: null, sort: ['b'] },
      ],
    });
    const asc = await e.req('POST', '/inv/_search', { sort: ['id'], size: 1, from: 1 });
    expect(asc.body.hits.hits.map((h: { _id: string }) => h._id)).toEqual(['b']);
    const byNumber = await e.req('POST', '/inv/_search', { sort: { n: 'desc' } });
    expect(byNumber.body.hits.hits.map((h: { sort: unknown[] }) => h.sort[0])).toEqual([3, 2, 1]);
  });

  it('search errors: unmapped / text sort, unknown query, unknown key', async () => {
    const unmapped = await e.req('POST', '/inv/_search', { sort: ['nope'] });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.error).toMatchObject({
      root_cause: [
        { type: 'query_shard_exception', reason: 'No mapping found for [nope] in order to sort on' },
      ],
      type: 'search_phase_execution_exception',
      reason: 'all shards failed',
      phase: 'query',
      grouped: true,
      failed_shards: [{ shard: 0, index: 'inv', reason: { type: 'query_shard_exception' } }],
    });
    const text = await e.req('POST', '/inv/_search', { sort: ['text'] });
    expect(text.body.error.root_cause[0].reason).toMatch(/^Text fields are not optimised/);
    const unknown = await e.req('POST', '/inv/_search', '{"query":{"frobnicate":{}}}');
    expect(unknown.body.error).toMatchObject({
      type: 'parsing_exception',
      reason: 'unknown query [frobnicate]',
      line: 1,
      col: 24,
    });
    const key = await e.req('POST', '/inv/_search', '{"qurey":{}}');
    expect(key.body.error).toMatchObject({
      type: 'parsing_exception',
      reason: 'Unknown key for a START_OBJECT in [qurey].',
      line: 1,
      col: 10,
    });
    const bool = await e.req('POST', '/inv/_search', { query: { bool: {} } });
    expect(bool.body.error.reason).toContain('[emulator] query [bool] is not emulated');
  });
});

describe('near-real-time search (fake clock)', () => {
  let now = 1_000_000;
  const state = new EmulatorState({ esVersion: '9.1.0', now: () => now });
  const call = (method: string, path: string, body?: unknown) => {
    const [p, q = ''] = path.split('?');
    const req: EmuRequest = {
      method,
      path: p as string,
      uri: path,
      query: Object.fromEntries(new URLSearchParams(q)),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    return handle(state, req);
  };
  const count = async () =>
    (await call('POST', '/nrt/_search', {})).body as { hits: { total: { value: number } } };

  it('writes are searchable after a refresh, a refresh=true write, or the next scheduled refresh', async () => {
    await call('PUT', '/nrt');
    await call('PUT', '/nrt/_doc/1', { a: 1 });
    expect((await count()).hits.total.value).toBe(0);
    expect((await call('GET', '/nrt/_doc/1')).status).toBe(200); // GET is realtime
    expect((await call('GET', '/nrt/_doc/1?realtime=false')).status).toBe(404);
    expect((await call('POST', '/nrt/_refresh')).body).toEqual({
      _shards: { total: 2, successful: 1, failed: 0 },
    });
    expect((await count()).hits.total.value).toBe(1);
    const forced = await call('PUT', '/nrt/_doc/2?refresh=true', { a: 2 });
    expect(forced.body).toMatchObject({ result: 'created', forced_refresh: true });
    expect((await count()).hits.total.value).toBe(2);
    const waited = await call('PUT', '/nrt/_doc/3?refresh=wait_for', { a: 3 });
    expect(waited.body).not.toHaveProperty('forced_refresh');
    expect((await count()).hits.total.value).toBe(3);
    await call('PUT', '/nrt/_doc/4', { a: 4 });
    expect((await count()).hits.total.value).toBe(3);
    now += 1000; // the next 1 s tick
    expect((await count()).hits.total.value).toBe(4);
  });

  it('a search-idle shard (30 s without searches) refreshes before searching', async () => {
    await call('PUT', '/nrt/_doc/5', { a: 5 });
    now += 30_000;
    expect((await count()).hits.total.value).toBe(5);
  });

  it('tombstones expire after index.gc_deletes (60 s): the version restarts', async () => {
    await call('DELETE', '/nrt/_doc/5');
    expect((await call('PUT', '/nrt/_doc/5', { a: 5 })).body).toMatchObject({ _version: 3 });
    await call('DELETE', '/nrt/_doc/5');
    now += 60_000;
    expect((await call('PUT', '/nrt/_doc/5', { a: 5 })).body).toMatchObject({ _version: 1 });
  });
});

describe('official client @elastic/elasticsearch 8.19', () => {
  let running: Awaited<ReturnType<typeof startEmulator>>;
  let client: Client;
  beforeAll(async () => {
    running = await startEmulator({ port: 0, esVersion: '8.19.3' });
    client = new Client({ node: running.url });
  });
  afterAll(async () => {
    await client.close();
    await running.close();
  });

  it('indices.create / index / create / get / search / delete, and a 409 as ResponseError', async () => {
    await client.indices.create({ index: 'inferctl-lock', mappings: LOCK_MAPPING as never });
    expect(await client.indices.exists({ index: 'inferctl-lock' })).toBe(true);
    const created = await client.create({ index: 'inferctl-lock', id: 'apply', document: { owner: 'me' } });
    expect(created).toMatchObject({ result: 'created', _version: 1, _seq_no: 0, _primary_term: 1 });
    const indexed = await client.index({
      index: 'inferctl-lock',
      id: 'apply',
      document: { owner: 'me', heartbeat: '2026-01-01T00:00:00Z' },
      if_seq_no: 0,
      if_primary_term: 1,
      refresh: true,
    });
    expect(indexed).toMatchObject({ result: 'updated', _version: 2, forced_refresh: true });
    const got = await client.get<{ owner: string }>({ index: 'inferctl-lock', id: 'apply' });
    expect(got._source?.owner).toBe('me');
    const found = await client.search({
      index: 'inferctl-lock',
      query: { term: { owner: 'me' } },
      seq_no_primary_term: true,
    });
    expect(found.hits.hits[0]).toMatchObject({ _id: 'apply', _seq_no: 1, _primary_term: 1 });
    try {
      await client.create({ index: 'inferctl-lock', id: 'apply', document: { owner: 'other' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(errors.ResponseError);
      const err = error as InstanceType<typeof errors.ResponseError>;
      expect(err.statusCode).toBe(409);
      expect(err.body).toMatchObject({ error: { type: 'version_conflict_engine_exception' } });
      expect(err.message).toContain('document already exists (current version [2])');
    }
    try {
      await client.index({
        index: 'inferctl-lock',
        id: 'apply',
        document: { owner: 'x' },
        if_seq_no: 0,
        if_primary_term: 1,
      });
      expect.unreachable();
    } catch (error) {
      expect((error as InstanceType<typeof errors.ResponseError>).statusCode).toBe(409);
    }
    expect(await client.delete({ index: 'inferctl-lock', id: 'apply' })).toMatchObject({ result: 'deleted' });
    try {
      await client.get({ index: 'inferctl-lock', id: 'apply' });
      expect.unreachable();
    } catch (error) {
      expect((error as InstanceType<typeof errors.ResponseError>).statusCode).toBe(404);
    }
  });
});

describe('search_after (the inventory pages with it)', () => {
  it('returns the hits after the given sort values, page by page', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const es = await startEmulator({ port: 0 });
    try {
      const put = (id: string) =>
        fetch(`${es.url}/pages/_doc/${id}?refresh=true`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id }),
        });
      for (const id of ['a', 'b', 'c', 'd', 'e']) expect((await put(id)).status).toBe(201);
      const search = async (body: unknown) =>
        (await (
          await fetch(`${es.url}/pages/_search`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as { hits: { hits: { _id: string; sort: unknown[] }[] }; error?: { reason: string } };
      const first = await search({ size: 2, sort: [{ 'id.keyword': 'asc' }] });
      expect(first.hits.hits.map((h) => h._id)).toEqual(['a', 'b']);
      const second = await search({
        size: 2,
        sort: [{ 'id.keyword': 'asc' }],
        search_after: first.hits.hits[1]!.sort,
      });
      expect(second.hits.hits.map((h) => h._id)).toEqual(['c', 'd']);
      const bad = await search({ size: 2, search_after: ['x'] });
      expect(bad.error?.reason).toBe('Sort must contain at least one field.');
    } finally {
      await es.close();
    }
  });
});
