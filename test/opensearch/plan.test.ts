// The pure OpenSearch planner, scenario by scenario: live state written as ML Commons stores it, manifests
// through the real loader, the plan checked for its actions, order, reasons, blocks and hints.
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderOpenSearchPlanJson } from '../../src/opensearch/render.js';
import { openSearchPlanSchema } from '../../src/opensearch/schema.js';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import type { LiveObject, OpenSearchLive } from '../../src/opensearch/live.js';
import {
  buildOpenSearchPlan,
  credentialFingerprints,
  type OpenSearchPlanOptions,
} from '../../src/opensearch/plan.js';
import type { OpenSearchManifest } from '../../src/opensearch/kinds.js';
import type { OpenSearchPlan } from '../../src/opensearch/types.js';
import { manifestsFrom } from './helpers.js';

const caps219 = openSearchCapabilitiesFor('2.19.0');
const env = { KEY: 'sk-1', KEY2: 'sk-2' };

const connectorYaml = (name = 'conn', extra = '') => `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: ${name} }
spec:
  description: OpenAI
  version: 1
  protocol: http
  parameters: { model: text-embedding-3-small }
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      request_body: '{ "input": \${parameters.input} }'
${extra}`;

const groupYaml = (name = 'group') => `apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: ${name} }
spec: { description: models }
`;

const modelYaml = (extra = '', connector = 'conn') => `apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: model }
spec:
  model_group: group
  connector: ${connector}
  description: embeddings
  rate_limiter: { limit: 4, unit: MINUTES }
${extra}`;

const all = (model = modelYaml(), connector = connectorYaml()) =>
  manifestsFrom([connector, groupYaml(), model].join('---\n'), env);

/** The stored form of the manifests above, as the emulator keeps them. */
function liveConnector(id = 'C1', overrides: Record<string, unknown> = {}): LiveObject {
  return {
    id,
    source: {
      name: 'conn',
      version: '1',
      description: 'OpenAI',
      protocol: 'http',
      parameters: { model: 'text-embedding-3-small' },
      actions: [
        {
          action_type: 'PREDICT',
          method: 'POST',
          url: 'https://api.openai.com/v1/embeddings',
          request_body: '{ "input": ${parameters.input} }',
        },
      ],
      created_time: 1,
      last_updated_time: 1,
      ...overrides,
    },
  };
}

function liveGroup(id = 'G1', name = 'group'): LiveObject {
  return { id, source: { name, latest_version: 1, description: 'models', access: 'public' } };
}

function liveModel(id = 'M1', overrides: Record<string, unknown> = {}): LiveObject {
  return {
    id,
    source: {
      name: 'model',
      model_group_id: 'G1',
      algorithm: 'REMOTE',
      model_version: '1',
      description: 'embeddings',
      model_state: 'DEPLOYED',
      rate_limiter: { limit: '4', unit: 'MINUTES' },
      connector_id: 'C1',
      ...overrides,
    },
  };
}

const inSync = (): OpenSearchLive => ({
  connectors: [liveConnector()],
  groups: [liveGroup()],
  models: [liveModel()],
});

const recorded = (salt = 'salt', value = 'sk-1') =>
  new Map([['OpenSearchConnector/conn', fingerprintOf(value, salt)]]);

function fingerprintOf(value: string, salt: string): Record<string, string> {
  const m = manifestsFrom(connectorYaml(), { KEY: value })[0]!;
  return credentialFingerprints((m.spec as { credential: Record<string, never> }).credential, salt);
}

function plan(
  desired: readonly OpenSearchManifest[],
  live: OpenSearchLive,
  options: OpenSearchPlanOptions = {},
  caps = caps219,
): OpenSearchPlan {
  return buildOpenSearchPlan({
    desired,
    live,
    capabilities: caps,
    target: { url: 'http://os:9200' },
    options,
  });
}

const validatePlan = new Ajv2020Module.default({ strict: false }).compile(openSearchPlanSchema() as object);
const actions = (p: OpenSearchPlan) => p.changes.map((c) => `${c.action} ${c.key}`);
const withSecrets = { salt: 'salt', recordedSecrets: recorded() };

