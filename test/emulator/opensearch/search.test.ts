/** Finding models by name: `name.keyword`, chunk documents, hidden models, credentials. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiConnector, os, remoteModel, type Os } from './helpers.js';

type Hit = { _id: string; _source: Record<string, unknown>; _version: number; sort?: unknown[] };

describe('model search', () => {
  let o: Os;
  let remoteIds: string[];
  beforeAll(async () => {
    o = await os('2.19.0', { localModels: [{ name: 'embed', chunks: 3 }] });
    remoteIds = [(await remoteModel(o, 'embed')).modelId, (await remoteModel(o, 'embed')).modelId];
    await o.req('POST', '/_plugins/_ml/models/_register', {
      name: 'Embed Large',
      function_name: 'remote',
      connector: openAiConnector(),
    });
  });
  afterAll(() => o.close());

  const searchModels = async (body: unknown) =>
    (await o.req('POST', '/_plugins/_ml/models/_search', body)).body.hits as {
      total: { value: number };
      hits: Hit[];
    };

  it('a term on name.keyword also finds the chunk documents of a local model of that name', async () => {
    const hits = await searchModels({ query: { term: { 'name.keyword': 'embed' } }, size: 100 });
    // 1 local model + 3 chunks + 2 remote models.
    expect(hits.total.value).toBe(6);
    expect(hits.hits.filter((h) => h._source.chunk_number !== undefined)).toHaveLength(3);
  });

  it('the reference query (remote, no chunks, newest first) finds exactly the remote models', async () => {
    const hits = await searchModels({
      query: {
        bool: {
          filter: [{ term: { 'name.keyword': 'embed' } }, { term: { algorithm: 'REMOTE' } }],
          must_not: [{ exists: { field: 'chunk_number' } }],
        },
      },
      sort: [{ created_time: 'desc' }],
    });
    expect(hits.hits.map((h) => h._id).sort()).toEqual([...remoteIds].sort());
    expect(hits.hits[0]?.sort).toEqual([expect.any(Number)]);
    expect(hits.hits[0]).toHaveProperty('_version');
  });

  it('keyword fields are exact: algorithm "remote" matches nothing', async () => {
    expect((await searchModels({ query: { term: { algorithm: 'remote' } } })).total.value).toBe(0);
  });

  it('name is analysed text: match finds "Embed Large" by a word, term on name.keyword needs the exact case', async () => {
    expect(
      (await searchModels({ query: { match: { name: 'large' } } })).hits.map((h) => h._source.name),
    ).toEqual(['Embed Large']);
    expect((await searchModels({ query: { term: { 'name.keyword': 'embed large' } } })).total.value).toBe(0);
  });

  it('inline connector credentials are excluded from _source', async () => {
    const hits = await searchModels({ query: { term: { 'name.keyword': 'Embed Large' } } });
    const connector = hits.hits[0]?._source.connector as Record<string, unknown>;
    expect(connector).toBeDefined();
    expect(connector).not.toHaveProperty('credential');
  });

  it('from/size page; sorting on a text field is refused; unknown queries are parse errors', async () => {
    const all = await searchModels({});
    expect(all.total.value).toBe(7);
    const page = await searchModels({ from: 5, size: 5 });
    expect(page.total.value).toBe(7);
    expect(page.hits).toHaveLength(2);
    const sortText = await o.req('POST', '/_plugins/_ml/models/_search', { sort: [{ name: 'asc' }] });
    expect(sortText.status).toBe(400);
    const unknown = await o.req('POST', '/_plugins/_ml/models/_search', { query: { fuzzy: { name: 'x' } } });
    expect(unknown.body.error).toMatchObject({ type: 'parsing_exception', reason: 'unknown query [fuzzy]' });
  });

  it('an updated model carries model_id in its source, so `exists model_id` is not a chunk filter', async () => {
    await o.req('PUT', `/_plugins/_ml/models/${remoteIds[0]}`, { description: 'touched' });
    const hits = await searchModels({
      query: { bool: { filter: [{ exists: { field: 'model_id' } }] } },
      size: 50,
    });
    expect(hits.hits.map((h) => h._id)).toContain(remoteIds[0]);
  });
});
