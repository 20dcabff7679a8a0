// Model guardrails (2.15+) whose guard model is declared in the same manifests:
// `model: <OpenSearchModel metadata.name>` resolves to the guard's generated id at plan time, the guard
// is registered and deployed first, an unknown name is a validation error, and the guard is not pruned
// while a model still calls it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { loadManifests } from '../../src/manifest/load.js';
import { compileOpenSearchChange } from '../../src/opensearch/compile.js';
import type { LiveObject } from '../../src/opensearch/live.js';
import { buildOpenSearchPlan } from '../../src/opensearch/plan.js';
import { actions, cluster, manifestsFrom } from './helpers.js';

const env = { KEY: 'sk-guard-canary' };

const connector = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: conn }
spec:
  version: 1
  protocol: http
  parameters: { model: gpt-4o-mini }
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/chat/completions
      headers: { Authorization: 'Bearer \${credential.openAI_key}' }
      request_body: '{ "model": "\${parameters.model}", "messages": \${parameters.messages} }'
---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: group }
spec: { description: chat models }
`;

const guard = `---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: guard }
spec:
  model_group: group
  connector: conn
  description: says accept or reject
`;

const chat = (guardrail = 'model: guard') => `---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: chat }
spec:
  model_group: group
  connector: conn
  description: the assistant
  guardrails:
    type: model
    input_guardrail:
      ${guardrail}
      response_validation_regex: '^\\s*[Aa]ccept\\s*$'
`;

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-guard-'));
  writeFileSync(join(dir, 'os.yaml'), text);
  return loadManifests(['os.yaml'], { cwd: dir, env });
}
const problems = (text: string) =>
  load(text).diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.path}: ${d.message}`);

describe('guard model by manifest name: validation', () => {
  it('takes model (a manifest name) or model_id (a literal id), exactly one', () => {
    expect(problems(connector + guard + chat())).toEqual([]);
    expect(problems(connector + chat('model_id: 3lY3c5cBq9sT'))).toEqual([]);
    const both = problems(connector + guard + chat('model: guard\n      model_id: 3lY3c5cBq9sT'));
    expect(both).toEqual([
      'os.yaml:38:5 spec.guardrails.input_guardrail: a model guardrail names its guard model once: model (an OpenSearchModel by manifest name) or model_id (a literal id)',
    ]);
    const neither = problems(connector + guard + chat('response_filter: $.verdict'));
    expect(neither).toEqual([
      'os.yaml:38:5 spec.guardrails.input_guardrail: a model guardrail names its guard model once: model (an OpenSearchModel by manifest name) or model_id (a literal id)',
    ]);
  });

  it('an unknown name is an error naming file, line and field; so are a self-reference and a cycle', () => {
    const unknown = load(connector + chat('model: gaurd'));
    expect(unknown.diagnostics.map((d) => ({ ...d }))).toEqual([
      {
        code: 'rule',
        severity: 'error',
        file: 'os.yaml',
        line: 31,
        column: 14,
        path: 'spec.guardrails.input_guardrail.model',
        message:
          'no OpenSearchModel named "gaurd" is declared (the guard model (guardrails.input_guardrail))',
        hint: 'declare kind: OpenSearchModel with metadata.name: gaurd, or give its id as model_id',
      },
    ]);
    expect(problems(connector + chat('model: chat'))).toEqual([
      'os.yaml:31:14 spec.guardrails.input_guardrail.model: chat cannot be its own guard model (guardrails.input_guardrail)',
    ]);
    const guardedGuard = guard.replace(
      '  description: says accept or reject\n',
      '  guardrails: { type: model, output_guardrail: { model: chat } }\n',
    );
    expect(problems(connector + guardedGuard + chat())).toEqual([
      'os.yaml:27:57 spec.guardrails.output_guardrail.model: guard and chat name each other as guard models (directly or through others): neither can be created first',
      'os.yaml:39:14 spec.guardrails.input_guardrail.model: chat and guard name each other as guard models (directly or through others): neither can be created first',
    ]);
  });
});

