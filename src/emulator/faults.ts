/**
 * Fault injection for tests of clients: latency, 429 with `Retry-After`, 502/503/504, connection
 * resets, at a rate, from a seeded PRNG so a failing run can be replayed: one draw per request, in arrival
 * order, decides whether and which fault.
 */
import type { FaultKind, FaultOptions } from './options.js';
import type { EmuResponse } from './types.js';

const ALL_KINDS: readonly FaultKind[] = ['latency', '429', '502', '503', '504', 'reset'];

/** mulberry32: small, fast, good enough for test schedules. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultPlan {
  /** The fault for the next request (or undefined): call once per request. */
  next(method: string, path: string): FaultKind | undefined;
}

export function faultPlan(options: FaultOptions | undefined): FaultPlan {
  if (!options || options.rate <= 0) return { next: () => undefined };
  const random = mulberry32(options.seed ?? 1);
  const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : ALL_KINDS;
  return {
    next(method, path) {
      const applies = options.pathPattern
        ? options.pathPattern.test(path)
        : !(method === 'GET' && path === '/');
      if (!applies) return undefined;
      const roll = random();
      const pick = random();
      if (roll >= options.rate) return undefined;
      return kinds[Math.floor(pick * kinds.length)] ?? kinds[0];
    },
  };
}

/** The response a status fault produces (latency and reset are handled by the HTTP layer). */
export function faultResponse(kind: FaultKind, options: FaultOptions): EmuResponse | undefined {
  switch (kind) {
    case '429':
      // What ES answers when a thread pool queue is full; Retry-After as proxies and rate limiters add it.
      return {
        status: 429,
        headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        body: {
          error: {
            root_cause: [
              { type: 'es_rejected_execution_exception', reason: 'rejected execution (emulated fault)' },
            ],
            type: 'es_rejected_execution_exception',
            reason: 'rejected execution (emulated fault)',
          },
          status: 429,
        },
      };
    case '503':
      return {
        status: 503,
        body: {
          error: {
            root_cause: [{ type: 'master_not_discovered_exception', reason: null }],
            type: 'master_not_discovered_exception',
            reason: null,
          },
          status: 503,
        },
      };
    case '502':
      // A proxy in front of the cluster (Elastic Cloud, Kibana Dev Tools) answers, not ES.
      return { status: 502, text: '502 Bad Gateway (emulated fault)' };
    case '504':
      return { status: 504, text: '504 Gateway Timeout (emulated fault)' };
    default:
      return undefined;
  }
}
