// The compile step, tested like a compiler: a planned change and the ids known so far in, the ML Commons
// requests out — before anything is sent. Credentials stay `Secret`s (they print as "(secret)").
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { compileOpenSearchChange, describeStep } from '../../src/opensearch/compile.js';
import { objectKey } from '../../src/opensearch/kinds.js';
import type { OpenSearchChange } from '../../src/opensearch/types.js';
import { Secret } from '../../src/manifest/secrets.js';
import { manifestsFrom } from './helpers.js';

const manifests = manifestsFrom(
  `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: conn }
spec:
  version: 1
  protocol: http
  parameters: { model: m }
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions: [{ action_type: predict, method: POST, url: 'https://api.openai.com/v1/embeddings' }]
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: group }
spec: { description: models }
---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: model }
spec:
  model_group: group
  connector: conn
  is_enabled: false
  rate_limiter: { limit: 4, unit: MINUTES }
`,
  { KEY: 'sk-canary' },
);
const [connector, group, model] = manifests;
const ids = new Map([
  [objectKey('OpenSearchConnector', 'conn'), 'C1'],
  [objectKey('OpenSearchModelGroup', 'group'), 'G1'],
]);
const lookup = (k: string) => ids.get(k);

function change(
  partial: Partial<OpenSearchChange> & Pick<OpenSearchChange, 'kind' | 'action' | 'name'>,
): OpenSearchChange {
  return { key: objectKey(partial.kind, partial.name), reasons: [], diff: [], dependsOn: [], ...partial };
}

describe('compileOpenSearchChange', () => {
  it('creates a connector with its credential as a Secret', () => {
    const steps = compileOpenSearchChange(
      change({ kind: 'OpenSearchConnector', action: 'create', name: 'conn' }),
      connector,
      openSearchCapabilitiesFor('2.19.0'),
      lookup,
    );
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    expect(step.kind).toBe('create-connector');
    const body = (step as { body: Record<string, unknown> }).body;
    expect((body['credential'] as Record<string, unknown>)['openAI_key']).toBeInstanceOf(Secret);
    expect(JSON.stringify(body)).not.toContain('sk-canary');
    expect(body['name']).toBe('conn');
  });

  it('updates a connector with the changed fields only; the credential map whole when it rotated', () => {
    const steps = compileOpenSearchChange(
      change({
        kind: 'OpenSearchConnector',
        action: 'update',
        name: 'conn',
        id: 'C1',
        diff: [
          { op: 'replace', path: '/parameters/model', before: 'x', after: 'm', mode: 'in-place' },
          { op: 'replace', path: '/credential/openAI_key', secret: true, mode: 'in-place' },
        ],
      }),
      connector,
      openSearchCapabilitiesFor('2.19.0'),
      lookup,
    );
    expect(steps.map(describeStep)).toEqual(['PUT /_plugins/_ml/connectors/C1']);
    expect(Object.keys((steps[0] as { body: object }).body).sort()).toEqual(['credential', 'parameters']);
  });

  it('registers a remote model in its group on its connector; 2.x disables it by an update right after', () => {
    const on219 = compileOpenSearchChange(
      change({ kind: 'OpenSearchModel', action: 'create', name: 'model' }),
      model,
      openSearchCapabilitiesFor('2.19.0'),
      lookup,
    );
    expect(on219).toEqual([
      {
        kind: 'register-model',
        body: {
          name: 'model',
          function_name: 'remote',
          model_group_id: 'G1',
          connector_id: 'C1',
          is_enabled: false,
          rate_limiter: { limit: 4, unit: 'MINUTES' },
        },
      },
      { kind: 'update-model', body: { is_enabled: false } },
    ]);
    // 3.x stores is_enabled at registration (capability registerStoresIsEnabled).
    const on30 = compileOpenSearchChange(
      change({ kind: 'OpenSearchModel', action: 'create', name: 'model' }),
      model,
      openSearchCapabilitiesFor('3.0.0'),
      lookup,
    );
    expect(on30.map((s) => s.kind)).toEqual(['register-model']);
  });

  it('re-registers as delete then register; deploys the new id', () => {
    const replace = compileOpenSearchChange(
      change({ kind: 'OpenSearchModel', action: 'replace', name: 'model', id: 'M1' }),
      model,
      openSearchCapabilitiesFor('3.1.0'),
      lookup,
    );
    expect(replace.map(describeStep)).toEqual([
      'DELETE /_plugins/_ml/models/M1',
      'POST /_plugins/_ml/models/_register',
    ]);
    const deploy = compileOpenSearchChange(
      change({
        kind: 'OpenSearchModel',
        action: 'deploy',
        name: 'model',
        id: 'M1',
        key: 'OpenSearchModel/model#deploy',
      }),
      model,
      openSearchCapabilitiesFor('3.1.0'),
      (k) => (k === 'OpenSearchModel/model' ? 'M2' : undefined),
    );
    expect(deploy).toEqual([{ kind: 'deploy-model', id: 'M2' }]);
  });

  it('updates a model: references as ids, cleared fields as their clearing value', () => {
    const steps = compileOpenSearchChange(
      change({
        kind: 'OpenSearchModel',
        action: 'update',
        name: 'model',
        id: 'M1',
        diff: [
          { op: 'replace', path: '/connector_id', before: 'C0', after: 'C1', mode: 'in-place' },
          { op: 'remove', path: '/interface', before: { input: {} }, mode: 'in-place' },
          {
            op: 'replace',
            path: '/rate_limiter/unit',
            before: 'SECONDS',
            after: 'MINUTES',
            mode: 'in-place',
          },
        ],
      }),
      model,
      openSearchCapabilitiesFor('2.19.0'),
      lookup,
    );
    expect(steps).toEqual([
      {
        kind: 'update-model',
        id: 'M1',
        body: {
          connector_id: 'C1',
          interface: { input: null, output: null },
          rate_limiter: { limit: 4, unit: 'MINUTES' },
        },
      },
    ]);
  });

  it('registers a group; deletes by id; undeploys by id', () => {
    const caps = openSearchCapabilitiesFor('2.19.0');
    expect(
      compileOpenSearchChange(
        change({ kind: 'OpenSearchModelGroup', action: 'create', name: 'group' }),
        group,
        caps,
        lookup,
      ),
    ).toEqual([{ kind: 'register-group', body: { name: 'group', description: 'models' } }]);
    expect(
      compileOpenSearchChange(
        change({ kind: 'OpenSearchModelGroup', action: 'delete', name: 'old', id: 'G9' }),
        undefined,
        caps,
        lookup,
      ),
    ).toEqual([{ kind: 'delete-group', id: 'G9' }]);
    expect(
      compileOpenSearchChange(
        change({
          kind: 'OpenSearchModel',
          action: 'undeploy',
          name: 'model',
          id: 'M1',
          key: 'OpenSearchModel/model#undeploy',
        }),
        model,
        caps,
        lookup,
      ),
    ).toEqual([{ kind: 'undeploy-model', id: 'M1' }]);
  });
});