describe('buildOpenSearchPlan', () => {
  const scenarios: {
    name: string;
    desired: () => OpenSearchManifest[];
    live: () => OpenSearchLive;
    options?: OpenSearchPlanOptions;
    caps?: string;
    actions: string[];
    check?: (p: OpenSearchPlan) => void;
  }[] = [
    {
      name: 'nothing on the cluster: connector → group → model → deploy',
      desired: () => all(),
      live: () => ({ connectors: [], groups: [], models: [] }),
      actions: [
        'create OpenSearchConnector/conn',
        'create OpenSearchModelGroup/group',
        'create OpenSearchModel/model',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => {
        expect(p.changes[2]!.dependsOn).toEqual(['OpenSearchConnector/conn', 'OpenSearchModelGroup/group']);
        expect(p.changes[3]!.dependsOn).toEqual(['OpenSearchModel/model']);
        expect(p.changes[2]!.diff.find((d) => d.path === '/connector_id')?.after).toBe(
          '(id of OpenSearchConnector/conn, created by this plan)',
        );
        expect(p.changes[0]!.diff.filter((d) => d.secret).map((d) => d.after)).toEqual(['(secret)']);
      },
    },
    {
      name: 'in sync: nothing to do, every key unchanged, ids resolved',
      desired: () => all(),
      live: inSync,
      options: withSecrets,
      actions: [],
      check: (p) => {
        expect(p.unchanged).toEqual([
          'OpenSearchConnector/conn',
          'OpenSearchModel/model',
          'OpenSearchModelGroup/group',
        ]);
        expect(p.ids).toEqual({
          'OpenSearchConnector/conn': 'C1',
          'OpenSearchModel/model': 'M1',
          'OpenSearchModelGroup/group': 'G1',
        });
        expect(p.notes).toEqual([]);
      },
    },
    {
      name: 'model fields: one in-place update, no undeploy',
      desired: () => all(modelYaml('  is_enabled: false\n').replace('embeddings\n', 'better embeddings\n')),
      live: inSync,
      options: withSecrets,
      actions: ['update OpenSearchModel/model'],
      check: (p) => {
        expect(p.changes[0]!.diff.map((d) => `${d.op} ${d.path} ${d.mode}`)).toEqual([
          'replace /description in-place',
          'add /is_enabled in-place',
        ]);
        expect(p.changes[0]!.downtime).toBeUndefined();
      },
    },
    {
      name: 'no Update Model API (before 2.12): the model is re-registered',
      desired: () =>
        all(
          modelYaml()
            .replace('embeddings\n', 'better embeddings\n')
            .replace('  rate_limiter: { limit: 4, unit: MINUTES }\n', ''),
        ),
      live: () => ({ ...inSync(), models: [liveModel('M1', { rate_limiter: undefined })] }),
      options: { ...withSecrets, allowDisruption: new Set(['model']) },
      caps: '2.11.0',
      actions: [
        'undeploy OpenSearchModel/model#undeploy',
        'replace OpenSearchModel/model',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => {
        expect(p.changes[1]!.reasons[0]!.code).toBe('no_update_api');
        expect(p.notes.join(' ')).toMatch(/no Update Model API/);
      },
    },
    {
      name: 'a connector no deployed model uses: updated in place, no downtime',
      desired: () =>
        all(
          modelYaml('  deploy: false\n'),
          connectorYaml('conn', '  client_config: { max_retry_times: 2 }\n'),
        ),
      live: () => ({ ...inSync(), models: [liveModel('M1', { model_state: 'UNDEPLOYED' })] }),
      options: withSecrets,
      actions: ['update OpenSearchConnector/conn'],
      check: (p) => {
        expect(p.changes[0]!.downtime).toBeUndefined();
        expect(p.changes[0]!.blocked).toBeUndefined();
      },
    },
    {
      name: 'credential rotation with a deployed user: undeploy → update → redeploy, blocked, with the alternative',
      desired: () =>
        manifestsFrom([connectorYaml(), groupYaml(), modelYaml()].join('---\n'), { KEY: 'sk-rotated' }),
      live: inSync,
      options: withSecrets,
      actions: [
        'undeploy OpenSearchModel/model#undeploy',
        'update OpenSearchConnector/conn',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => {
        const update = p.changes[1]!;
        expect(update.reasons.map((r) => r.code)).toEqual(['secret_rotated', 'connector_in_use']);
        expect(update.downtime).toBe(true);
        expect(p.changes[0]!.downtime).toBe(true);
        expect(update.blocked?.hint).toMatch(/--allow-disruption conn/);
        expect(update.hints?.[0]).toMatch(/zero downtime instead: declare a new connector \(e\.g\. conn-2\)/);
        expect(p.changes.every((c) => c.blocked)).toBe(true);
        expect(p.changes[2]!.dependsOn).toEqual([
          'OpenSearchConnector/conn',
          'OpenSearchModel/model#undeploy',
        ]);
        expect(p.summary).toMatchObject({ update: 1, undeploy: 1, deploy: 1, downtime: 2, blocked: 3 });
      },
    },
    {
      name: '--allow-disruption releases the connector update and its undeploy/redeploy',
      desired: () =>
        manifestsFrom([connectorYaml(), groupYaml(), modelYaml()].join('---\n'), { KEY: 'sk-rotated' }),
      live: inSync,
      options: { ...withSecrets, allowDisruption: new Set(['conn']) },
      actions: [
        'undeploy OpenSearchModel/model#undeploy',
        'update OpenSearchConnector/conn',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => expect(p.changes.some((c) => c.blocked)).toBe(false),
    },
    {
      name: 'an undeclared model that uses the connector is undeployed and redeployed too, and named',
      desired: () =>
        manifestsFrom([connectorYaml(), groupYaml(), modelYaml()].join('---\n'), { KEY: 'sk-rotated' }),
      live: () => ({
        ...inSync(),
        models: [liveModel(), liveModel('X9', { name: 'someone-elses', model_group_id: 'G7' })],
      }),
      options: { ...withSecrets, allowDisruption: new Set(['conn']) },
      actions: [
        'undeploy OpenSearchModel/id:X9#undeploy',
        'undeploy OpenSearchModel/model#undeploy',
        'update OpenSearchConnector/conn',
        'deploy OpenSearchModel/id:X9#deploy',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => {
        expect(p.changes[0]!.warnings?.[0]).toMatch(/not declared in the manifests/);
        expect(p.changes[2]!.reasons.at(-1)!.message).toMatch(/\(model, someone-elses\)/);
      },
    },
    {
      name: 'the zero-downtime alternative: the model switches to a new connector in place first',
      desired: () =>
        manifestsFrom(
          [
            connectorYaml('conn', '  client_config: { max_retry_times: 2 }\n'),
            connectorYaml('conn-2'),
            groupYaml(),
            modelYaml('', 'conn-2'),
          ].join('---\n'),
          env,
        ),
      live: inSync,
      options: withSecrets,
      actions: [
        'create OpenSearchConnector/conn-2',
        'update OpenSearchModel/model',
        'update OpenSearchConnector/conn',
      ],
      check: (p) => {
        expect(p.summary.downtime).toBe(0);
        expect(p.changes[1]!.diff).toEqual([
          expect.objectContaining({ path: '/connector_id', before: 'C1', mode: 'in-place' }),
        ]);
        expect(p.changes[2]!.dependsOn).toEqual(['OpenSearchModel/model']);
      },
    },
    {
      name: 'rotation by fingerprint without a record: cannot verify, says so, changes nothing',
      desired: () => all(),
      live: inSync,
      options: { salt: 'salt', recordedSecrets: new Map() },
      actions: [],
      check: (p) => {
        expect(p.unverifiable).toEqual(['OpenSearchConnector/conn']);
        expect(p.notes.join(' ')).toMatch(/cannot verify the credential of OpenSearchConnector\/conn/);
      },
    },
    {
      name: 'a removed rate_limiter stays: the plan says so and plans nothing',
      desired: () => all(modelYaml().replace('  rate_limiter: { limit: 4, unit: MINUTES }\n', '')),
      live: inSync,
      options: withSecrets,
      actions: [],
      check: (p) =>
        expect(p.notes).toEqual([
          expect.stringMatching(
            /^OpenSearchModel\/model: rate_limiter is no longer declared but stays \{"limit":"4","unit":"MINUTES"\}.*declare a large limit per small unit/,
          ),
        ]),
    },
    {
      // the update replaces the whole guardrails object; interface members clear with null.
      name: 'removed guardrails and interface are cleared in place',
      desired: () => all(),
      live: () => ({
        ...inSync(),
        models: [
          liveModel('M1', {
            guardrails: { type: 'local_regex', input_guardrail: { regex: ['x'] } },
            interface: { input: '{"type":"object"}', output: null },
          }),
        ],
      }),
      options: withSecrets,
      actions: ['update OpenSearchModel/model'],
      check: (p) =>
        expect(p.changes[0]!.diff.map((d) => `${d.op} ${d.path}`)).toEqual([
          'remove /guardrails',
          'remove /interface',
        ]),
    },
    {
      name: 'a guardrail dropped from the declared guardrails is removed in place (the object is replaced whole)',
      desired: () =>
        all(modelYaml("  guardrails: { type: local_regex, input_guardrail: { regex: ['x'] } }\n")),
      live: () => ({
        ...inSync(),
        models: [
          liveModel('M1', {
            guardrails: {
              type: 'local_regex',
              input_guardrail: { regex: ['x'] },
              output_guardrail: { regex: ['y'] },
            },
          }),
        ],
      }),
      options: withSecrets,
      actions: ['update OpenSearchModel/model'],
      check: (p) =>
        expect(p.changes[0]!.diff.map((d) => `${d.op} ${d.path}`)).toEqual([
          'remove /guardrails/output_guardrail',
        ]),
    },
    {
      name: 'a key dropped from model_config stays (the update merges it), with a warning',
      desired: () => all(),
      live: () => ({
        ...inSync(),
        models: [liveModel('M1', { model_config: { model_type: 'text_embedding', extra_key: 'x' } })],
      }),
      options: withSecrets,
      actions: [],
      check: (p) =>
        expect(p.notes).toEqual([
          expect.stringMatching(/^OpenSearchModel\/model: model_config is no longer declared but stays/),
        ]),
    },
    {
      name: 'deploy: false undeploys a deployed model',
      desired: () => all(modelYaml('  deploy: false\n')),
      live: inSync,
      options: withSecrets,
      actions: ['undeploy OpenSearchModel/model#undeploy'],
    },
    {
      name: 'DEPLOY_FAILED with deploy: true is deployed again; DEPLOYING is waited for, not changed',
      desired: () => all(),
      live: () => ({ ...inSync(), models: [liveModel('M1', { model_state: 'DEPLOY_FAILED' })] }),
      options: withSecrets,
      actions: ['deploy OpenSearchModel/model#deploy'],
      check: (p) => {
        expect(p.changes[0]!.reasons[0]!.message).toBe(
          'DEPLOY_FAILED: deployed and waited for until DEPLOYED',
        );
        const deploying = plan(
          all(),
          { ...inSync(), models: [liveModel('M1', { model_state: 'DEPLOYING' })] },
          withSecrets,
        );
        expect(actions(deploying)).toEqual([]);
        expect(deploying.notes).toEqual(['OpenSearchModel/model: DEPLOYING; the next apply waits for it']);
      },
    },
    {
      name: 'two connectors with the name: a conflict naming both ids, and the model is not planned',
      desired: () => all(),
      live: () => ({ ...inSync(), connectors: [liveConnector('C1'), liveConnector('C2')] }),
      options: withSecrets,
      actions: [],
      check: (p) => {
        expect(p.conflicts).toEqual([
          {
            key: 'OpenSearchConnector/conn',
            ids: ['C1', 'C2'],
            message: '2 connectors are named "conn": C1, C2; inferctl does not guess which one is declared',
          },
          {
            key: 'OpenSearchModel/model',
            ids: [],
            message: 'cannot be planned: OpenSearchConnector/conn is ambiguous',
          },
        ]);
        expect(p.summary.blocked).toBe(2);
      },
    },
    {
      name: 'the inventory’s id settles a name that two connectors share',
      desired: () => all(),
      live: () => ({ ...inSync(), connectors: [liveConnector('C1'), liveConnector('C2')] }),
      options: {
        ...withSecrets,
        owned: new Map([['OpenSearchConnector/conn', { id: 'C1', protect: false }]]),
      },
      actions: [],
      check: (p) => expect(p.conflicts).toEqual([]),
    },
    {
      name: 'two models named alike in the group: a conflict; one in another group is someone else’s',
      desired: () => all(),
      live: () => ({
        ...inSync(),
        models: [liveModel('M1'), liveModel('M2'), liveModel('M3', { model_group_id: 'OTHER' })],
      }),
      options: withSecrets,
      actions: [],
      check: (p) =>
        expect(p.conflicts[0]!.message).toBe(
          '2 models are named "model" in model group group (G1): M1, M2; inferctl does not guess which one is declared',
        ),
    },
    {
      name: 'a model of the same name in another group is not adopted: the declared one is created',
      desired: () => all(),
      live: () => ({ ...inSync(), models: [liveModel('M3', { model_group_id: 'OTHER' })] }),
      options: withSecrets,
      actions: ['create OpenSearchModel/model', 'deploy OpenSearchModel/model#deploy'],
    },
    {
      name: 'stand-alone → inline connector: re-registration, blocked without --allow-disruption',
      desired: () =>
        all(
          modelYaml(
            '',
            `
    version: 1
    protocol: http
    credential: { openAI_key: { secretRef: { env: KEY } } }
    actions: [{ action_type: predict, method: POST, url: 'https://api.openai.com/v1/embeddings' }]`,
          ),
        ),
      live: inSync,
      options: withSecrets,
      actions: [
        'undeploy OpenSearchModel/model#undeploy',
        'replace OpenSearchModel/model',
        'deploy OpenSearchModel/model#deploy',
      ],
      check: (p) => {
        expect(p.changes[1]!.reasons).toEqual([
          {
            code: 'register_only',
            message:
              'the model was registered with a stand-alone connector: switching to an inline connector re-registers it',
            fields: ['/connector'],
          },
        ]);
        expect(p.changes[1]!.warnings?.at(-1)).toMatch(/new id: ingest and search pipelines .* M1/);
        expect(p.changes.every((c) => c.blocked)).toBe(true);
      },
    },
    {
      name: 'prune: an owned model no longer declared is undeployed, then deleted; its group after it',
      desired: () => [all()[0]!],
      live: inSync,
      options: {
        ...withSecrets,
        prune: true,
        maxDeletes: 2,
        owned: new Map([
          ['OpenSearchConnector/conn', { id: 'C1', protect: false }],
          ['OpenSearchModelGroup/group', { id: 'G1', protect: false }],
          ['OpenSearchModel/model', { id: 'M1', protect: false }],
        ]),
      },
      actions: [
        'undeploy OpenSearchModel/model#undeploy',
        'delete OpenSearchModel/model',
        'delete OpenSearchModelGroup/group',
      ],
      check: (p) => expect(p.changes[2]!.dependsOn).toEqual(['OpenSearchModel/model']),
    },
    {
      name: 'without --prune the owned leftovers are orphaned, not deleted',
      desired: () => [all()[0]!],
      live: inSync,
      options: {
        ...withSecrets,
        owned: new Map([['OpenSearchModel/model', { id: 'M1', protect: false }]]),
      },
      actions: [],
      check: (p) => expect(p.orphaned).toEqual(['OpenSearchModel/model']),
    },
  ];

  it.each(scenarios)('$name', (s) => {
    const p = plan(s.desired(), s.live(), s.options, s.caps ? openSearchCapabilitiesFor(s.caps) : caps219);
    expect(actions(p)).toEqual(s.actions);
    s.check?.(p);
    // Every plan follows schemas/opensearch-plan.schema.json.
    expect(validatePlan(JSON.parse(renderOpenSearchPlanJson(p))), JSON.stringify(validatePlan.errors)).toBe(
      true,
    );
  });

  it('is deterministic: manifests in any order give the same plan, byte for byte', () => {
    const desired = all(modelYaml('  is_enabled: false\n'));
    const live = { connectors: [], groups: [], models: [] };
    const a = plan(desired, live, withSecrets);
    const b = plan([...desired].reverse(), live, withSecrets);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a rotated credential changes the checksum although the plan never shows it', () => {
    const live = { connectors: [], groups: [], models: [] };
    const a = plan(all(), live, withSecrets);
    const b = plan(
      manifestsFrom([connectorYaml(), groupYaml(), modelYaml()].join('---\n'), { KEY: 'other' }),
      live,
      withSecrets,
    );
    expect(JSON.stringify(b.changes)).toBe(JSON.stringify(a.changes));
    expect(b.checksum).not.toBe(a.checksum);
  });
});
