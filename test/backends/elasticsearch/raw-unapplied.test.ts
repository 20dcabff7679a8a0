// `raw(…, { retry: 'unapplied' })`, used for ML Commons creates whose ids the server generates: re-sent
// after a 429 or a 503 naming an unavailable shard (not executed), never after a 502 (maybe executed).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, recordedClient } from './helpers.js';

const NO_SHARD = {
  error: {
    root_cause: [{ type: 'no_shard_available_action_exception', reason: 'No shard available' }],
    type: 'no_shard_available_action_exception',
    reason: 'No shard available for [get [.plugins-ml-config][master_key]: routing [null]]',
  },
  status: 503,
};

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(
  answers: { status: number; body: unknown }[],
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answers[Math.min(hits++, answers.length - 1)]!;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, hits: () => hits };
}

describe("raw with retry: 'unapplied'", () => {
  it('re-sends after a 429 and after a 503 no_shard_available_action_exception', async () => {
    const s = await serve([
      { status: 429, body: { error: { type: 'rejected_execution_exception' }, status: 429 } },
      { status: 503, body: NO_SHARD },
      { status: 200, body: { connector_id: 'C1' } },
    ]);
    const r = recordedClient(connect({ url: s.url }));
    const answer = await r.client.raw('POST', '/_plugins/_ml/connectors/_create', {
      body: { name: 'c' },
      retry: 'unapplied',
    });
    expect(answer).toEqual({ status: 200, body: { connector_id: 'C1' } });
    expect(s.hits()).toBe(3);
    await r.client.close();
  });

  it('does not re-send after a 502 or an untyped 503, which may have been executed', async () => {
    for (const failure of [
      { status: 502, body: { message: 'bad gateway' } },
      { status: 503, body: { message: 'unavailable' } },
    ]) {
      const s = await serve([failure, { status: 200, body: { connector_id: 'C2' } }]);
      const r = recordedClient(connect({ url: s.url }));
      await expect(
        r.client.raw('POST', '/_plugins/_ml/connectors/_create', { body: {}, retry: 'unapplied' }),
      ).rejects.toThrow(String(failure.status));
      expect(s.hits()).toBe(1);
      await r.client.close();
      await new Promise<void>((res) => server!.close(() => res()));
      server = undefined;
    }
  });
});
