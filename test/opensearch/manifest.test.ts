// `inferctl validate` on the OpenSearch kinds: the loader dispatches on `kind`, the schema is strict (the
// server would silently skip an unknown key), credentials are secret references only, references between
// manifests must resolve, and the examples are valid.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { loadManifests } from '../../src/manifest/load.js';
import { Secret } from '../../src/manifest/secrets.js';
import { checkOpenSearchVersion } from '../../src/opensearch/manifest.js';
import { inferctl } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';

function load(
  text: string,
  env: Record<string, string> = { KEY: 'sk-canary-os' },
  allowLiteralSecrets = false,
) {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-validate-'));
  writeFileSync(join(dir, 'os.yaml'), text);
  return loadManifests(['os.yaml'], { cwd: dir, env, allowLiteralSecrets });
}

const where = (r: ReturnType<typeof load>) =>
  r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.path}: ${d.message}`);

const connector = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: conn }
spec:
  version: 1
  protocol: http
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions: [{ action_type: predict, method: POST, url: 'https://api.openai.com/v1/embeddings' }]
`;

describe('OpenSearch manifests', () => {
  it('the examples are valid: a connector, a group and a model for OpenAI, Cohere and Bedrock', () => {
    const result = loadManifests(['opensearch'], { cwd: EXAMPLES, env: secretEnv(EXAMPLES) });
    expect(result.diagnostics).toEqual([]);
    expect(result.manifests).toEqual([]);
    expect(result.openSearch.map((m) => `${m.kind}/${m.name}`).sort()).toEqual([
      'OpenSearchConnector/bedrock-titan-embeddings-connector',
      'OpenSearchConnector/cohere-embed-connector',
      'OpenSearchConnector/openai-embeddings-connector',
      'OpenSearchModel/bedrock-titan-embeddings',
      'OpenSearchModel/cohere-embeddings',
      'OpenSearchModel/openai-embeddings',
      'OpenSearchModelGroup/bedrock-models',
      'OpenSearchModelGroup/cohere-models',
      'OpenSearchModelGroup/openai-models',
    ]);
    // Valid on every profile the end-to-end tests apply them to; before 3.1 the space_type is only noted as not kept.
    for (const version of ['2.12.0', '2.15.0', '2.19.0', '3.1.0', '3.6.0', '3.9.0']) {
      const found = checkOpenSearchVersion(result.openSearch, openSearchCapabilitiesFor(version));
      expect(found.filter((d) => d.severity === 'error')).toEqual([]);
      expect(found.map((d) => d.code)).toEqual(version < '3.1' ? Array(3).fill('kept_from_version') : []);
    }
  });

  it('resolves the credential into Secrets that never print', () => {
    const result = load(connector);
    expect(result.diagnostics).toEqual([]);
    const spec = result.openSearch[0]!.spec as { credential: Record<string, Secret> };
    expect(spec.credential['openAI_key']).toBeInstanceOf(Secret);
    expect(spec.credential['openAI_key']!.reveal()).toBe('sk-canary-os');
    expect(JSON.stringify(result.openSearch)).not.toContain('sk-canary-os');
  });

  it('is strict: an unknown key (which ML Commons would skip silently) is an error, with the known ones', () => {
    const result = load(
      connector.replace('  protocol: http\n', '  protocol: http\n  paramters: { model: x }\n'),
    );
    expect(where(result)).toEqual(['7:3 unknown_field spec.paramters: unknown field "paramters" in spec']);
    expect(result.diagnostics[0]!.hint).toBe('did you mean "parameters"?');
  });

  it('takes credentials only as secret references (a literal is refused without being quoted)', () => {
    const result = load(connector.replace('{ secretRef: { env: KEY } }', 'sk-literal-canary'));
    expect(where(result)).toEqual([
      '7:29 literal_secret spec.credential.openAI_key: this is a secret and must not be written in the manifest (value not shown)',
    ]);
    expect(JSON.stringify(result.diagnostics)).not.toContain('sk-literal-canary');
    expect(
      load(connector.replace('{ secretRef: { env: KEY } }', 'sk-literal'), {}, true).diagnostics,
    ).toEqual([]);
  });

  it('reports a missing secret variable at its reference', () => {
    expect(where(load(connector, {}))).toEqual([
      '7:42 secret_env_missing spec.credential.openAI_key: environment variable KEY is not set',
    ]);
  });

  it('checks the enums and rules the server enforces', () => {
    const model = `apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m }
spec:
  model_group: g
  connector: conn
  rate_limiter: { limit: '4', unit: minutes }
  guardrails: { type: model, input_guardrail: { regex: ['x'] } }
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: g }
spec: { access_mode: everyone }
`;
    expect(where(load(`${connector}---\n${model}`))).toEqual([
      '16:37 invalid_value spec.rate_limiter.unit: "minutes" is not allowed; expected one of "NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS"',
      '17:30 rule spec.guardrails.input_guardrail: a model guardrail names its guard model once: model (an OpenSearchModel by manifest name) or model_id (a literal id)',
      '17:49 unknown_field spec.guardrails.input_guardrail.regex: unknown field "regex" in spec.guardrails.input_guardrail',
      '22:22 invalid_value spec.access_mode: "everyone" is not allowed; expected one of "public", "private", "restricted"',
    ]);
  });

  it('needs the access key pair for an aws_sigv4 connector', () => {
    const result = load(connector.replace('protocol: http', 'protocol: aws_sigv4'));
    expect(result.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.credential.access_key: missing required field "access_key"',
      'spec.credential.secret_key: missing required field "secret_key"',
    ]);
  });

  it('resolves references by manifest name, and says which names exist', () => {
    const result = load(`${connector}---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m }
spec: { model_group: missing-group, connector: con }
`);
    expect(where(result)).toEqual([
      '13:22 rule spec.model_group: no OpenSearchModelGroup named "missing-group" is declared',
      '13:48 rule spec.connector: no OpenSearchConnector named "con" is declared',
    ]);
    expect(result.diagnostics[1]!.hint).toBe(
      'declare kind: OpenSearchConnector with metadata.name: con (declared: conn)',
    );
  });

  it('names every kind in the unknown-kind message', () => {
    const result = load(connector.replace('kind: OpenSearchConnector', 'kind: OpenSearchConector'));
    expect(result.diagnostics[0]!.message).toBe(
      'unknown kind "OpenSearchConector"; inferctl knows InferenceEndpoint, OpenSearchConnector, OpenSearchModelGroup, OpenSearchModel',
    );
    expect(result.diagnostics[0]!.hint).toBe('did you mean "OpenSearchConnector"?');
  });

  it('inferctl validate counts them', () => {
    const result = inferctl(['validate', 'examples/opensearch'], { env: secretEnv(EXAMPLES) });
    expect(result.stdout).toBe('✓ 9 manifests in 3 files valid\n');
    expect(result.code).toBe(0);
  });
});
