/** `GET _inference/_services` from the catalog, per version. */
import { describe, expect, it } from 'vitest';
import { es } from './helpers.js';

describe('_services', () => {
  it('absent before 8.16', async () => {
    const e = await es('8.15.5');
    try {
      expect((await e.req('GET', '/_inference/_services')).body.error.reason).toBe(
        'Inference endpoint not found [_services]',
      );
    } finally {
      await e.close();
    }
  });

  it('9.1: services sorted, fields with required/sensitive/updatable/type/default', async () => {
    const e = await es('9.1.0');
    try {
      const body = (await e.req('GET', '/_inference/_services')).body as {
        service: string;
        configurations: Record<string, Record<string, unknown>>;
      }[];
      const names = body.map((s) => s.service);
      expect(names).toEqual([...names].sort());
      expect(names).toContain('custom');
      expect(names).not.toContain('groq'); // 9.3
      const openai = body.find((s) => s.service === 'openai');
      expect(openai?.configurations.api_key).toMatchObject({
        required: true,
        sensitive: true,
        updatable: true,
        type: 'str',
      });
      expect(openai?.configurations.model_id).toMatchObject({
        required: true,
        sensitive: false,
        updatable: false,
      });
      expect(openai?.configurations['rate_limit.requests_per_minute']).toMatchObject({
        type: 'int',
        updatable: false,
        default_value: 3000,
      });
      expect(openai?.configurations).not.toHaveProperty('client_secret'); // 9.5
      const sparse = (await e.req('GET', '/_inference/_services/sparse_embedding')).body as {
        service: string;
      }[];
      expect(sparse.map((s) => s.service)).toContain('elasticsearch');
      expect(sparse.map((s) => s.service)).not.toContain('openai');
    } finally {
      await e.close();
    }
  });

  it('rate_limit becomes updatable per service: ai21 in 9.4 (PR #142597), openai in 9.5 (PR #147465)', async () => {
    const updatable = async (version: string, service: string) => {
      const e = await es(version);
      try {
        const body = (await e.req('GET', '/_inference/_services')).body as {
          service: string;
          configurations: Record<string, Record<string, unknown>>;
        }[];
        return body.find((s) => s.service === service)?.configurations['rate_limit.requests_per_minute']
          ?.updatable;
      } finally {
        await e.close();
      }
    };
    expect(await updatable('9.4.0', 'ai21')).toBe(true);
    expect(await updatable('9.4.0', 'openai')).toBe(false);
    expect(await updatable('9.5.0', 'openai')).toBe(true);
  });
});
