/**
 * Connection settings from flags and environment (pure): precedence, errors with hints, warnings, and
 * Cloud ID decoding checked against the official `@elastic/elasticsearch` client itself.
 */
import { Client } from '@elastic/elasticsearch';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  credentialValues,
  decodeCloudId,
  resolveConnection,
  type Connection,
  type ConnectionFlags,
} from '../../../src/backends/elasticsearch/connection.js';
import { InferctlError } from '../../../src/errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { 'ca.pem': PEM, 'not.pem': 'hello' };
const readFile = (p: string) => files[p] ?? new Error(`ENOENT: no such file or directory, open '${p}'`);

function ok(flags: ConnectionFlags, env: Record<string, string> = {}): Connection {
  const c = resolveConnection(flags, env, readFile);
  if (c instanceof InferctlError) throw new Error(`unexpected error: ${c.message}`);
  return c;
}

function err(flags: ConnectionFlags, env: Record<string, string> = {}): InferctlError {
  const c = resolveConnection(flags, env, readFile);
  if (!(c instanceof InferctlError)) throw new Error(`expected an error, got ${String(c)}`);
  return c;
}

/** A real-looking Cloud ID: `name:base64(cloudUrl$esId$kibanaId)`. */
const cloudId = (name: string, decoded: string) => `${name}:${Buffer.from(decoded).toString('base64')}`;

function officialClientUrl(id: string): string | Error {
  try {
    const client = new Client({ cloud: { id } });
    const url = (client.connectionPool as unknown as { connections: { url: URL }[] }).connections[0]?.url;
    return url ? url.origin : new Error('no node');
  } catch (error) {
    return error as Error;
  }
}

describe('Cloud ID', () => {
  const ids = [
    cloudId(
      'my-deployment',
      'us-east-1.aws.found.io$cec6f261a74bf24ce33bb8811b84294f$c6c2ca6d042249af0cc7d7a9e9625743',
    ),
    cloudId('staging', 'europe-west1.gcp.cloud.es.io:9243$1a2b3c4d5e6f$7a8b9c0d1e2f'),
    cloudId('prod', 'westeurope.azure.elastic-cloud.com:443$abcdef0123456789$0123456789abcdef'),
    cloudId('no-kibana', 'eastus2.azure.elastic-cloud.com$3f1e0a9b8c7d'),
    cloudId('empty-kibana', 'us-central1.gcp.cloud.es.io$9d8c7b6a$'),
    cloudId('', 'ap-southeast-2.aws.found.io$ab12$cd34'),
  ];
  for (const id of ids) {
    it(`${id.split(':')[0] || '(empty name)'} decodes like @elastic/elasticsearch`, () => {
      const ours = decodeCloudId(id);
      const theirs = officialClientUrl(id);
      if (ours instanceof InferctlError) throw ours;
      expect(theirs).not.toBeInstanceOf(Error);
      expect(ours.url).toBe(theirs);
    });
  }

  it('keeps the :port, drops the Kibana id', () => {
    expect(decodeCloudId(ids[1] ?? '')).toEqual({
      url: 'https://1a2b3c4d5e6f.europe-west1.gcp.cloud.es.io:9243',
      name: 'staging',
    });
    expect(decodeCloudId(ids[0] ?? '')).toMatchObject({
      url: 'https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io',
    });
    // :443 is https' default: the URL does not repeat it.
    expect(decodeCloudId(ids[2] ?? '')).toMatchObject({
      url: 'https://abcdef0123456789.westeurope.azure.elastic-cloud.com',
    });
  });

  for (const bad of ['no-colon', 'a:b:c', 'name:', cloudId('x', 'only-one-part'), cloudId('x', '$es-only')]) {
    it(`rejects ${JSON.stringify(bad)} where the official client does`, () => {
      expect(officialClientUrl(bad)).toBeInstanceOf(Error);
      const ours = decodeCloudId(bad);
      expect(ours).toBeInstanceOf(InferctlError);
      expect((ours as InferctlError).code).toBe('connection_cloud_id_invalid');
    });
  }

  it('is trimmed (a trailing newline from a secret store)', () => {
    expect(ok({}, { ELASTIC_CLOUD_ID: `${ids[0] ?? ''}\n` }).url).toBe(
      'https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io',
    );
  });

  it('--cloud-id resolves with credentials; errors name the flag', () => {
    const c = ok({ cloudId: ids[1] }, { ELASTICSEARCH_API_KEY: 'k' });
    expect(c.url).toBe('https://1a2b3c4d5e6f.europe-west1.gcp.cloud.es.io:9243');
    expect(c.source).toEqual({ url: '--cloud-id', auth: 'ELASTICSEARCH_API_KEY' });
    expect(err({ cloudId: 'garbage' }).message).toBe(
      '--cloud-id: the Cloud ID must be in the format "name:base64string"',
    );
    expect(err({}, { ELASTIC_CLOUD_ID: 'garbage' }).message).toMatch(/^ELASTIC_CLOUD_ID: /);
  });
});

