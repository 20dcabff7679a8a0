// exportOpenSearch, the pure half of `inferctl export` on OpenSearch: live documents in, manifests out — what the
// server fills in left out, credential keys read from placeholders, what cannot be a manifest skipped with why.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { exportOpenSearch } from '../../src/opensearch/export.js';

const caps = openSearchCapabilitiesFor('2.19.0');
const group = {
  id: 'G1',
  source: { name: 'search-models', description: 'd', access: 'public', latest_version: 2 },
};
const action = {
  action_type: 'PREDICT',
  method: 'POST',
  url: 'https://api.openai.com/v1/embeddings',
  headers: { Authorization: 'Bearer ${credential.openAI_key}' },
  request_body: '{ "input": ${parameters.input} }',
};

function specs(yaml: readonly { yaml: string }[]) {
  return yaml.map((o) => parseAllDocuments(o.yaml)[0]!.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('exportOpenSearch', () => {
  it('writes an inline connector with its credential keys, leaves server-filled values out', () => {
    const out = exportOpenSearch(
      {
        connectors: [],
        groups: [group],
        models: [
          {
            id: 'M1',
            source: {
              name: 'inline-model',
              algorithm: 'REMOTE',
              model_group_id: 'G1',
              model_state: 'REGISTERED',
              model_version: '2',
              created_time: 1,
              deploy_setting: { is_auto_deploy_enabled: false, model_ttl_minutes: -1 },
              connector: {
                name: 'inline',
                version: '1',
                protocol: 'http',
                parameters: { model: 'text-embedding-3-small' },
                actions: [action],
                client_config: {
                  max_connection: 30,
                  connection_timeout: 30000,
                  read_timeout: 30000,
                  max_retry_times: 3,
                },
              },
            },
          },
        ],
      },
      caps,
    );
    expect(out.skipped).toEqual([]);
    const [g, m] = specs(out.objects);
    expect(g).toEqual({
      apiVersion: 'inferctl/v1',
      kind: 'OpenSearchModelGroup',
      metadata: { name: 'search-models' },
      spec: { description: 'd', access_mode: 'public' },
    });
    expect(m!.spec).toEqual({
      model_group: 'search-models',
      connector: {
        name: 'inline',
        version: '1',
        protocol: 'http',
        parameters: { model: 'text-embedding-3-small' },
        actions: [{ ...action, action_type: 'predict' }],
        client_config: { max_retry_times: 3 },
        credential: { openAI_key: { secretRef: { env: 'INLINE_MODEL_OPENAI_KEY' } } },
      },
      deploy_setting: { is_auto_deploy_enabled: false },
      deploy: false,
    });
    expect(out.objects[1]!.env).toEqual(['INLINE_MODEL_OPENAI_KEY']);
    expect(out.objects[1]!.yaml).toContain('OpenSearch never returns credentials');
  });

  it('skips local and hidden models and names several objects share, saying why', () => {
    const out = exportOpenSearch(
      {
        connectors: [
          { id: 'C1', source: { name: 'twin', version: '1', protocol: 'http', actions: [action] } },
          { id: 'C2', source: { name: 'twin', version: '1', protocol: 'http', actions: [action] } },
        ],
        groups: [group],
        models: [
          { id: 'L1', source: { name: 'local', algorithm: 'TEXT_EMBEDDING', model_group_id: 'G1' } },
          {
            id: 'H1',
            source: { name: 'hidden', algorithm: 'REMOTE', is_hidden: true, model_group_id: 'G1' },
          },
          {
            id: 'R1',
            source: { name: 'on-twin', algorithm: 'REMOTE', model_group_id: 'G1', connector_id: 'C1' },
          },
        ],
      },
      caps,
    );
    expect(out.objects.map((o) => o.key)).toEqual(['OpenSearchModelGroup/search-models']);
    expect(out.skipped.map((s) => `${s.key} ${s.id}: ${s.reason}`)).toEqual([
      'OpenSearchConnector/twin C1: 2 OpenSearchConnector objects are named twin (C1, C2): rename or delete the extra ones',
      'OpenSearchConnector/twin C2: 2 OpenSearchConnector objects are named twin (C1, C2): rename or delete the extra ones',
      'OpenSearchModel/local L1: a local model (TEXT_EMBEDDING): inferctl manages remote models',
      'OpenSearchModel/on-twin R1: its connector C1 is missing or shares its name with another',
    ]);
  });

  it('never writes a secret found in clear in a header: it becomes a credential placeholder, with a warning', () => {
    const out = exportOpenSearch(
      {
        connectors: [
          {
            id: 'C1',
            source: {
              name: 'by-hand',
              version: '1',
              protocol: 'http',
              actions: [
                { ...action, headers: { Authorization: 'Bearer sk-literal-canary', Accept: 'json' } },
              ],
            },
          },
        ],
        groups: [],
        models: [],
      },
      caps,
    );
    const [c] = out.objects;
    expect(c!.yaml).not.toContain('sk-literal-canary');
    const [spec] = specs(out.objects).map((o) => o.spec);
    expect(spec.actions[0].headers).toEqual({ Authorization: '${credential.authorization}', Accept: 'json' });
    expect(spec.credential).toEqual({ authorization: { secretRef: { env: 'BY_HAND_AUTHORIZATION' } } });
    expect(c!.warnings).toEqual([
      expect.stringContaining(
        'OpenSearchConnector/by-hand: the header Authorization (now ${credential.authorization}) held a value written in clear',
      ),
    ]);
    expect(c!.warnings.join()).not.toContain('sk-literal-canary');
  });
});
