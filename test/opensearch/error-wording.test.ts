// Errors from an OpenSearch cluster name OpenSearch, with OpenSearch hints: the client learns who it talks to from
// GET / (distribution: opensearch), and never tells an OpenSearch user about Kibana or manage_inference.
import { describe, expect, it } from 'vitest';
import { createElasticsearchClient } from '../../src/backends/elasticsearch/client.js';
import { resolveConnection } from '../../src/backends/elasticsearch/connection.js';
import { ElasticsearchError, errorFromResponse, PRODUCTS } from '../../src/backends/elasticsearch/errors.js';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { InferctlError } from '../../src/errors.js';

const redact = (s: string) => s;

describe('error wording per product', () => {
  it('after GET / reads distribution opensearch, a 400, a 500 and a dead server say OpenSearch', async () => {
    const emulator = await startOpenSearchEmulator({ port: 0, version: '2.19.0' });
    const connection = resolveConnection({ url: emulator.url }, {}, () => new Error('no files'));
    if (connection instanceof InferctlError) throw connection;
    const client = createElasticsearchClient(connection, { retry: { maxAttempts: 1, baseMs: 1 } });
    try {
      await client.info();
      const bad = await client
        .raw('POST', '/_plugins/_ml/connectors/_create', { body: { name: 'x' } })
        .catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(ElasticsearchError);
      expect((bad as ElasticsearchError).message).toMatch(
        /^OpenSearch rejected POST \/_plugins\/_ml\/connectors\/_create/,
      );
      expect((bad as ElasticsearchError).message).not.toContain('Elasticsearch');
    } finally {
      await emulator.close();
    }
    const gone = await client.raw('GET', '/').catch((e: unknown) => e);
    expect((gone as ElasticsearchError).message).toMatch(/^cannot reach OpenSearch at /);
  });

  it('hints point at OpenSearch Dashboards and ML Commons permissions, not Kibana and manage_inference', () => {
    const input = {
      method: 'GET',
      path: '/x',
      url: 'http://os:9200',
      attempts: 1,
      authKind: 'none' as const,
      redact,
    };
    const os = (status: number, bodyText = '{}') =>
      errorFromResponse({ ...input, status, bodyText, product: PRODUCTS.opensearch });
    expect(os(403).hint).toContain('ml_full_access');
    expect(os(403).hint).not.toContain('manage_inference');
    expect(os(302).hint).toContain('OpenSearch Dashboards');
    expect(os(503).message).toBe('OpenSearch at http://os:9200 failed to answer GET /x (503: {})');
    expect(os(401).message).toMatch(/^OpenSearch at http:\/\/os:9200 rejected the credentials/);
    // Elasticsearch stays the default.
    expect(errorFromResponse({ ...input, status: 503, bodyText: '{}' }).message).toBe(
      'Elasticsearch at http://os:9200 failed to answer GET /x (503: {})',
    );
  });
});
