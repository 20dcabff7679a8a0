/**
 * The one-line errors a user meets first: unreachable cluster (refused, DNS, TLS), bad credentials (401),
 * missing privileges (403, privilege named), missing licence. None may contain a credential.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../../src/backends/elasticsearch/connection.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { InferctlError } from '../../../src/errors.js';
import { Secret } from '../../../src/manifest/secrets.js';
import { connect, envelope, recordedClient, startFront, thrown, visible } from './helpers.js';

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
const PASSWORD = 'hunter2-canary-password';
const openai = {
  service: 'openai',
  service_settings: { api_key: new Secret('sk-access', 'env K'), model_id: 'text-embedding-3-small' },
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function expectOneLineWithoutCredentials(err: InferctlError): void {
  expect(err.message).not.toMatch(/[\r\n]/);
  const all = visible(err);
  for (const secret of [
    API_KEY,
    PASSWORD,
    'ui2lp2axTNmsyakw9tvNnw',
    Buffer.from(`elastic:${PASSWORD}`).toString('base64'),
  ])
    expect(all).not.toContain(secret);
}

describe('401 unauthorized', () => {
  it('wrong API key: says so, hint names the variable', async () => {
    const e = await startEmulator({ esVersion: '9.1.0', apiKey: 'cmlnaHQ6a2V5' });
    cleanup.push(() => e.close());
    const r = recordedClient(connect({ url: e.url }, { ELASTICSEARCH_API_KEY: API_KEY }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.listEndpoints());
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe(
      `Elasticsearch at ${e.url} rejected the credentials (401 security_exception: unable to authenticate with provided credentials and anonymous access is not allowed for this request)`,
    );
    expect(err.hint).toContain('ELASTICSEARCH_API_KEY');
    expectOneLineWithoutCredentials(err);
    // Not retried: another attempt would fail the same way.
    expect(r.sent()).toEqual(['GET /_inference/_all']);
  });

  it('wrong password / no credentials: hints for each', async () => {
    const e = await startEmulator({
      esVersion: '9.1.0',
      basicAuth: { username: 'elastic', password: 'right' },
    });
    cleanup.push(() => e.close());
    const basic = recordedClient(
      connect({ url: e.url, username: 'elastic' }, { ELASTICSEARCH_PASSWORD: PASSWORD }),
    );
    const none = recordedClient(connect({ url: e.url }));
    cleanup.push(
      () => basic.client.close(),
      () => none.client.close(),
    );
    const wrong = await thrown(() => basic.client.info());
    expect(wrong.code).toBe('unauthorized');
    expect(wrong.hint).toContain('check the username and password');
    expectOneLineWithoutCredentials(wrong);
    const missing = await thrown(() => none.client.info());
    expect(missing.code).toBe('unauthorized');
    expect(missing.message).toContain('missing authentication credentials for REST request [/]');
    expect(missing.hint).toMatch(/^no credentials were given: set --api-key/);
  });
});

describe('403 forbidden: the missing privilege is named', () => {
  const cases = [
    {
      what: 'create',
      action: 'cluster:admin/xpack/inference/put',
      privilege: 'manage_inference',
      call: (c: ReturnType<typeof recordedClient>['client']) => c.putEndpoint('text_embedding', 'x', openai),
      request: 'PUT /_inference/text_embedding/x',
    },
    {
      what: 'delete',
      action: 'cluster:admin/xpack/inference/delete',
      privilege: 'manage_inference',
      call: (c: ReturnType<typeof recordedClient>['client']) => c.deleteEndpoint('text_embedding', 'x'),
      request: 'DELETE /_inference/text_embedding/x',
    },
    {
      what: 'list',
      action: 'cluster:monitor/xpack/inference/get',
      privilege: 'monitor_inference',
      call: (c: ReturnType<typeof recordedClient>['client']) => c.listEndpoints(),
      request: 'GET /_inference/_all',
    },
    {
      what: 'deployment stats',
      action: 'cluster:monitor/xpack/ml/trained_models/stats/get',
      privilege: 'monitor_ml',
      call: (c: ReturnType<typeof recordedClient>['client']) => c.deploymentStats(['e5']),
      request: 'GET /_ml/trained_models/e5/_stats?allow_no_match=true&size=10000',
    },
  ];
  for (const c of cases) {
    it(`${c.what} → ${c.privilege}`, async () => {
      const e = await startEmulator({ esVersion: '9.1.0' });
      cleanup.push(() => e.close());
      // ES's security layer answers before the emulator would: its exact reason format.
      const reason = `action [${c.action}] is unauthorized for user [ci-bot] with effective roles [viewer], this action is granted by the cluster privileges [${c.privilege},manage,all]`;
      const f = await startFront(e.url, () => ({
        kind: 'respond',
        status: 403,
        body: envelope(403, 'security_exception', reason),
      }));
      cleanup.push(() => f.close());
      const r = recordedClient(connect({ url: f.url }, { ELASTICSEARCH_API_KEY: API_KEY }));
      cleanup.push(() => r.client.close());
      const err = await thrown(() => c.call(r.client));
      expect(err.code).toBe('forbidden');
      expect(err.message).toBe(
        `${c.request} is forbidden: user [ci-bot] lacks the cluster privilege ${c.privilege} (action ${c.action})`,
      );
      expect(err.hint).toContain(`grant the cluster privilege ${c.privilege}`);
      expect(err.context).toMatchObject({
        status: 403,
        type: 'security_exception',
        privilege: c.privilege,
        reason,
      });
      expectOneLineWithoutCredentials(err);
      expect(r.sent()).toHaveLength(1);
    });
  }
});

describe('licence', () => {
  it('9.1 on a basic licence: creating is refused with the enterprise hint; reading still works', async () => {
    const e = await startEmulator({ esVersion: '9.1.0', license: 'basic' });
    cleanup.push(() => e.close());
    const r = recordedClient(connect({ url: e.url }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.putEndpoint('text_embedding', 'x', openai));
    expect(err.code).toBe('license');
    expect(err.message).toBe(
      "PUT /_inference/text_embedding/x refused: the cluster's licence does not cover [inference] (403 security_exception: current license is non-compliant for [inference])",
    );
    expect(err.hint).toContain('enterprise licence');
    expect(err.context).toMatchObject({ feature: 'inference', status: 403 });
    expect(await r.client.listEndpoints()).toEqual(expect.any(Array));
  });

  it('8.15 on a basic licence: in-cluster models need the ML licence', async () => {
    const e = await startEmulator({ esVersion: '8.15.5', license: 'basic' });
    cleanup.push(() => e.close());
    const r = recordedClient(connect({ url: e.url }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() =>
      r.client.putEndpoint('sparse_embedding', 'e', {
        service: 'elser',
        service_settings: { num_allocations: 1, num_threads: 1 },
      }),
    );
    expect(err.code).toBe('license');
    expect(err.context).toMatchObject({ feature: 'ml' });
    expect(err.hint).toContain('platinum or enterprise');
  });
});

describe('unreachable', () => {
  it('connection refused: URL and cause named, retried, one line', async () => {
    const r = recordedClient(connect({ url: 'http://127.0.0.1:1' }, { ELASTICSEARCH_API_KEY: API_KEY }), {
      retry: { maxAttempts: 2 },
    });
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.info());
    expect(err.code).toBe('unreachable');
    expect(err.message).toBe(
      'cannot reach Elasticsearch at http://127.0.0.1:1: connection refused (ECONNREFUSED) after 2 attempts',
    );
    expect(err.hint).toContain('--url / ELASTICSEARCH_URL');
    expectOneLineWithoutCredentials(err);
  });

  it('unknown host: not retried', async () => {
    const r = recordedClient(connect({ url: 'http://no-such-host.invalid:9200' }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.info());
    expect(err.code).toBe('unreachable');
    expect(err.message).toBe(
      'cannot reach Elasticsearch at http://no-such-host.invalid:9200: host not found (ENOTFOUND)',
    );
    expect(r.sent()).toHaveLength(1);
  });

  it('credentials in the URL never reach a message', async () => {
    const r = recordedClient(connect({ url: `http://elastic:${PASSWORD}@127.0.0.1:1` }), {
      retry: { maxAttempts: 1 },
    });
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.info());
    expect(err.message).toBe(
      'cannot reach Elasticsearch at http://127.0.0.1:1: connection refused (ECONNREFUSED)',
    );
    expectOneLineWithoutCredentials(err);
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('TLS', () => {
  let dir: string;
  let url: string;
  let server: ReturnType<typeof createServer>;
  beforeAll(async () => {
    // A throwaway CA and server certificate for 127.0.0.1, made per run (no key is committed).
    dir = mkdtempSync(join(tmpdir(), 'inferctl-tls-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=inferctl test CA',
    );
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    run(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.crt',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    server = createServer(
      { key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.crt')) },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ cluster_name: 'tls', version: { number: '9.1.0', build_flavor: 'default' } }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const readFile = (p: string) => {
    try {
      return readFileSync(join(dir, p), 'utf8');
    } catch (error) {
      return error as Error;
    }
  };

  it('an untrusted certificate: unreachable, hint --ca-cert, not retried', async () => {
    const r = recordedClient(connect({ url }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.info());
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(
      new RegExp(
        `^cannot reach Elasticsearch at ${url}: the server's TLS certificate is not trusted \\(\\w+\\)$`,
      ),
    );
    expect(err.hint).toContain('--ca-cert FILE');
    expect(r.sent()).toHaveLength(1);
  });

  it('--ca-cert trusts it', async () => {
    const c = resolveConnection({ url, caCert: 'ca.crt' }, {}, readFile);
    if (c instanceof InferctlError) throw c;
    expect(c.warnings).toEqual([]);
    const r = recordedClient(c);
    cleanup.push(() => r.client.close());
    expect(await r.client.info()).toEqual({ version: '9.1.0', buildFlavor: 'default', clusterName: 'tls' });
  });

  it('--insecure connects, with a warning', async () => {
    const c = resolveConnection({ url, insecure: true }, {}, readFile);
    if (c instanceof InferctlError) throw c;
    expect(c.warnings).toEqual([
      expect.stringContaining('TLS certificate verification is disabled (--insecure)'),
    ]);
    const r = recordedClient(c);
    cleanup.push(() => r.client.close());
    expect((await r.client.info()).version).toBe('9.1.0');
  });

  it('https:// to a plain-http port: says the server does not speak TLS', async () => {
    const e = await startEmulator({ esVersion: '9.1.0' });
    cleanup.push(() => e.close());
    const r = recordedClient(connect({ url: e.url.replace('http:', 'https:') }));
    cleanup.push(() => r.client.close());
    const err = await thrown(() => r.client.info());
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain('the server does not speak TLS (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(err.hint).toBe('use http:// instead of https:// in --url, or check the port');
  });
});
