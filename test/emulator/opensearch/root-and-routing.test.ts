/** `GET /`, OpenSearch's error envelope, routing errors and version-gated routes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_PROFILES } from '../../../src/catalog/opensearch-capabilities.js';
import { envelope, os, type Os } from './helpers.js';

describe('GET / per profile', () => {
  for (const version of OPENSEARCH_PROFILES) {
    it(`${version}: distribution opensearch and the version number`, async () => {
      const o = await os(version);
      try {
        const r = await o.req('GET', '/');
        expect(r.status).toBe(200);
        expect(r.body.version).toMatchObject({ distribution: 'opensearch', number: version });
        expect(r.body.tagline).toBe('The OpenSearch Project: https://opensearch.org/');
        expect(r.headers.get('x-elastic-product')).toBeNull();
      } finally {
        await o.close();
      }
    });
  }
});

describe('envelope and dispatch (2.19)', () => {
  let o: Os;
  beforeAll(async () => (o = await os('2.19.0')));
  afterAll(() => o.close());

  it('errors use the ES-7.10 envelope with status_exception for ml-commons status errors', async () => {
    const r = await o.req('GET', '/_plugins/_ml/tasks/nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual(envelope(404, 'status_exception', 'Failed to find task'));
    expect(r.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it('an unknown path is a flat 400 "no handler found"', async () => {
    const r = await o.req('GET', '/_plugins/_ml/nothing/here');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'no handler found for uri [/_plugins/_ml/nothing/here] and method [GET]',
    });
  });

  it('a known path with another method is a 405 listing the allowed ones', async () => {
    const r = await o.req('PATCH', '/_plugins/_ml/models/abc');
    expect(r.status).toBe(405);
    expect(r.body).toEqual({
      error:
        'Incorrect HTTP method for uri [/_plugins/_ml/models/abc] and method [PATCH], allowed: [GET, PUT, DELETE]',
      status: 405,
    });
  });

  it('_search is matched before {id}', async () => {
    const r = await o.req('GET', '/_plugins/_ml/models/_search');
    expect(r.status).toBe(200);
    expect(r.body.hits.total).toEqual({ value: 0, relation: 'eq' });
  });

  it('unknown query parameters are refused', async () => {
    const r = await o.req('GET', '/_plugins/_ml/models/abc?bogus=1');
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      'request [/_plugins/_ml/models/abc] contains unrecognized parameter: [bogus]',
    );
  });

  it('a body needs a JSON content type', async () => {
    const r = await o.req('POST', '/_plugins/_ml/connectors/_create', '{}', { 'content-type': 'text/plain' });
    expect(r.status).toBe(406);
    expect(r.body).toEqual({ error: 'Content-Type header [text/plain] is not supported', status: 406 });
  });
});

describe('routes that arrive with a version', () => {
  it('the update APIs exist from 2.12 (documented version of the connector update)', async () => {
    const o = await os('2.11.0');
    try {
      const m = await o.req('PUT', '/_plugins/_ml/models/abc', { name: 'x' });
      expect(m.status).toBe(405);
      const c = await o.req('PUT', '/_plugins/_ml/connectors/abc', { name: 'x' });
      expect(c.status).toBe(405);
    } finally {
      await o.close();
    }
  });
});
