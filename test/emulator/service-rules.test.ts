// Cross-field service rules as the emulator answers them: 9.5's wording for alternative secrets, Vertex AI rerank.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';

const servers: Record<string, Awaited<ReturnType<typeof startEmulator>>> = {};
beforeAll(async () => {
  for (const v of ['9.4.0', '9.5.0']) servers[v] = await startEmulator({ esVersion: v, port: 0 });
});
afterAll(async () => Promise.all(Object.values(servers).map((s) => s.close())));

const put = async (version: string, id: string, body: unknown) => {
  const res = await fetch(`${servers[version]!.url}/_inference/text_embedding/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
};

describe('exactly one secret', () => {
  it('9.5 OpenAI', async () => {
    const r = await put('9.5.0', 'o', {
      service: 'openai',
      service_settings: { model_id: 'text-embedding-3-small' },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain(
      '[service_settings] must have exactly one field of [api_key, client_secret] set',
    );
  });

  it('9.5 Azure OpenAI, and both keys at once', async () => {
    const azure = { resource_name: 'r', deployment_id: 'd', api_version: '2024-02-01' };
    const none = await put('9.5.0', 'a', { service: 'azureopenai', service_settings: azure });
    expect(none.text).toContain(
      '[service_settings] must have exactly one field of [api_key, entra_id, client_secret] set',
    );
    const both = await put('9.5.0', 'b', {
      service: 'azureopenai',
      service_settings: { ...azure, api_key: 'k', entra_id: 'e' },
    });
    expect(both.text).toContain('must have exactly one field of [api_key, entra_id, client_secret] set');
  });

  it('9.4 Azure OpenAI keeps the older wording the catalog gives', async () => {
    const r = await put('9.4.0', 'a', {
      service: 'azureopenai',
      service_settings: { resource_name: 'r', deployment_id: 'd', api_version: '2024-02-01' },
    });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('must have exactly one field of');
  });
});

describe('Vertex AI rerank', () => {
  it('needs no model_id (GoogleVertexAiRerankServiceSettings keeps it optional), on 9.5 as before', async () => {
    const res = await fetch(`${servers['9.5.0']!.url}/_inference/rerank/vertex-rerank`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'googlevertexai',
        service_settings: { project_id: 'p', service_account_json: '{}' },
      }),
    });
    expect(res.status, await res.text()).toBe(200);
  });
});
