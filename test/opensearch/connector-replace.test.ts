// A stand-alone connector value the Update Connector API cannot remove (parameters are merged with
// putAll, the API docs): the connector is replaced without downtime — created anew with the declared
// content, every model that uses it switched in place (Update Model API connector_id, 2.12+, no
// undeploy), the old one deleted, the new id recorded — and the next plan is empty.
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { compileOpenSearchChange } from '../../src/opensearch/compile.js';
import type { LiveObject, OpenSearchLive } from '../../src/opensearch/live.js';
import { buildOpenSearchPlan } from '../../src/opensearch/plan.js';
import { actions, cluster, manifestsFrom } from './helpers.js';

const KEY = 'sk-replace-canary-41';
const env = { KEY };

const connector = (
  parameters = '{ model: text-embedding-3-small, dimensions: 1536 }',
  description = 'OpenAI',
) =>
  `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: conn }
spec:
  description: ${description}
  version: 1
  protocol: http
  parameters: ${parameters}
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${credential.openAI_key}' }
      request_body: '{ "input": \${parameters.input}, "model": "\${parameters.model}" }'
`;
const group = `---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: group }
spec: { description: models }
`;
const model = (name: string) => `---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: ${name} }
spec:
  model_group: group
  connector: conn
  description: embeddings
`;

const caps = openSearchCapabilitiesFor('2.19.0');

function liveConnector(parameters: Record<string, string>): LiveObject {
  return {
    id: 'C1',
    source: {
      name: 'conn',
      version: '1',
      description: 'OpenAI',
      protocol: 'http',
      parameters,
      actions: [
        {
          action_type: 'PREDICT',
          method: 'POST',
          url: 'https://api.openai.com/v1/embeddings',
          headers: { Authorization: 'Bearer ${credential.openAI_key}' },
          request_body: '{ "input": ${parameters.input}, "model": "${parameters.model}" }',
        },
      ],
    },
  };
}
const liveModel = (id: string, name: string, groupId = 'G1'): LiveObject => ({
  id,
  source: {
    name,
    model_group_id: groupId,
    algorithm: 'REMOTE',
    description: 'embeddings',
    connector_id: 'C1',
    model_state: 'DEPLOYED',
  },
});
const live = (): OpenSearchLive => ({
  connectors: [liveConnector({ model: 'text-embedding-3-small', dimensions: '1536' })],
  groups: [{ id: 'G1', source: { name: 'group', description: 'models' } }],
  models: [
    liveModel('M1', 'a'),
    liveModel('M2', 'b'),
    // Uses the connector but is declared nowhere (another team's model, another group).
    liveModel('X9', 'theirs', 'G7'),
  ],
});

