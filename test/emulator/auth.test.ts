/** Authentication: ApiKey and basic credentials; 401 in the real envelope with WWW-Authenticate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es, type Es } from './helpers.js';

describe('auth', () => {
  let e: Es;
  beforeAll(async () => {
    e = await es('9.1.0', {
      apiKey: 'c2VjcmV0OmtleQ==',
      basicAuth: { username: 'elastic', password: 'changeme' },
    });
  });
  afterAll(() => e.close());

  it('no credentials → 401 security_exception with challenges', async () => {
    const res = await e.req('GET', '/_inference/_all');
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('security_exception');
    expect(res.body.error.reason).toBe(
      'missing authentication credentials for REST request [/_inference/_all]',
    );
    expect(res.body.error.header['WWW-Authenticate']).toContain('ApiKey');
    expect(res.headers.get('www-authenticate')).toContain('Basic realm="security"');
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('wrong credentials → 401', async () => {
    const res = await e.req('GET', '/', undefined, { authorization: 'ApiKey nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.reason).toBe(
      'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
    );
  });

  it('ApiKey and basic credentials are accepted', async () => {
    expect((await e.req('GET', '/', undefined, { authorization: 'ApiKey c2VjcmV0OmtleQ==' })).status).toBe(
      200,
    );
    const basic = Buffer.from('elastic:changeme').toString('base64');
    expect((await e.req('GET', '/', undefined, { authorization: `Basic ${basic}` })).status).toBe(200);
  });
});
