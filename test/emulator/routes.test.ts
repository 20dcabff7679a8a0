/**
 * Routing (RestController dispatch): GET /, the product header, 405 / 400 routing errors in
 * their flat shape, OPTIONS, unrecognized parameters, media types and compatible-with headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorState, handle } from '../../src/emulator/index.js';
import { es, type Es } from './helpers.js';

describe('routes on 9.1', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0');
  });
  afterAll(() => e.close());

  it('GET / reports the version, build flavor and tagline', async () => {
    const res = await e.req('GET', '/');
    expect(res.status).toBe(200);
    expect(res.body.version).toMatchObject({ number: '9.1.0', build_flavor: 'default' });
    expect(res.body.tagline).toBe('You Know, for Search');
  });

  it('every response carries x-elastic-product: Elasticsearch, errors too', async () => {
    for (const [m, p] of [
      ['GET', '/'],
      ['GET', '/_inference/nope'],
      ['GET', '/a/b/c/d'],
      ['POST', '/_inference/t/x/_update'],
    ]) {
      const res = await e.req(m as string, p as string);
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    }
  });

  it('wrong method on a known path → 405 with allowed methods and Allow header', async () => {
    const res = await e.req('POST', '/_inference/sparse_embedding/x/_update', {});
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      error:
        'Incorrect HTTP method for uri [/_inference/sparse_embedding/x/_update] and method [POST], allowed: [PUT]',
      status: 405,
    });
    expect(res.headers.get('allow')).toBe('PUT');
  });

  it('the uri in routing errors includes the query string', async () => {
    const res = await e.req('PATCH', '/_inference/sparse_embedding/x/_update?pretty');
    expect(res.body.error).toBe(
      'Incorrect HTTP method for uri [/_inference/sparse_embedding/x/_update?pretty] and method [PATCH], allowed: [PUT]',
    );
  });

  it('unknown route → 400 "no handler found" without a status field', async () => {
    const res = await e.req('GET', '/_nope/a/b');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'no handler found for uri [/_nope/a/b] and method [GET]' });
  });

  it('POST /_inference/x/_update is an inference call with task type x (PathTrie fallback), not a 405', async () => {
    const res = await e.req('POST', '/_inference/my-endpoint/_update', { input: 'a' });
    expect(res.body.error.reason).toBe('Unknown task_type [my-endpoint]');
  });

  it('OPTIONS answers 200 with Allow', async () => {
    const res = await e.req('OPTIONS', '/_inference/_all');
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('GET,POST,PUT,DELETE');
  });

  it('unrecognized parameters → 400 with a did-you-mean', async () => {
    const res = await e.req('DELETE', '/_inference/x?dryrun=true');
    expect(res.body.error.type).toBe('illegal_argument_exception');
    expect(res.body.error.reason).toBe(
      'request [/_inference/x] contains unrecognized parameter: [dryrun] -> did you mean [dry_run]?',
    );
  });

  it('compatible-with=8 and =9 accepted on 9.x and echoed; 7 rejected', async () => {
    const h8 = { accept: 'application/vnd.elasticsearch+json; compatible-with=8' };
    const ok = await e.req('GET', '/_inference/_all', undefined, h8);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/vnd.elasticsearch+json;compatible-with=8');
    const bad = await e.req('GET', '/_inference/_all', undefined, {
      accept: 'application/vnd.elasticsearch+json; compatible-with=7',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('media_type_header_exception');
    const plain = await e.req('GET', '/_inference/_all');
    expect(plain.headers.get('content-type')).toBe('application/json');
  });

  it('a body needs a JSON content type (406)', async () => {
    const res = await e.req('PUT', '/_inference/completion/x', 'a=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(406);
    expect(res.body).toEqual({
      error: 'Content-Type header [application/x-www-form-urlencoded] is not supported',
      status: 406,
    });
  });

  it('PUT without a body → parse_exception "request body is required"', async () => {
    const res = await e.req('PUT', '/_inference/completion/x');
    expect(res.body.error).toMatchObject({ type: 'parse_exception', reason: 'request body is required' });
  });

  it('filter_path filters the response', async () => {
    const res = await e.req('GET', '/_inference/_all?filter_path=endpoints.inference_id');
    expect(res.body).toEqual({
      endpoints: [
        { inference_id: '.elser-2-elasticsearch' },
        { inference_id: '.multilingual-e5-small-elasticsearch' },
        { inference_id: '.rerank-v1-elasticsearch' },
      ],
    });
  });

  it('single-segment GET of a task-type name is an id lookup', async () => {
    const res = await e.req('GET', '/_inference/sparse_embedding');
    expect(res.status).toBe(404);
    expect(res.body.error.reason).toBe('Inference endpoint not found [sparse_embedding]');
  });
});

describe('pure handler', () => {
  it('handle(state, request) works without a socket', async () => {
    const state = new EmulatorState({ esVersion: '8.15.5' });
    const res = await handle(state, {
      method: 'GET',
      path: '/_inference/_all',
      uri: '/_inference/_all',
      query: {},
      headers: {},
    });
    expect(res).toMatchObject({ status: 200, body: { endpoints: [] } });
    expect(res.headers?.['x-elastic-product']).toBe('Elasticsearch');
  });
});

describe('routes per version', () => {
  it('8.12: only two-segment inference paths; GET /_inference falls to GET /{index}', async () => {
    const e = await es('8.12.2');
    try {
      expect((await e.req('GET', '/_inference/sparse_embedding/_all')).body).toEqual({ models: [] });
      const bare = await e.req('GET', '/_inference');
      expect(bare.status).toBe(404);
      expect(bare.body.error.type).toBe('index_not_found_exception');
      const one = await e.req('GET', '/_inference/x');
      expect(one.body).toEqual({ error: 'no handler found for uri [/_inference/x] and method [GET]' });
    } finally {
      await e.close();
    }
  });

  it('8.16: no _update route (PUT …/_update creates an endpoint named _update)', async () => {
    const e = await es('8.16.6');
    try {
      const res = await e.req('PUT', '/_inference/x/_update', { service_settings: {} });
      expect(res.body.error.reason).toBe('Unknown task_type [x]');
      expect((await e.req('PUT', '/_inference/completion/x/_update', {})).status).toBe(400);
    } finally {
      await e.close();
    }
  });
});
