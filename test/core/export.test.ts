// export writes manifests that plan: the secret an endpoint really uses (OAuth2's client_secret when its
// client_id, scopes and token_url / tenant_id are there), and a custom endpoint's real secret_parameters keys.
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { exportEndpoints } from '../../src/core/export.js';
import { parseManifests } from '../../src/manifest/load.js';
import { live } from '../helpers/engine.js';

function exported(text: string, version: string) {
  const { manifests } = exportEndpoints([live(text)], capabilitiesFor(version));
  expect(manifests).toHaveLength(1);
  return manifests[0]!;
}

/** The exported YAML validates for the version once its variables are set. */
function validates(yaml: string, env: readonly string[], version: string) {
  const result = parseManifests(yaml, 'exported.yaml', '/tmp/exported.yaml', {
    env: Object.fromEntries(env.map((v) => [v, 'value'])),
    version,
  });
  return result.diagnostics;
}

describe('export: which secret', () => {
  it('OpenAI with OAuth2 (9.5) gets client_secret, not api_key', () => {
    const m = exported(
      `
inference_id: oa-oauth
task_type: text_embedding
service: openai
service_settings:
  model_id: text-embedding-3-small
  client_id: my-client
  scopes: [api.read]
  token_url: https://login.example.com/oauth2/token
  similarity: dot_product
  dimensions: 1536
`,
      '9.5.0',
    );
    expect(m.yaml).toContain('client_secret:');
    expect(m.yaml).not.toContain('api_key:');
    expect(m.env).toEqual(['OA_OAUTH_CLIENT_SECRET']);
    expect(validates(m.yaml, m.env, '9.5.0')).toEqual([]);
  });

  it('Azure OpenAI with OAuth2 (9.4) gets client_secret', () => {
    const m = exported(
      `
inference_id: az-oauth
task_type: completion
service: azureopenai
service_settings:
  resource_name: res
  deployment_id: dep
  api_version: 2024-10-21
  client_id: my-client
  scopes: [https://cognitiveservices.azure.com/.default]
  tenant_id: my-tenant
`,
      '9.4.0',
    );
    expect(m.yaml).toContain('client_secret:');
    expect(m.yaml).not.toContain('api_key:');
    expect(m.yaml).not.toContain('entra_id:');
    expect(validates(m.yaml, m.env, '9.4.0')).toEqual([]);
  });

  it('without OAuth2 fields the api_key is written', () => {
    const m = exported(
      `
inference_id: oa
task_type: completion
service: openai
service_settings: { model_id: gpt-4o }
`,
      '9.5.0',
    );
    expect(m.env).toEqual(['OA_API_KEY']);
    expect(m.yaml).not.toContain('client_secret');
  });
});

describe('export: custom secret_parameters', () => {
  it('names the keys the templates use that the parameters do not resolve', () => {
    const m = exported(
      `
inference_id: my-custom
task_type: text_embedding
service: custom
service_settings:
  url: https://api.example.com/embed?key=\${token}
  headers: { Authorization: 'Bearer \${api_key}', Content-Type: application/json }
  request: '{"texts": \${input}, "model": "\${model}"}'
  response: { json_parser: { text_embeddings: '$.embeddings[*]' } }
task_settings:
  parameters: { model: embed-v4 }
`,
      '9.1.0',
    );
    expect(m.yaml).not.toContain('REPLACE_WITH_KEY');
    expect([...m.env].sort()).toEqual([
      'MY_CUSTOM_SECRET_PARAMETERS_API_KEY',
      'MY_CUSTOM_SECRET_PARAMETERS_TOKEN',
    ]);
    expect(m.yaml).toMatch(/secret_parameters:\n\s+token:/);
    expect(validates(m.yaml, m.env, '9.1.0')).toEqual([]);
  });
});

describe('validate: custom templates must resolve', () => {
  it('names the field whose template no secret_parameters or parameters key resolves', () => {
    const yaml = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: c }
spec:
  task_type: text_embedding
  service: custom
  service_settings:
    secret_parameters:
      REPLACE_WITH_KEY: { secretRef: { env: K } }
    url: https://api.example.com/embed
    headers:
      Authorization: Bearer \${api_key}
    request: '{"texts": \${input}}'
    response: { json_parser: { text_embeddings: '$.embeddings[*]' } }
`;
    const { diagnostics } = parseManifests(yaml, 'c.yaml', '/tmp/c.yaml', { env: { K: 'v' } });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      path: 'spec.service_settings.headers',
      line: 12,
      message: expect.stringContaining('${api_key} in headers'),
    });
  });
});