const caps = openSearchCapabilitiesFor('2.19.0');
const liveConnector: LiveObject = {
  id: 'C1',
  source: {
    name: 'conn',
    version: '1',
    protocol: 'http',
    parameters: { model: 'gpt-4o-mini' },
    actions: [
      {
        action_type: 'PREDICT',
        method: 'POST',
        url: 'https://api.openai.com/v1/chat/completions',
        headers: { Authorization: 'Bearer ${credential.openAI_key}' },
        request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages} }',
      },
    ],
  },
};
const liveGroup: LiveObject = { id: 'G1', source: { name: 'group', description: 'chat models' } };
const liveModel = (id: string, name: string, extra: Record<string, unknown> = {}): LiveObject => ({
  id,
  source: {
    name,
    model_group_id: 'G1',
    algorithm: 'REMOTE',
    connector_id: 'C1',
    model_state: 'DEPLOYED',
    ...extra,
  },
});
const guardrailsOn = (id: string) => ({
  type: 'model',
  input_guardrail: { model_id: id, response_validation_regex: '^\\s*[Aa]ccept\\s*$' },
});

describe('guard model by manifest name: the plan', () => {
  it('a new guard is registered and deployed before the model that calls it, which gets its id', () => {
    const desired = manifestsFrom(connector + chat() + guard, env);
    const plan = buildOpenSearchPlan({
      desired,
      live: { connectors: [liveConnector], groups: [liveGroup], models: [] },
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(actions(plan)).toEqual([
      'create OpenSearchModel/guard',
      'deploy OpenSearchModel/guard',
      'create OpenSearchModel/chat',
      'deploy OpenSearchModel/chat',
    ]);
    const create = plan.changes.find((c) => c.key === 'OpenSearchModel/chat')!;
    expect(create.dependsOn).toEqual(['OpenSearchModel/guard', 'OpenSearchModel/guard#deploy']);
    expect(create.diff.find((d) => d.path === '/guardrails')?.after).toEqual(
      guardrailsOn('(id of OpenSearchModel/guard, created by this plan)'),
    );
    // Compiled once the guard has its id: the register body carries model_id, never the name.
    const manifest = desired.find((m) => m.name === 'chat');
    const ids: Record<string, string> = {
      'OpenSearchModelGroup/group': 'G1',
      'OpenSearchConnector/conn': 'C1',
      'OpenSearchModel/guard': 'GUARD1',
    };
    const [step] = compileOpenSearchChange(create, manifest, caps, (k) => ids[k]);
    expect(step).toMatchObject({ kind: 'register-model', body: { guardrails: guardrailsOn('GUARD1') } });
    expect(() => compileOpenSearchChange(create, manifest, caps, () => undefined)).toThrow(/has no id yet/);
  });

  it('an existing guard resolves to its live id: in sync, nothing to do', () => {
    const plan = buildOpenSearchPlan({
      desired: manifestsFrom(connector + guard + chat(), env),
      live: {
        connectors: [liveConnector],
        groups: [liveGroup],
        models: [
          liveModel('GUARD1', 'guard', { description: 'says accept or reject' }),
          liveModel('CHAT1', 'chat', { description: 'the assistant', guardrails: guardrailsOn('GUARD1') }),
        ],
      },
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(plan.changes).toEqual([]);
  });

  it('a re-registered guard gets a new id: the model that calls it is switched after it is deployed', () => {
    const plan = buildOpenSearchPlan({
      desired: manifestsFrom(connector + guard + chat(), env),
      live: {
        connectors: [liveConnector],
        groups: [liveGroup],
        models: [
          // registered with an inline connector: moving to a stand-alone one re-registers it
          liveModel('GUARD1', 'guard', {
            description: 'says accept or reject',
            connector_id: undefined,
            connector: { name: 'inline', protocol: 'http' },
          }),
          liveModel('CHAT1', 'chat', { description: 'the assistant', guardrails: guardrailsOn('GUARD1') }),
        ],
      },
      capabilities: caps,
      target: { url: 'http://os' },
      options: { allowDisruption: new Set(['guard']) },
    });
    expect(actions(plan)).toEqual([
      'undeploy OpenSearchModel/guard',
      'replace OpenSearchModel/guard',
      'deploy OpenSearchModel/guard',
      'update OpenSearchModel/chat',
    ]);
    const update = plan.changes[3]!;
    expect(update.dependsOn).toEqual(['OpenSearchModel/guard', 'OpenSearchModel/guard#deploy']);
    expect(update.diff.map((d) => `${d.path}: ${String(d.before)} → ${String(d.after)}`)).toEqual([
      '/guardrails/input_guardrail/model_id: GUARD1 → (id of OpenSearchModel/guard, created by this plan)',
    ]);
  });

  it('pruning a guard a model still calls is blocked, with the models named', () => {
    const live = {
      connectors: [liveConnector],
      groups: [liveGroup],
      models: [
        liveModel('GUARD1', 'guard', { description: 'says accept or reject' }),
        liveModel('CHAT1', 'chat', { description: 'the assistant', guardrails: guardrailsOn('GUARD1') }),
      ],
    };
    const owned = new Map([
      ['OpenSearchModel/guard', { id: 'GUARD1', protect: false }],
      ['OpenSearchModel/chat', { id: 'CHAT1', protect: false }],
    ]);
    // The guard is no longer declared; chat names it by id.
    const plan = buildOpenSearchPlan({
      desired: manifestsFrom(connector + chat('model_id: GUARD1'), env),
      live,
      capabilities: caps,
      target: { url: 'http://os' },
      options: { prune: true, owned },
    });
    expect(actions(plan)).toEqual(['undeploy OpenSearchModel/guard', 'delete OpenSearchModel/guard']);
    for (const change of plan.changes) {
      expect(change.blocked).toEqual({
        reason:
          'guard is the guard model of chat: deleting it would leave their guardrails calling a model that does not exist',
        hint: 'remove those guardrails or point them at another guard model first, or declare guard again',
      });
    }
  });
});

describe('guard model by manifest name: apply', () => {
  it('registers the guard, then the model with the guard’s id; next plan empty; prune waits for the switch', async () => {
    const c = await cluster('2.19.0');
    try {
      const manifests = manifestsFrom(connector + guard + chat(), env);
      const result = await c.apply(await c.plan(manifests), manifests);
      expect(result.summary).toMatchObject({ failed: 0, skipped: 0 });
      const plan = await c.plan(manifests);
      expect(plan.changes).toEqual([]);
      const guardId = plan.ids['OpenSearchModel/guard']!;
      const chatModel = c.emulator.state.model(plan.ids['OpenSearchModel/chat']!)!;
      expect(chatModel.guardrails).toEqual(guardrailsOn(guardId));

      // The guard is dropped and chat moved to another guard model in the same change: chat is switched
      // (in place) first, then the old guard undeployed and deleted.
      const guard2 = guard.replace('name: guard }', 'name: guard2 }');
      const moved = manifestsFrom(connector + guard2 + chat('model: guard2'), env);
      const pruning = await c.plan(moved, { prune: true });
      expect(actions(pruning)).toEqual([
        'create OpenSearchModel/guard2',
        'deploy OpenSearchModel/guard2',
        'update OpenSearchModel/chat',
        'undeploy OpenSearchModel/guard',
        'delete OpenSearchModel/guard',
      ]);
      expect(pruning.changes.every((ch) => !ch.blocked)).toBe(true);
      expect(pruning.changes[3]!.dependsOn).toEqual(['OpenSearchModel/chat']);
      expect(pruning.changes[4]!.dependsOn).toEqual([
        'OpenSearchModel/chat',
        'OpenSearchModel/guard#undeploy',
      ]);
      const pruned = await c.apply(pruning, moved);
      expect(pruned.summary).toMatchObject({ succeeded: 5, failed: 0 });
      const after = await c.plan(moved, { prune: true });
      expect(after.changes).toEqual([]);
      expect(c.emulator.state.model(after.ids['OpenSearchModel/chat']!)!.guardrails).toEqual(
        guardrailsOn(after.ids['OpenSearchModel/guard2']!),
      );
      expect(c.emulator.state.model(guardId)).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});
