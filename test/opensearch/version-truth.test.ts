// What ML Commons does per release, read in its source at the release tags (ml-commons 2.12.0.0 … 3.6.0.0) and
// answered by the real 2.19.1 / 3.6.0 nodes of the test tier: client_config from 2.13, execute from 2.15,
// guardrails `type` required on 2.15–2.16, space_type required at registration from 3.1, seconds as the client
// timeout unit and skip_ssl_verification from 3.6. Each is checked in the emulator and in what inferctl plans.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { InferctlError } from '../../src/errors.js';
import { checkOpenSearchVersion } from '../../src/opensearch/manifest.js';
import { planOpenSearch } from '../../src/opensearch/index.js';
import { envelope, openAiConnector, os } from '../emulator/opensearch/helpers.js';
import { inferctl } from '../helpers/cli.js';
import { cluster, manifestsFrom } from './helpers.js';

const env = { KEY: 'sk-version-canary' };
const CREATE = '/_plugins/_ml/connectors/_create';

const connector = (extra = '') => `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: c }
spec:
  version: 1
  protocol: http
  credential: { key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${credential.key}' }
${extra}---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: g }
spec: {}
`;
const model = (config: string, extra = '') => `---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m }
spec:
  model_group: g
  connector: c
  model_config:
${config}${extra}`;
const te =
  '    model_type: text_embedding\n    embedding_dimension: 1536\n    framework_type: SENTENCE_TRANSFORMERS\n';
const withSpace = te + '    additional_config: { space_type: l2 }\n';

const check = (text: string, version: string) =>
  checkOpenSearchVersion(manifestsFrom(text, env), openSearchCapabilitiesFor(version)).map(
    (d) => `${d.severity} ${d.code} ${d.line} ${d.path}`,
  );

