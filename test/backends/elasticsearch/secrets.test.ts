/**
 * Canary secrets: Elasticsearch quotes request bodies in some errors and providers
 * quote keys in theirs; none of it may reach an error message, its context or a log line.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { Secret } from '../../../src/manifest/secrets.js';
import { connect, envelope, recordedClient, startFront, thrown, visible } from './helpers.js';

// Quotes and a backslash: ES's raw-body echo shows them JSON-escaped.
const CANARY = 'sk-CANARY-"q"-\\b-7f3a9c';
const CANARY_ESCAPED = JSON.stringify(CANARY).slice(1, -1);
const API_KEY = 'S2V5SWQ6Q0FOQVJZLWFwaS1rZXktc2VjcmV0';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(options: EmulatorOptions, logLines?: string[]) {
  const e = await startEmulator(options);
  cleanup.push(() => e.close());
  const logger = logLines
    ? pino(
        { level: 'debug' },
        new Writable({
          write(chunk: Buffer, _enc, done) {
            logLines.push(chunk.toString('utf8'));
            done();
          },
        }),
      )
    : undefined;
  const r = recordedClient(connect({ url: e.url }), logger ? { logger } : {});
  cleanup.push(() => r.client.close());
  return { e, r };
}

function expectNoCanary(text: string): void {
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(CANARY_ESCAPED);
  expect(text).not.toContain('CANARY');
}

describe('canary secrets never reach errors', () => {
  it('create: a secret under a misspelt key is echoed in "unknown settings"', async () => {
    const { r } = await setup({ esVersion: '9.1.0' });
    const err = await thrown(() =>
      r.client.putEndpoint('text_embedding', 'x', {
        service: 'openai',
        service_settings: {
          api_key: new Secret('sk-real-one', 'env K'),
          model_id: 'text-embedding-3-small',
          apikey: new Secret(CANARY, 'env K2'),
        },
      }),
    );
    expect(err.code).toBe('bad_request');
    // The emulator really echoed it: the redacted reason shows where.
    expect(err.context.reason).toContain('[{apikey=(secret)}]');
    expect(err.message).toContain('(secret)');
    expectNoCanary(visible(err));
  });

  it('create: the provider quotes the key in caused_by', async () => {
    const { r } = await setup({
      esVersion: '9.1.0',
      providerValidation: {
        failAll: true,
        cause: { type: 'status_exception', reason: `Incorrect API key provided: ${CANARY}` },
      },
    });
    const err = await thrown(() =>
      r.client.putEndpoint('text_embedding', 'x', {
        service: 'openai',
        service_settings: { api_key: new Secret(CANARY, 'env K'), model_id: 'text-embedding-3-small' },
      }),
    );
    expect(err.context.causedBy).toBe('status_exception: Incorrect API key provided: (secret)');
    expect(err.message).toContain('caused by status_exception: Incorrect API key provided: (secret)');
    expectNoCanary(visible(err));
  });

  it('8.17 _update of an in-cluster endpoint quotes the raw body (JSON-escaped)', async () => {
    const { r } = await setup({ esVersion: '8.17.10' });
    await r.client.putEndpoint('sparse_embedding', 'e', {
      service: 'elasticsearch',
      service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
    });
    const err = await thrown(() =>
      r.client.updateEndpoint('sparse_embedding', 'e', {
        service_settings: { api_key: new Secret(CANARY, 'env K') },
      }),
    );
    expect(err.context.reason).toBe(
      'Failed to parse [num_allocations] of update request [{"service_settings":{"api_key":"(secret)"}}]',
    );
    expectNoCanary(visible(err));
  });

  it('values revealed by the caller are redacted when passed as `secrets`', async () => {
    const { r } = await setup({ esVersion: '9.1.0' });
    await r.client.putEndpoint('text_embedding', 'x', {
      service: 'openai',
      service_settings: { api_key: new Secret('sk-ok', 'env K'), model_id: 'text-embedding-3-small' },
    });
    const err = await thrown(() =>
      r.client.updateEndpoint(
        'text_embedding',
        'x',
        { service: 'openai', service_settings: { organization: CANARY } },
        { secrets: [CANARY] },
      ),
    );
    expect(err.context.reason).toContain('[{service=openai}]');
    expect(err.code).toBe('bad_request');
    expectNoCanary(visible(err));
  });

  it('plain strings under secret field names are redacted without being told (second line of defence)', async () => {
    const { r } = await setup({ esVersion: '8.17.10' });
    await r.client.putEndpoint('sparse_embedding', 'e', {
      service: 'elasticsearch',
      service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
    });
    const err = await thrown(() =>
      r.client.updateEndpoint('sparse_embedding', 'e', { service_settings: { api_key: CANARY } }),
    );
    expect(err.context.reason).toContain('"api_key":"(secret)"');
    expectNoCanary(visible(err));
  });

  it("the connection's credentials are redacted from server text too", async () => {
    const e = await startEmulator({ esVersion: '9.1.0' });
    cleanup.push(() => e.close());
    const decoded = Buffer.from(API_KEY, 'base64').toString('utf8');
    const f = await startFront(e.url, () => ({
      kind: 'respond',
      status: 400,
      body: envelope(400, 'illegal_argument_exception', `bad header [ApiKey ${API_KEY}] for [${decoded}]`),
    }));
    cleanup.push(() => f.close());
    const r = recordedClient(connect({ url: f.url }, { ELASTICSEARCH_API_KEY: API_KEY }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.listEndpoints());
    expect(err.context.reason).toBe('bad header [ApiKey (secret)] for [(secret)]');
    expect(visible(err)).not.toContain(API_KEY);
    expectNoCanary(visible(err));
  });
});

describe('logs', () => {
  it('one debug line per attempt (method, path, status, attempt), retries at info, never a body or a credential', async () => {
    const lines: string[] = [];
    const { r } = await setup(
      { esVersion: '9.1.0', faults: { rate: 1, kinds: ['503'], pathPattern: /^\/_inference\/_all$/ } },
      lines,
    );
    await r.client.putEndpoint('text_embedding', 'x', {
      service: 'openai',
      service_settings: { api_key: new Secret(CANARY, 'env K'), model_id: 'text-embedding-3-small' },
    });
    await thrown(() => r.client.listEndpoints());
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged[0]).toMatchObject({
      level: 20,
      msg: 'request',
      method: 'PUT',
      path: '/_inference/text_embedding/x',
      status: 200,
      attempt: 1,
    });
    expect(logged.filter((l) => l.msg === 'retrying request')).toHaveLength(4);
    expect(
      logged.filter((l) => l.msg === 'request' && l.path === '/_inference/_all').map((l) => l.attempt),
    ).toEqual([1, 2, 3, 4, 5]);
    for (const l of lines) {
      expectNoCanary(l);
      expect(l).not.toMatch(/authorization|service_settings/i);
    }
  });
});
