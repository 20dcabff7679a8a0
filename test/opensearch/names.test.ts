// OpenSearch names are free text, as the ml-commons blueprints write them ("Amazon Bedrock Connector: embedding"):
// accepted, applied and converged; blank refused; 3.1's character rule checked against the declared version; the
// adopt line export prints is shell-quoted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { shellQuote } from '../../src/cli/export.js';
import { loadManifests } from '../../src/manifest/load.js';
import { checkOpenSearchVersion } from '../../src/opensearch/manifest.js';
import { cluster, manifestsFrom } from './helpers.js';

const env = { KEY: 'sk-names-canary' };
const text = (
  connector: string,
  group: string,
  model: string,
  description = 'OpenAI embeddings',
) => `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: "${connector}" }
spec:
  description: ${description}
  version: 1
  protocol: http
  credential: { key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${credential.key}' }
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: "${group}" }
spec: {}
---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: "${model}" }
spec:
  model_group: "${group}"
  connector: "${connector}"
  model_config: { model_type: text_embedding, embedding_dimension: 1536, framework_type: SENTENCE_TRANSFORMERS, additional_config: { space_type: l2 } }
`;
const blueprint = text('OpenAI Connector: embedding', 'remote models (OpenAI)', 'OpenAI embedding model');

describe('free-text OpenSearch names', () => {
  it('validate, apply and converge on 2.19 and 3.6 as the blueprints name them', async () => {
    for (const version of ['2.19.0', '3.6.0']) {
      const manifests = manifestsFrom(blueprint, env);
      expect(
        checkOpenSearchVersion(manifests, openSearchCapabilitiesFor(version)).filter(
          (d) => d.severity === 'error',
        ),
      ).toEqual([]);
      const c = await cluster(version);
      try {
        const result = await c.apply(await c.plan(manifests), manifests);
        expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
        expect((await c.plan(manifests)).changes).toEqual([]);
        expect([...c.emulator.state.connectors.docs.values()].map((d) => JSON.stringify(d))[0]).toContain(
          'OpenAI Connector: embedding',
        );
      } finally {
        await c.close();
      }
    }
  });

  it('a blank name is refused with file and line; an InferenceEndpoint keeps the inference-id rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-names-'));
    writeFileSync(join(dir, 'os.yaml'), text('  ', 'g', 'm'));
    const found = loadManifests(['os.yaml'], { cwd: dir, env }).diagnostics.map(
      (d) => `${d.line} ${d.path}: ${d.message}`,
    );
    expect(found).toContain('3 metadata.name: a name must not be blank');
  });

  it('3.1 and later refuse characters outside their rule; 3.0 accepts them', () => {
    const odd = manifestsFrom(text('conn <v2>', 'g', 'm', 'costs $$'), env);
    expect(
      checkOpenSearchVersion(odd, openSearchCapabilitiesFor('3.0.0')).filter((d) => d.severity === 'error'),
    ).toEqual([]);
    expect(
      checkOpenSearchVersion(odd, openSearchCapabilitiesFor('3.1.0')).map((d) => `${d.line} ${d.path}`),
    ).toEqual(['3 metadata.name', '5 spec.description']);
  });

  it('shell-quotes the keys it prints for adopt', () => {
    expect(shellQuote('OpenSearchModel/openai-embeddings')).toBe('OpenSearchModel/openai-embeddings');
    expect(shellQuote("OpenSearchConnector/Amazon Bedrock Connector: it's")).toBe(
      `'OpenSearchConnector/Amazon Bedrock Connector: it'\\''s'`,
    );
  });
});