describe('validation against the declared version', () => {
  it('client_config needs 2.13 (2.12 drops it), skip_ssl_verification 3.6', () => {
    const cc = connector('  client_config: { max_retry_times: 3 }\n') + model(withSpace);
    expect(check(cc, '2.12.0')).toEqual([
      'error not_on_version 13 spec.client_config',
      'warning kept_from_version 30 spec.model_config.additional_config',
    ]);
    expect(check(cc, '2.13.0')).toEqual(['warning kept_from_version 30 spec.model_config.additional_config']);
    const ssl = connector('  client_config: { skip_ssl_verification: true }\n') + model(withSpace);
    expect(check(ssl, '3.5.0')).toEqual(['error not_on_version 13 spec.client_config.skip_ssl_verification']);
    expect(check(ssl, '3.6.0')).toEqual([]);
  });

  it('from 3.1 a remote text_embedding model without space_type is refused, with file and line', () => {
    const text = connector() + model(te);
    expect(check(text, '2.19.0')).toEqual([]);
    expect(check(text, '3.1.0')).toEqual([
      'error required_on_version 26 spec.model_config.additional_config.space_type',
    ]);
    expect(check(connector() + model(withSpace), '3.1.0')).toEqual([]);
    // Another model type needs nothing.
    expect(check(connector() + model('    model_type: llm\n'), '3.6.0')).toEqual([]);
  });

  it('a plan against 3.6 refuses the missing space_type before anything is created', async () => {
    const c = await cluster('3.6.0');
    try {
      const error = await planOpenSearch(c.ml, manifestsFrom(connector() + model(te), env), c.caps, {
        url: c.emulator.url,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InferctlError);
      expect((error as InferctlError).code).toBe('invalid_manifests');
      expect(c.emulator.state.connectors.docs.size).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('before 3.1 a declared space_type is a plan note, and the plan converges', async () => {
    const c = await cluster('2.19.0');
    try {
      const manifests = manifestsFrom(connector() + model(withSpace), env);
      const plan = await c.plan(manifests);
      expect(
        plan.notes.some((n) => n.includes('model_config.additional_config is kept by OpenSearch 3.1')),
      ).toBe(true);
      await c.apply(plan, manifests);
      const next = await c.plan(manifests);
      expect(next.changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('inferctl validate --opensearch-version reports them offline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-validate-'));
    writeFileSync(join(dir, 'os.yaml'), connector('  client_config: { max_retry_times: 3 }\n') + model(te));
    const run = (version: string) => {
      const r = inferctl(['validate', 'os.yaml', '--opensearch-version', version], { cwd: dir, env });
      return { code: r.code, out: r.stdout + r.stderr };
    };
    const old = run('2.12');
    expect(old.code).toBe(1);
    expect(old.out).toContain('os.yaml:13');
    expect(old.out).toContain('client_config needs OpenSearch 2.13 or later');
    const v31 = run('3.1.0');
    expect(v31.code).toBe(1);
    expect(v31.out).toContain('spec.model_config.additional_config.space_type');
    expect(run('2.19').code).toBe(0);
    expect(run('2.19').out).not.toContain('sk-version-canary');
  });
});

describe('the emulator, per release', () => {
  it('2.12 drops client_config on create; 2.13 stores it with every default', async () => {
    for (const [version, expected] of [
      ['2.12.0', undefined],
      ['2.13.0', { max_connection: 30, connection_timeout: 30000, read_timeout: 30000 }],
      [
        '3.6.0',
        { max_connection: 30, connection_timeout: 30, read_timeout: 30, skip_ssl_verification: false },
      ],
    ] as const) {
      const o = await os(version);
      try {
        const r = await o.req('POST', CREATE, openAiConnector({ client_config: { max_retry_times: 3 } }));
        expect(r.status).toBe(200);
        const got = await o.req('GET', `/_plugins/_ml/connectors/${r.body.connector_id}`);
        if (expected === undefined) expect(got.body.client_config).toBeUndefined();
        else expect(got.body.client_config).toMatchObject({ ...expected, max_retry_times: 3 });
      } finally {
        await o.close();
      }
    }
  });

  it('guardrails without type: refused on 2.15 and 2.16, local_regex from 2.17', async () => {
    for (const [version, status] of [
      ['2.15.0', 400],
      ['2.16.0', 400],
      ['2.17.0', 200],
    ] as const) {
      const o = await os(version);
      try {
        const c = await o.req('POST', CREATE, openAiConnector());
        const g = await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: `g-${version}` });
        const r = await o.req('POST', '/_plugins/_ml/models/_register', {
          name: 'm',
          function_name: 'remote',
          model_group_id: g.body.model_group_id,
          connector_id: c.body.connector_id,
          guardrails: { input_guardrail: { regex: ['.*secret.*'] } },
        });
        expect([version, r.status]).toEqual([version, status]);
        if (status === 400) {
          expect(r.body).toEqual(
            envelope(
              400,
              'illegal_argument_exception',
              'The type of guardrails is required, can not be null.',
            ),
          );
        }
      } finally {
        await o.close();
      }
    }
  });

  it('3.1 refuses a remote text_embedding registration without space_type (as the real 3.6.0 node does)', async () => {
    const o = await os('3.1.0');
    try {
      const c = await o.req('POST', CREATE, openAiConnector());
      const g = await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: 'g' });
      const body = (config: Record<string, unknown>) => ({
        name: 'm',
        function_name: 'remote',
        model_group_id: g.body.model_group_id,
        connector_id: c.body.connector_id,
        model_config: {
          model_type: 'text_embedding',
          embedding_dimension: 1536,
          framework_type: 'SENTENCE_TRANSFORMERS',
          ...config,
        },
      });
      const refused = await o.req('POST', '/_plugins/_ml/models/_register', body({}));
      expect(refused.body).toEqual(
        envelope(
          400,
          'illegal_argument_exception',
          'Space type must be provided in additional_config for remote text embedding model',
        ),
      );
      const ok = await o.req(
        'POST',
        '/_plugins/_ml/models/_register',
        body({ additional_config: { space_type: 'l2' } }),
      );
      expect(ok.status).toBe(200);
    } finally {
      await o.close();
    }
  });

  it('a connector credential is required from 2.19 only', async () => {
    for (const [version, status] of [
      ['2.18.0', 200],
      ['2.19.0', 400],
    ] as const) {
      const o = await os(version);
      try {
        const r = await o.req('POST', CREATE, { ...openAiConnector(), credential: undefined });
        expect([version, r.status]).toEqual([version, status]);
      } finally {
        await o.close();
      }
    }
  });
});

describe('3.1 text rule in the emulator, as the real 3.6.0 node answers', () => {
  it('refuses unsafe and blank names with action_request_validation_exception; 3.0 stores them', async () => {
    const rule = `can only contain letters, numbers, spaces, and basic punctuation (.,!?():@-_'/")`;
    const o = await os('3.6.0');
    try {
      const bad = await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: 'g <x>' });
      expect(bad.body).toEqual(
        envelope(
          400,
          'action_request_validation_exception',
          `Validation Failed: 1: Model group name ${rule};`,
        ),
      );
      const blank = await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: '   ' });
      expect(blank.body.error.reason).toBe(
        'Validation Failed: 1: Model group name is required and cannot be null or blank;',
      );
      const connector = await o.req('POST', CREATE, openAiConnector({ name: 'c <x>' }));
      expect(connector.body.error.reason).toBe(`Validation Failed: 1: Model connector name ${rule};`);
    } finally {
      await o.close();
    }
    const old = await os('3.0.0');
    try {
      expect((await old.req('POST', '/_plugins/_ml/model_groups/_register', { name: 'g <x>' })).status).toBe(
        200,
      );
    } finally {
      await old.close();
    }
  });
});

describe('what inferctl sends', () => {
  it('guardrails go out with type local_regex, so 2.15 accepts them and the next plan is empty', async () => {
    const c = await cluster('2.15.0');
    try {
      const manifests = manifestsFrom(
        connector() + model(te, '  guardrails: { input_guardrail: { regex: [".*secret.*"] } }\n'),
        env,
      );
      const result = await c.apply(await c.plan(manifests), manifests);
      expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
      expect((await c.plan(manifests)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('a 3.6 connector with client_config converges (30 s timeouts, skip_ssl_verification false)', async () => {
    const c = await cluster('3.6.0');
    try {
      const manifests = manifestsFrom(connector('  client_config: { max_retry_times: 3 }\n'), env);
      const result = await c.apply(await c.plan(manifests), manifests);
      expect(result.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
      expect((await c.plan(manifests)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
