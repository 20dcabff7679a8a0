/** Fault injection: same seed → same faults; 429 carries Retry-After; resets close the connection. */
import { describe, expect, it } from 'vitest';
import { faultPlan } from '../../src/emulator/faults.js';
import { es } from './helpers.js';

async function statuses(seed: number): Promise<(number | string)[]> {
  const e = await es('9.1.0', {
    faults: { rate: 0.5, seed, kinds: ['429', '503', 'reset', 'latency'], latencyMs: 5 },
  });
  try {
    const out: (number | string)[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        out.push((await e.req('GET', '/_inference/_all')).status);
      } catch {
        out.push('reset');
      }
    }
    return out;
  } finally {
    await e.close();
  }
}

describe('faults', () => {
  it('the schedule is a function of the seed', () => {
    const a = faultPlan({ rate: 0.3, seed: 42 });
    const b = faultPlan({ rate: 0.3, seed: 42 });
    const c = faultPlan({ rate: 0.3, seed: 43 });
    const run = (p: typeof a) => Array.from({ length: 50 }, () => p.next('GET', '/_inference'));
    const ra = run(a);
    expect(run(b)).toEqual(ra);
    expect(run(c)).not.toEqual(ra);
    expect(ra.filter(Boolean).length).toBeGreaterThan(5);
  });

  it('over HTTP: reproducible with a seed, mixes 429/503/resets with successes', async () => {
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => s === 429 || s === 503 || s === 'reset')).toBe(true);
  });

  it('429 has Retry-After and the ES envelope', async () => {
    const e = await es('9.1.0', { faults: { rate: 1, kinds: ['429'], retryAfterSeconds: 3 } });
    try {
      const res = await e.req('GET', '/_inference/_all');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.body.error.type).toBe('es_rejected_execution_exception');
      expect((await e.req('GET', '/')).status).toBe(200); // GET / is exempt by default
    } finally {
      await e.close();
    }
  });

  it('502/504 come from a proxy: plain text', async () => {
    const e = await es('9.1.0', { faults: { rate: 1, kinds: ['502'] } });
    try {
      const res = await e.req('GET', '/_inference/_all');
      expect(res.status).toBe(502);
      expect(res.text).toContain('Bad Gateway');
    } finally {
      await e.close();
    }
  });
});
