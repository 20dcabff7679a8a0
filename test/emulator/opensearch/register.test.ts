/** Register a remote model: connector_id or inline connector, groups, tasks, versions. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelope, openAiConnector, os, remoteModel, type Os } from './helpers.js';

const REGISTER = '/_plugins/_ml/models/_register';

describe('register (2.19)', () => {
  let o: Os;
  beforeEach(async () => (o = await os('2.19.0')));
  afterEach(() => o.close());

  it('answers task_id, status CREATED and the model_id at once; the task completes with it', async () => {
    const c = await o.req('POST', '/_plugins/_ml/connectors/_create', openAiConnector());
    const r = await o.req('POST', REGISTER, {
      name: 'emb',
      function_name: 'remote',
      connector_id: c.body.connector_id,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ task_id: expect.any(String), status: 'CREATED', model_id: expect.any(String) });
    const t = await o.req('GET', `/_plugins/_ml/tasks/${r.body.task_id}`);
    expect(t.body).toEqual({
      model_id: r.body.model_id,
      task_type: 'REGISTER_MODEL',
      function_name: 'REMOTE',
      state: 'COMPLETED',
      worker_node: [o.state.nodeIds[0]],
      create_time: expect.any(Number),
      last_update_time: expect.any(Number),
      is_async: false,
    });
    const m = await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`);
    expect(m.body).toMatchObject({
      name: 'emb',
      algorithm: 'REMOTE',
      model_version: '1',
      model_state: 'REGISTERED',
      is_hidden: false,
      connector_id: c.body.connector_id,
    });
  });

  it('without model_group_id: a group named after the model is created, then reused (versions 1, 2)', async () => {
    const a = await remoteModel(o, 'emb');
    const b = await remoteModel(o, 'emb');
    expect(b.groupId).toBe(a.groupId);
    const g = await o.req('GET', `/_plugins/_ml/model_groups/${a.groupId}`);
    expect(g.body).toMatchObject({ name: 'emb', latest_version: 2 });
    expect((await o.req('GET', `/_plugins/_ml/models/${b.modelId}`)).body.model_version).toBe('2');
  });

  it('an inline connector is stored without credentials in GET', async () => {
    const r = await o.req('POST', REGISTER, {
      name: 'inline',
      function_name: 'remote',
      connector: openAiConnector(),
    });
    expect(r.status).toBe(200);
    const m = await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`);
    expect(m.body.connector).toMatchObject({ name: 'OpenAI embedding connector', protocol: 'http' });
    expect(m.body.connector).not.toHaveProperty('credential');
    expect(m.text).not.toContain('sk-secret');
  });

  it('remote needs connector content or an id; the inline one a predict endpoint and a trusted URL', async () => {
    const none = await o.req('POST', REGISTER, { name: 'x', function_name: 'remote' });
    expect(none.body).toEqual(
      envelope(
        400,
        'illegal_argument_exception',
        'You must provide connector content when creating a remote model without connector id!',
      ),
    );
    const noPredict = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      connector: openAiConnector({
        actions: [{ action_type: 'execute', method: 'POST', url: 'https://api.openai.com/v1/x' }],
      }),
    });
    expect(noPredict.body.error.reason).toBe(
      'Connector endpoint is required when creating a remote model without connector id!',
    );
  });

  it('unknown connector id: 404 from 2.16 (interface derivation reads it)', async () => {
    const before = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      connector_id: 'nope',
    });
    expect(before.body).toEqual(envelope(404, 'status_exception', 'Failed to find connector'));
    await o.req('POST', '/_plugins/_ml/connectors/_create', openAiConnector());
    const after = await o.req('POST', REGISTER, { name: 'x', function_name: 'remote', connector_id: 'nope' });
    expect(after.body).toEqual(envelope(404, 'status_exception', 'Failed to find connector:nope'));
  });

  it('field checks: name, function name, rate limiter, model_config', async () => {
    expect((await o.req('POST', REGISTER, { function_name: 'remote' })).body.error.reason).toBe(
      'model name is null',
    );
    expect((await o.req('POST', REGISTER, { name: 'x', function_name: 'llm' })).body.error.reason).toBe(
      'Wrong function name',
    );
    const limit = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      rate_limiter: { limit: '-1', unit: 'SECONDS' },
    });
    expect(limit.body).toEqual(envelope(400, 'parse_exception', 'Limit field must be a positive number.'));
    const unit = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      rate_limiter: { limit: '1', unit: 'minutes' },
    });
    expect(unit.body).toEqual(
      envelope(400, 'illegal_argument_exception', 'No enum constant java.util.concurrent.TimeUnit.minutes'),
    );
    const config = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      model_config: { model_type: 'text_embedding', embedding_dimension: 1536 },
    });
    expect(config.body.error.reason).toBe('framework type is null');
    const local = await o.req('POST', REGISTER, { name: 'x', version: '1.0.0' });
    expect(local.body.error.reason).toBe('model format is null');
  });

  it('an unknown model_group_id fails after the task was created (task FAILED)', async () => {
    await o.req('POST', '/_plugins/_ml/model_groups/_register', { name: 'g' });
    const r = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      connector: openAiConnector(),
      model_group_id: 'nope',
    });
    expect(r.body).toEqual(
      envelope(500, 'm_l_resource_not_found_exception', 'Model Group Response is empty for nope'),
    );
    const failed = [...o.state.tasks.docs.values()].map((d) => d.source);
    expect(failed).toContainEqual(
      expect.objectContaining({ state: 'FAILED', error: 'Model group not found' }),
    );
  });

  it('unknown keys are ignored; access control fields refused (the group would need them)', async () => {
    const r = await o.req('POST', REGISTER, {
      name: 'x',
      function_name: 'remote',
      connector: openAiConnector(),
      shiny: true,
    });
    expect(r.status).toBe(200);
    const ac = await o.req('POST', REGISTER, {
      name: 'y',
      function_name: 'remote',
      connector: openAiConnector(),
      access_mode: 'private',
    });
    expect(ac.body.error.reason).toBe(
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.',
    );
  });

  it('guardrails, interface, deploy_setting, rate_limiter are stored as parsed', async () => {
    const r = await o.req('POST', REGISTER, {
      name: 'g',
      function_name: 'remote',
      connector: openAiConnector(),
      rate_limiter: { limit: 4, unit: 'MINUTES' },
      deploy_setting: { is_auto_deploy_enabled: false },
      guardrails: {
        input_guardrail: {
          stop_words: [{ index_name: 'words', source_fields: ['title'] }],
          regex: ['.*secret.*'],
        },
      },
      interface: { input: { type: 'object' }, output: '{"type":"object"}', other: 'dropped' },
    });
    const m = (await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`)).body;
    expect(m.rate_limiter).toEqual({ limit: '4', unit: 'MINUTES' });
    expect(m.deploy_setting).toEqual({ is_auto_deploy_enabled: false, model_ttl_minutes: -1 });
    expect(m.guardrails).toEqual({
      type: 'local_regex',
      input_guardrail: {
        stop_words: [{ index_name: 'words', source_fields: ['title'] }],
        regex: ['.*secret.*'],
      },
    });
    expect(m.interface).toEqual({ input: '{"type":"object"}', output: '{"type":"object"}' });
  });
});

describe('register across versions', () => {
  it('2.x drops is_enabled of a remote model at registration; 3.0 stores it', async () => {
    for (const [version, stored] of [
      ['2.19.0', undefined],
      ['3.0.0', false],
    ] as const) {
      const o = await os(version);
      try {
        const { modelId } = await remoteModel(o, 'm', { is_enabled: false });
        expect((await o.req('GET', `/_plugins/_ml/models/${modelId}`)).body.is_enabled).toBe(stored);
      } finally {
        await o.close();
      }
    }
  });

  it('before 2.16 an unknown connector_id registers (a dangling id) and the deployment fails', async () => {
    const o = await os('2.15.0');
    try {
      await o.req('POST', '/_plugins/_ml/connectors/_create', openAiConnector());
      const r = await o.req('POST', `${REGISTER}?deploy=true`, {
        name: 'x',
        function_name: 'remote',
        connector_id: 'nope',
      });
      expect(r.status).toBe(200);
      const m = await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`);
      expect(m.body.model_state).toBe('DEPLOY_FAILED');
    } finally {
      await o.close();
    }
  });

  it('fields newer than the version are unknown keys: skipped', async () => {
    const o = await os('2.12.0');
    try {
      const r = await o.req('POST', REGISTER, {
        name: 'x',
        function_name: 'remote',
        connector: openAiConnector(),
        guardrails: { type: 'nonsense' },
        interface: { input: '{}' },
        deploy_setting: { is_auto_deploy_enabled: false },
      });
      expect(r.status).toBe(200);
      const m = (await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`)).body;
      expect(m).not.toHaveProperty('guardrails');
      expect(m).not.toHaveProperty('interface');
      expect(m).not.toHaveProperty('deploy_setting');
    } finally {
      await o.close();
    }
  });

  it('guardrail types: 2.13/2.14 store any type verbatim, 2.15 validates and knows `model`', async () => {
    const body = (type: string) => ({
      name: 'x',
      function_name: 'remote',
      connector: openAiConnector(),
      guardrails: { type, input_guardrail: { model_id: 'guard', response_validation_regex: '^accept$' } },
    });
    const o14 = await os('2.14.0');
    const o15 = await os('2.15.0');
    try {
      const r14 = await o14.req('POST', REGISTER, body('model'));
      expect((await o14.req('GET', `/_plugins/_ml/models/${r14.body.model_id}`)).body.guardrails).toEqual({
        type: 'model',
        input_guardrail: {},
      });
      const r15 = await o15.req('POST', REGISTER, body('model'));
      expect((await o15.req('GET', `/_plugins/_ml/models/${r15.body.model_id}`)).body.guardrails).toEqual({
        type: 'model',
        input_guardrail: { model_id: 'guard', response_validation_regex: '^accept$' },
      });
      const bad = await o15.req('POST', REGISTER, body('llm'));
      expect(bad.body).toEqual(
        envelope(400, 'illegal_argument_exception', 'The type of guardrails is required, can not be null.'),
      );
      const ttl = await o14.req('POST', REGISTER, {
        ...body('local_regex'),
        deploy_setting: { model_ttl_minutes: 30 },
      });
      expect((await o14.req('GET', `/_plugins/_ml/models/${ttl.body.model_id}`)).body.deploy_setting).toEqual(
        { model_ttl_minutes: 30 },
      );
    } finally {
      await o14.close();
      await o15.close();
    }
  });

  it('3.9 custom model ids: validated, unique', async () => {
    const o = await os('3.9.0');
    try {
      const ok = await remoteModel(o, 'm', { model_id: 'my-model_1' });
      expect(ok.modelId).toBe('my-model_1');
      const dup = await o.req('POST', REGISTER, {
        name: 'm',
        function_name: 'remote',
        connector: openAiConnector(),
        model_id: 'my-model_1',
      });
      expect(dup.body).toEqual(envelope(409, 'status_exception', "model id 'my-model_1' already exists"));
      const bad = await o.req('POST', REGISTER, {
        name: 'm',
        function_name: 'remote',
        connector: openAiConnector(),
        model_id: '_x',
      });
      expect(bad.body.error.reason).toBe("model id must not start with '_'");
    } finally {
      await o.close();
    }
    const old = await os('3.8.0');
    try {
      const { modelId } = await remoteModel(old, 'm', { model_id: 'mine' });
      expect(modelId).not.toBe('mine');
    } finally {
      await old.close();
    }
  });
});