describe('connector replacement: the plan', () => {
  it('a removed parameter replaces the connector: create, switch every model in place, delete the old one', () => {
    const desired = manifestsFrom(
      connector('{ model: text-embedding-3-small }') + group + model('a') + model('b'),
      env,
    );
    const plan = buildOpenSearchPlan({
      desired,
      live: live(),
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'replace OpenSearchConnector/conn',
      'update OpenSearchModel/a',
      'update OpenSearchModel/b',
      'update OpenSearchModel/id:X9',
      'delete OpenSearchConnector/conn#old',
    ]);
    const [replace, a, , theirs, remove] = plan.changes;
    expect(replace!.reasons).toEqual([
      {
        code: 'cannot_remove',
        message:
          'parameters.dimensions is no longer declared and the Update Connector API cannot remove it (it merges parameters and keeps omitted fields): replaced without downtime — a new connector is created with the declared content, the models that use it (a, b, theirs) are switched to it in place with the Update Model API (no undeploy), then the old one (C1) is deleted',
        fields: ['/parameters/dimensions'],
      },
    ]);
    expect(replace!.diff.map((d) => `${d.op} ${d.path} ${d.mode}`)).toEqual([
      'add /credential/openAI_key replace',
      'remove /parameters/dimensions replace',
    ]);
    expect(replace!.blocked).toBeUndefined();
    expect(replace!.downtime).toBeUndefined();
    expect(plan.summary).toMatchObject({
      replace: 1,
      update: 3,
      delete: 1,
      undeploy: 0,
      downtime: 0,
      blocked: 0,
    });
    // The models move in place, after the new connector exists; no undeploy anywhere.
    expect(a!.dependsOn).toEqual(['OpenSearchConnector/conn']);
    expect(a!.diff).toEqual([
      {
        op: 'replace',
        path: '/connector_id',
        before: 'C1',
        after: '(id of OpenSearchConnector/conn, created by this plan)',
        mode: 'in-place',
        why: 'connector conn is replaced: switched to the new one in place (no undeploy)',
      },
    ]);
    expect(theirs!).toMatchObject({ name: 'theirs', id: 'X9', dependsOn: ['OpenSearchConnector/conn'] });
    expect(remove!).toMatchObject({
      id: 'C1',
      dependsOn: [
        'OpenSearchConnector/conn',
        'OpenSearchModel/a',
        'OpenSearchModel/b',
        'OpenSearchModel/id:X9',
      ],
    });
    // Compiled: the replacement creates (with the credential), the switches send the new id, the old goes.
    const ids = (k: string) => ({ 'OpenSearchConnector/conn': 'C2', 'OpenSearchModelGroup/group': 'G1' })[k];
    const connectorManifest = desired.find((m) => m.kind === 'OpenSearchConnector');
    const [create] = compileOpenSearchChange(replace!, connectorManifest, caps, ids);
    expect(create).toMatchObject({
      kind: 'create-connector',
      body: { name: 'conn', parameters: { model: 'text-embedding-3-small' } },
    });
    expect(
      compileOpenSearchChange(
        a!,
        desired.find((m) => m.name === 'a'),
        caps,
        ids,
      ),
    ).toEqual([{ kind: 'update-model', id: 'M1', body: { connector_id: 'C2' } }]);
    expect(compileOpenSearchChange(theirs!, undefined, caps, ids)).toEqual([
      { kind: 'update-model', id: 'X9', body: { connector_id: 'C2' } },
    ]);
    expect(compileOpenSearchChange(remove!, connectorManifest, caps, ids)).toEqual([
      { kind: 'delete-connector', id: 'C1' },
    ]);
    expect(JSON.stringify(plan)).not.toContain(KEY);
  });

  it('other changes ride along in the replacement: no in-place update, no undeploy', () => {
    const desired = manifestsFrom(
      connector('{ model: text-embedding-3-large }', 'OpenAI large') + group + model('a') + model('b'),
      env,
    );
    const plan = buildOpenSearchPlan({
      desired,
      live: live(),
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(actions(plan)).toEqual([
      'replace OpenSearchConnector/conn',
      'update OpenSearchModel/a',
      'update OpenSearchModel/b',
      'update OpenSearchModel/id:X9',
      'delete OpenSearchConnector/conn',
    ]);
    expect(plan.changes[0]!.diff.map((d) => `${d.op} ${d.path}`)).toEqual([
      'add /credential/openAI_key',
      'replace /description',
      'remove /parameters/dimensions',
      'replace /parameters/model',
    ]);
  });

  it('a protected connector is not replaced; without the Update Model API (before 2.12) the value stays, as a warning', () => {
    const protectedConnector = connector('{ model: text-embedding-3-small }').replace(
      'metadata: { name: conn }',
      'metadata: { name: conn, protect: true }',
    );
    const desired = manifestsFrom(protectedConnector + group + model('a') + model('b'), env);
    const plan = buildOpenSearchPlan({
      desired,
      live: live(),
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(plan.changes[0]!.blocked?.reason).toBe(
      'conn is protected (metadata.protect: true) and this change replaces it (a new id)',
    );
    expect(plan.changes.find((c) => c.key === 'OpenSearchConnector/conn#old')?.blocked).toBeDefined();

    const old = buildOpenSearchPlan({
      desired: manifestsFrom(
        connector('{ model: text-embedding-3-small }') + group + model('a') + model('b'),
        env,
      ),
      live: live(),
      capabilities: openSearchCapabilitiesFor('2.11.0'),
      target: { url: 'http://os' },
    });
    expect(old.changes.filter((c) => c.kind === 'OpenSearchConnector')).toEqual([]);
    expect(old.notes.join('\n')).toMatch(/parameters\.dimensions is no longer declared but stays "1536"/);
  });
});

describe('connector replacement: apply', () => {
  it('replaces the connector with its deployed models staying DEPLOYED, records the new id, then plans nothing', async () => {
    const c = await cluster('2.19.0');
    try {
      const first = manifestsFrom(connector() + group + model('a') + model('b'), env);
      expect((await c.apply(await c.plan(first), first)).summary).toMatchObject({ failed: 0, skipped: 0 });
      const before = await c.plan(first);
      expect(before.changes).toEqual([]);
      const oldId = before.ids['OpenSearchConnector/conn']!;

      const changed = manifestsFrom(
        connector('{ model: text-embedding-3-small }') + group + model('a') + model('b'),
        env,
      );
      const plan = await c.plan(changed);
      expect(actions(plan)).toEqual([
        'replace OpenSearchConnector/conn',
        'update OpenSearchModel/a',
        'update OpenSearchModel/b',
        'delete OpenSearchConnector/conn',
      ]);
      const result = await c.apply(plan, changed);
      expect(result.results.map((r) => `${r.outcome} ${r.key}: ${r.message}`)).toEqual([
        `succeeded OpenSearchConnector/conn: created anew (replacing ${oldId}) and verified`,
        'succeeded OpenSearchModel/a: updated in place and verified',
        'succeeded OpenSearchModel/b: updated in place and verified',
        'succeeded OpenSearchConnector/conn#old: deleted',
      ]);
      expect(result.results.flatMap((r) => r.requests).filter((r) => r.includes('_undeploy'))).toEqual([]);

      const newId = result.results[0]!.id!;
      expect(newId).not.toBe(oldId);
      expect(c.emulator.state.connectors.get(oldId)).toBeUndefined();
      expect(c.emulator.state.connectors.get(newId)!.source.parameters).toEqual({
        model: 'text-embedding-3-small',
      });
      for (const m of c.emulator.state.models.docs.values()) {
        expect(m.source).toMatchObject({ connector_id: newId, model_state: 'DEPLOYED' });
      }
      expect((await c.inventory.read()).records.get('OpenSearchConnector/conn')?.object_id).toBe(newId);

      const after = await c.plan(changed);
      expect(after.changes).toEqual([]);
      expect(after.notes).toEqual([]);
      expect(after.ids['OpenSearchConnector/conn']).toBe(newId);
    } finally {
      await c.close();
    }
  });

  it('finishes a replacement an earlier apply did not: the old connector stays owned (…#old) and the next plan deletes it', async () => {
    const c = await cluster('2.19.0');
    try {
      const first = manifestsFrom(connector() + group + model('a'), env);
      await c.apply(await c.plan(first), first);
      const oldId = (await c.plan(first)).ids['OpenSearchConnector/conn']!;
      const changed = manifestsFrom(connector('{ model: text-embedding-3-small }') + group + model('a'), env);
      const plan = await c.plan(changed);
      // The run stops before the old connector's delete (interrupted, or the delete failed).
      const cut = { ...plan, changes: plan.changes.filter((x) => x.key !== 'OpenSearchConnector/conn#old') };
      expect((await c.apply(cut, changed)).summary).toMatchObject({ failed: 0 });
      expect(c.emulator.state.connectors.get(oldId)).toBeDefined();
      expect((await c.inventory.read()).records.get('OpenSearchConnector/conn#old')?.object_id).toBe(oldId);

      const next = await c.plan(changed);
      expect(next.changes.map((x) => `${x.action} ${x.key} ${x.id}`)).toEqual([
        `delete OpenSearchConnector/conn#old ${oldId}`,
      ]);
      expect(next.changes[0]!.reasons[0]!.message).toBe(
        'the old connector of an unfinished replacement of conn: deleted once no model uses it',
      );
      expect((await c.apply(next, changed)).summary).toMatchObject({ succeeded: 1, failed: 0 });
      expect(c.emulator.state.connectors.get(oldId)).toBeUndefined();
      expect((await c.inventory.read()).records.has('OpenSearchConnector/conn#old')).toBe(false);
      expect((await c.plan(changed)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