describe('URL', () => {
  it('from --url or ELASTICSEARCH_URL, normalised; the flag wins', () => {
    expect(ok({ url: 'http://localhost:9200/' }).url).toBe('http://localhost:9200');
    expect(ok({}, { ELASTICSEARCH_URL: 'https://es.example.com:9243' }).url).toBe(
      'https://es.example.com:9243',
    );
    expect(ok({ url: 'https://flag:9200' }, { ELASTICSEARCH_URL: 'https://env:9200' }).url).toBe(
      'https://flag:9200',
    );
    expect(ok({ url: 'https://proxy.example.com/elasticsearch/' }).url).toBe(
      'https://proxy.example.com/elasticsearch',
    );
  });

  it('a flag of one kind beats the environment of the other', () => {
    expect(ok({ url: 'https://flag:9200' }, { ELASTIC_CLOUD_ID: 'x:eA==' }).url).toBe('https://flag:9200');
  });

  it('missing: the hint names the flags and variables', () => {
    const e = err({});
    expect(e.code).toBe('connection_url_missing');
    expect(e.message).toBe('no Elasticsearch URL given');
    expect(e.hint).toBe(
      'pass --url https://host:9200 or set ELASTICSEARCH_URL (for Elastic Cloud: --cloud-id or ELASTIC_CLOUD_ID)',
    );
  });

  it('invalid: no scheme, wrong scheme, query', () => {
    const noScheme = err({ url: 'localhost:9200' });
    expect(noScheme.code).toBe('connection_url_invalid');
    expect(noScheme.hint).toBe(
      'include the scheme: https://localhost:9200 (or http:// for a cluster without TLS)',
    );
    expect(err({}, { ELASTICSEARCH_URL: 'ftp://x' }).message).toBe(
      'ELASTICSEARCH_URL: "ftp://x" is not an http:// or https:// URL',
    );
    expect(err({ url: 'http://x:9200/?pretty' }).code).toBe('connection_url_invalid');
    expect(err({ url: 'not a url' }).message).toBe('--url: "not a url" is not a URL');
  });

  it('both URL and Cloud ID at the same level: conflict', () => {
    expect(err({ url: 'http://a', cloudId: 'x:y' }).code).toBe('connection_conflict');
    expect(err({}, { ELASTICSEARCH_URL: 'http://a', ELASTIC_CLOUD_ID: 'x:y' }).message).toBe(
      'both ELASTICSEARCH_URL and ELASTIC_CLOUD_ID are set',
    );
  });
});

describe('credentials', () => {
  const url = 'https://es.example.com:9200';

  it('API key: encoded as given, `id:key` encoded, an `ApiKey ` prefix tolerated', () => {
    const c = ok({ url }, { ELASTICSEARCH_API_KEY: 'a2V5OnNlY3JldA==' });
    expect(authorizationHeader(c.auth)).toBe('ApiKey a2V5OnNlY3JldA==');
    expect(authorizationHeader(ok({ url }, { ELASTICSEARCH_API_KEY: 'key:secret' }).auth)).toBe(
      'ApiKey a2V5OnNlY3JldA==',
    );
    expect(authorizationHeader(ok({ url }, { ELASTICSEARCH_API_KEY: 'ApiKey a2V5OnNlY3JldA==' }).auth)).toBe(
      'ApiKey a2V5OnNlY3JldA==',
    );
    expect(credentialValues(c.auth)).toEqual(['a2V5OnNlY3JldA==', 'key:secret', 'secret']);
  });

  it('basic: username and password from flags, env, or mixed (password kept off the command line)', () => {
    const env = { ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: 'pw' };
    expect(authorizationHeader(ok({ url }, env).auth)).toBe(
      `Basic ${Buffer.from('elastic:pw').toString('base64')}`,
    );
    const mixed = ok({ url, username: 'admin' }, { ELASTICSEARCH_PASSWORD: 'pw2' });
    expect(mixed.auth).toMatchObject({ kind: 'basic', username: 'admin' });
    expect(mixed.warnings).toEqual([]);
    const flags = ok({ url, username: 'a', password: 'b' });
    expect(flags.warnings).toEqual([expect.stringContaining('--password on the command line is visible')]);
  });

  it('flags beat the environment as a group', () => {
    const c = ok({ url, apiKey: 'flagkey' }, { ELASTICSEARCH_USERNAME: 'u', ELASTICSEARCH_PASSWORD: 'p' });
    expect(c.auth.kind).toBe('api_key');
    expect(c.warnings).toEqual([expect.stringContaining('prefer ELASTICSEARCH_API_KEY')]);
    expect(ok({ url, username: 'u', password: 'p' }, { ELASTICSEARCH_API_KEY: 'k' }).auth.kind).toBe('basic');
  });

  it('conflicts and incomplete pairs', () => {
    expect(err({ url, apiKey: 'k', username: 'u' }).code).toBe('connection_conflict');
    expect(err({ url }, { ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_USERNAME: 'u' }).code).toBe(
      'connection_conflict',
    );
    const noPassword = err({ url, username: 'u' });
    expect(noPassword.code).toBe('connection_auth_incomplete');
    expect(noPassword.hint).toBe('set ELASTICSEARCH_PASSWORD (or pass --password)');
    expect(err({ url, password: 'p' }).message).toBe('--password is given without --username');
    expect(err({ url }, { ELASTICSEARCH_PASSWORD: 'p' }).message).toBe(
      'ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME',
    );
  });

  it('user:password@ in the URL: used as basic auth and removed from the URL', () => {
    const c = ok({ url: 'https://elastic:p%40ss@es.example.com:9200' });
    expect(c.url).toBe('https://es.example.com:9200');
    expect(c.auth).toMatchObject({ kind: 'basic', username: 'elastic' });
    expect(authorizationHeader(c.auth)).toBe(`Basic ${Buffer.from('elastic:p@ss').toString('base64')}`);
    const conflict = err({ url: 'https://elastic:pw@es.example.com', apiKey: 'k' });
    expect(conflict.code).toBe('connection_conflict');
    expect(conflict.message).not.toContain('pw');
    expect(err({ url: 'https://elastic@es.example.com' }).code).toBe('connection_auth_incomplete');
  });

  it('empty values count as not given', () => {
    expect(ok({ url, apiKey: '' }, { ELASTICSEARCH_API_KEY: '' }).auth).toEqual({ kind: 'none' });
  });

  it('credentials over plain http to a remote host: warning; loopback: none', () => {
    expect(ok({ url: 'http://es.internal:9200' }, { ELASTICSEARCH_API_KEY: 'k' }).warnings).toEqual([
      'credentials are sent unencrypted to es.internal:9200 over http://; use https://',
    ]);
    expect(ok({ url: 'http://127.0.0.1:9200' }, { ELASTICSEARCH_API_KEY: 'k' }).warnings).toEqual([]);
  });
});

