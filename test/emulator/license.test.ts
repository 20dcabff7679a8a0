/** Licence: enterprise for PUT/_update/infer from 8.18; GET/DELETE/_services on basic; ML licence ≤8.17. */
import { describe, expect, it } from 'vitest';
import { envelope, es } from './helpers.js';

const openai = { service: 'openai', service_settings: { api_key: 'k', model_id: 'gpt-4o' } };
const forbidden = {
  error: {
    root_cause: [
      {
        type: 'security_exception',
        reason: 'current license is non-compliant for [inference]',
        'license.expired.feature': 'inference',
      },
    ],
    type: 'security_exception',
    reason: 'current license is non-compliant for [inference]',
    'license.expired.feature': 'inference',
  },
  status: 403,
};

describe('licence', () => {
  it('9.1 basic: PUT/_update/infer 403 (even for a missing id), GET/DELETE/_services work', async () => {
    const e = await es('9.1.0', { license: 'basic' });
    try {
      expect((await e.req('PUT', '/_inference/completion/x', openai)).body).toEqual(forbidden);
      expect(
        (await e.req('PUT', '/_inference/completion/missing/_update', { task_settings: { user: 'a' } })).body,
      ).toEqual(forbidden);
      expect((await e.req('POST', '/_inference/completion/missing', { input: 'a' })).status).toBe(403);
      expect((await e.req('GET', '/_inference/_all')).status).toBe(200);
      expect((await e.req('GET', '/_inference/missing')).status).toBe(404);
      expect((await e.req('DELETE', '/_inference/missing')).status).toBe(404);
      expect((await e.req('GET', '/_inference/_services')).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('trial counts as enterprise', async () => {
    const e = await es('9.1.0', { license: 'trial' });
    try {
      expect((await e.req('PUT', '/_inference/completion/x', openai)).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('8.17 basic: external endpoints fine; in-cluster 403 [ml] and no endpoint left', async () => {
    const e = await es('8.17.10', { license: 'basic' });
    try {
      expect((await e.req('PUT', '/_inference/completion/x', openai)).status).toBe(200);
      const res = await e.req('PUT', '/_inference/sparse_embedding/el', {
        service: 'elser',
        service_settings: { num_allocations: 1, num_threads: 1 },
      });
      expect(res.body.error).toMatchObject({
        type: 'security_exception',
        reason: 'current license is non-compliant for [ml]',
      });
      expect((await e.req('GET', '/_inference/el')).body).toEqual(
        envelope(404, 'resource_not_found_exception', 'Inference endpoint not found [el]'),
      );
    } finally {
      await e.close();
    }
  });
});