describe('TLS options', () => {
  const url = 'https://es.example.com:9200';

  it('--ca-cert reads the PEM file', () => {
    expect(ok({ url, caCert: 'ca.pem' }).tls).toEqual({
      ca: PEM,
      caFile: 'ca.pem',
      rejectUnauthorized: true,
    });
    const missing = err({ url, caCert: 'nope.pem' });
    expect(missing.code).toBe('connection_ca_cert_unreadable');
    expect(missing.message).toBe(
      "--ca-cert: cannot read nope.pem (ENOENT: no such file or directory, open 'nope.pem')",
    );
    expect(err({ url, caCert: 'not.pem' }).code).toBe('connection_ca_cert_invalid');
  });

  it('--insecure only when asked, always with a warning', () => {
    expect(ok({ url }).tls.rejectUnauthorized).toBe(true);
    const c = ok({ url, insecure: true });
    expect(c.tls.rejectUnauthorized).toBe(false);
    expect(c.warnings).toEqual([
      'TLS certificate verification is disabled (--insecure): anyone between here and es.example.com:9200 can read and change the traffic, credentials included; prefer --ca-cert FILE',
    ]);
    expect(ok({ url: 'http://localhost:9200', insecure: true }).warnings).toEqual([
      '--insecure has no effect: http://localhost:9200 does not use TLS',
    ]);
  });
});

describe('no credential in any printed form', () => {
  it('toString, JSON, inspect, warnings and errors', () => {
    const key = 'Q0FOQVJZX0tFWV9JRDpDQU5BUllfU0VDUkVU';
    const password = 'CANARY-PASSWORD';
    const forms = [
      ok({ url: 'https://es.example.com' }, { ELASTICSEARCH_API_KEY: key }),
      ok({ url: 'http://es.example.com', username: 'u', password }),
      ok({ url: `https://u:${password}@es.example.com` }),
    ];
    for (const c of forms) {
      const printed = [String(c), `${c}`, JSON.stringify(c), inspect(c, { depth: 10 }), ...c.warnings].join(
        '\n',
      );
      expect(printed).not.toContain(key);
      expect(printed).not.toContain('CANARY');
    }
    expect(String(forms[0])).toBe('https://es.example.com (api key from ELASTICSEARCH_API_KEY)');
    expect(String(forms[1])).toBe('http://es.example.com (user u from --username)');
    const errors = [
      err({ url: `https://u:${password}@es.example.com`, apiKey: key }),
      err({ url: `not a url ${password}@x` }),
      err({ url: `ftp://u:${password}@host` }),
      err({ url: 'http://a' }, { ELASTICSEARCH_API_KEY: key, ELASTICSEARCH_USERNAME: 'u' }),
    ];
    for (const e of errors) {
      const printed = [e.message, e.hint ?? '', JSON.stringify(e.context), String(e)].join('\n');
      expect(printed).not.toContain(key);
      expect(printed).not.toContain('CANARY');
    }
  });
});
