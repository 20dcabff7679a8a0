/** Connectors: validation, credential redaction, the update rule, delete, search. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bedrockConnector, envelope, openAiConnector, os, remoteModel, type Os } from './helpers.js';

const CREATE = '/_plugins/_ml/connectors/_create';

describe('create', () => {
  let o: Os;
  beforeEach(async () => (o = await os('2.19.0')));
  afterEach(() => o.close());

  it('returns only the generated id; GET never shows the credential', async () => {
    const r = await o.req('POST', CREATE, openAiConnector());
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['connector_id']);
    expect(r.body.connector_id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const g = await o.req('GET', `/_plugins/_ml/connectors/${r.body.connector_id}`);
    expect(g.status).toBe(200);
    expect(g.body).not.toHaveProperty('credential');
    expect(g.text).not.toContain('sk-secret');
    // parameters are stringified; action_type is stored as the enum name.
    expect(g.body.parameters).toEqual({ model: 'text-embedding-3-small', dimensions: '1536' });
    expect(g.body.version).toBe('1');
    expect(g.body.actions[0].action_type).toBe('PREDICT');
    expect(Object.keys(g.body)).toEqual([
      'name',
      'version',
      'description',
      'protocol',
      'parameters',
      'actions',
      'created_time',
      'last_updated_time',
    ]);
    // Stored encrypted, not in clear.
    const stored = o.state.connectors.get(r.body.connector_id)?.source.credential as Record<string, string>;
    expect(Object.keys(stored)).toEqual(['openAI_key']);
    expect(stored.openAI_key).not.toBe('sk-secret');
  });

  it.each([
    ['name', 'Connector name is null'],
    ['version', 'Connector version is null'],
    ['protocol', 'Connector protocol is null'],
    ['credential', 'Connector credential is null or empty list'],
  ])('missing %s → 400 "%s"', async (field, message) => {
    const body = openAiConnector();
    delete body[field];
    const r = await o.req('POST', CREATE, body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(envelope(400, 'illegal_argument_exception', message));
  });

  it('an unknown protocol cannot be instantiated (2.19: no mcp_sse yet)', async () => {
    for (const protocol of ['grpc', 'mcp_sse']) {
      const r = await o.req('POST', CREATE, openAiConnector({ protocol }));
      expect(r.body).toEqual(
        envelope(400, 'illegal_argument_exception', `Can't find class for type ${protocol}`),
      );
    }
  });

  it('action_type is an enum (case-insensitive); unknown → No enum constant', async () => {
    const ok = await o.req(
      'POST',
      CREATE,
      openAiConnector({ actions: [{ ...actionOf(), action_type: 'Predict' }] }),
    );
    expect(ok.status).toBe(200);
    const r = await o.req(
      'POST',
      CREATE,
      openAiConnector({ actions: [{ ...actionOf(), action_type: 'embed' }] }),
    );
    expect(r.body).toEqual(
      envelope(
        400,
        'illegal_argument_exception',
        'No enum constant org.opensearch.ml.common.connector.ConnectorAction.ActionType.EMBED',
      ),
    );
  });

  it.each([
    ['url', "url can't be null"],
    ['method', "method can't be null"],
    ['action_type', "action type can't be null"],
  ])('an action without %s → "%s" (before the top-level checks)', async (field, message) => {
    const action: Record<string, unknown> = actionOf();
    delete action[field];
    const r = await o.req('POST', CREATE, { ...openAiConnector({ actions: [action] }), name: undefined });
    expect(r.body.error.reason).toBe(message);
  });

  it('URLs must match the trusted endpoints after ${parameters.x} substitution', async () => {
    const r = await o.req(
      'POST',
      CREATE,
      openAiConnector({ actions: [{ ...actionOf(), url: 'https://evil.example.com/v1/embeddings' }] }),
    );
    expect(r.body).toEqual(
      envelope(
        400,
        'illegal_argument_exception',
        'Connector URL is not matching the trusted connector endpoint regex, URL is: https://evil.example.com/v1/embeddings',
      ),
    );
    const bedrock = await o.req('POST', CREATE, bedrockConnector());
    expect(bedrock.status).toBe(200);
    const noActions = await o.req('POST', CREATE, openAiConnector({ actions: undefined }));
    expect(noActions.body.error.reason).toBe('No actions configured for this connector');
  });

  it('aws_sigv4 needs access_key/secret_key, a service name and a region', async () => {
    const r1 = await o.req(
      'POST',
      CREATE,
      bedrockConnector({ credential: { roleArn: 'arn:aws:iam::1:role/x' } }),
    );
    expect(r1.body.error.reason).toBe('Missing credential');
    const r2 = await o.req('POST', CREATE, bedrockConnector({ parameters: { region: 'us-east-1' } }));
    expect(r2.body.error.reason).toBe('Missing service name');
  });

  it('access control parameters are refused: the security plugin is absent', async () => {
    for (const extra of [
      { access_mode: 'public' },
      { backend_roles: ['ml'] },
      { add_all_backend_roles: false },
    ]) {
      const r = await o.req('POST', CREATE, openAiConnector(extra));
      expect(r.body).toEqual(
        envelope(
          400,
          'illegal_argument_exception',
          'You cannot specify connector access control parameters because the Security plugin or connector access control is disabled on your cluster.',
        ),
      );
    }
    // AccessMode.from maps an unknown value to null: silently accepted.
    const odd = await o.req('POST', CREATE, openAiConnector({ access_mode: 'everyone' }));
    expect(odd.status).toBe(200);
  });

  it('unknown keys are silently ignored; dry_run stores nothing', async () => {
    const r = await o.req('POST', CREATE, openAiConnector({ colour: 'blue', credentials: { x: 'y' } }));
    expect(r.status).toBe(200);
    const g = await o.req('GET', `/_plugins/_ml/connectors/${r.body.connector_id}`);
    expect(g.body).not.toHaveProperty('colour');
    const dry = await o.req('POST', CREATE, { dry_run: true });
    expect(dry.body).toEqual({ connector_id: 'dryRunConnector' });
  });

  it('an empty body is a 500 IOException', async () => {
    const r = await o.req('POST', CREATE);
    expect(r.body).toEqual(envelope(500, 'i_o_exception', 'Create Connector request has empty body'));
  });
});

describe('get / delete / search', () => {
  let o: Os;
  beforeEach(async () => (o = await os('2.19.0')));
  afterEach(() => o.close());

  it('404 differs before and after the connector index exists', async () => {
    const before = await o.req('GET', '/_plugins/_ml/connectors/nope');
    expect(before.body).toEqual(envelope(404, 'status_exception', 'Failed to find connector'));
    await o.req('POST', CREATE, openAiConnector());
    const after = await o.req('GET', '/_plugins/_ml/connectors/nope');
    expect(after.body).toEqual(
      envelope(404, 'status_exception', 'Failed to find connector with the provided connector id: nope'),
    );
  });

  it('delete is refused (409) while any model references the connector, deployed or not', async () => {
    const { connectorId, modelId } = await remoteModel(o);
    const r = await o.req('DELETE', `/_plugins/_ml/connectors/${connectorId}`);
    expect(r.body).toEqual(
      envelope(
        409,
        'status_exception',
        `1 models are still using this connector, please delete or update the models first: [${modelId}]`,
      ),
    );
    expect((await o.req('DELETE', `/_plugins/_ml/models/${modelId}`)).status).toBe(200);
    const ok = await o.req('DELETE', `/_plugins/_ml/connectors/${connectorId}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ _index: '.plugins-ml-connector', _id: connectorId, result: 'deleted' });
    const again = await o.req('DELETE', `/_plugins/_ml/connectors/${connectorId}`);
    expect(again.status).toBe(404);
    expect(again.body.result).toBe('not_found');
  });

  it('delete before any connector existed: index_not_found_exception', async () => {
    const r = await o.req('DELETE', '/_plugins/_ml/connectors/x');
    expect(r.status).toBe(404);
    expect(r.body.error.type).toBe('index_not_found_exception');
    expect(r.body.error.reason).toBe('no such index [.plugins-ml-connector]');
  });

  it('search excludes credentials; an absent index gives an empty result', async () => {
    const empty = await o.req('POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } });
    expect(empty.body.hits.hits).toEqual([]);
    await o.req('POST', CREATE, openAiConnector());
    const r = await o.req('POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } });
    expect(r.body.hits.total.value).toBe(1);
    expect(r.body.hits.hits[0]._source).not.toHaveProperty('credential');
    expect(r.text).not.toContain('sk-secret');
  });
});

describe('update', () => {
  let o: Os;
  beforeEach(async () => (o = await os('2.19.0')));
  afterEach(() => o.close());

  it('merges parameters, replaces credential and actions, answers an UpdateResponse', async () => {
    const c = await o.req('POST', CREATE, openAiConnector());
    const id = c.body.connector_id;
    const before = o.state.connectors.get(id)?.source.credential;
    const r = await o.req('PUT', `/_plugins/_ml/connectors/${id}`, {
      parameters: { model: 'text-embedding-3-large' },
      credential: { openAI_key: 'sk-rotated' },
      description: 'rotated',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      _index: '.plugins-ml-connector',
      _id: id,
      _version: 2,
      result: 'updated',
    });
    const g = await o.req('GET', `/_plugins/_ml/connectors/${id}`);
    expect(g.body.parameters).toEqual({ model: 'text-embedding-3-large', dimensions: '1536' });
    expect(g.body.description).toBe('rotated');
    expect(o.state.connectors.get(id)?.source.credential).not.toEqual(before);
    // parameters cannot lose a key: an empty map changes nothing.
    await o.req('PUT', `/_plugins/_ml/connectors/${id}`, { parameters: {} });
    expect((await o.req('GET', `/_plugins/_ml/connectors/${id}`)).body.parameters.dimensions).toBe('1536');
  });

  it('is refused (400) while a deployed model uses the connector; allowed once undeployed', async () => {
    const { connectorId, modelId } = await remoteModel(o, 'm', {}, '?deploy=true');
    const r = await o.req('PUT', `/_plugins/_ml/connectors/${connectorId}`, {
      credential: { openAI_key: 'sk-2' },
    });
    expect(r.body).toEqual(
      envelope(
        400,
        'status_exception',
        `1 models are still using this connector, please undeploy the models first: [${modelId}]`,
      ),
    );
    await o.req('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    const ok = await o.req('PUT', `/_plugins/_ml/connectors/${connectorId}`, {
      credential: { openAI_key: 'sk-2' },
    });
    expect(ok.status).toBe(200);
  });

  it('re-validates URLs and answers the 404s of get', async () => {
    const c = await o.req('POST', CREATE, openAiConnector());
    const r = await o.req('PUT', `/_plugins/_ml/connectors/${c.body.connector_id}`, {
      actions: [{ ...actionOf(), url: 'http://localhost:8080/embed' }],
    });
    expect(r.body.error.reason).toBe(
      'Connector URL is not matching the trusted connector endpoint regex, URL is: http://localhost:8080/embed',
    );
    const missing = await o.req('PUT', '/_plugins/_ml/connectors/nope', { name: 'x' });
    expect(missing.body.error.reason).toBe('Failed to find connector with the provided connector id: nope');
    const empty = await o.req('PUT', `/_plugins/_ml/connectors/${c.body.connector_id}`);
    expect(empty.body).toEqual(
      envelope(400, 'parse_exception', 'Failed to update connector: Request body is empty'),
    );
  });
});

describe('versions', () => {
  it('action types grow: execute and batch_predict 2.16, cancel/status 2.17', async () => {
    const expectations: [string, string, number][] = [
      ['2.14.0', 'execute', 400],
      ['2.15.0', 'execute', 200],
      ['2.15.0', 'batch_predict', 400],
      ['2.16.0', 'batch_predict', 200],
      ['2.16.0', 'batch_predict_status', 400],
      ['2.17.0', 'batch_predict_status', 200],
    ];
    for (const [version, type, status] of expectations) {
      const o = await os(version);
      try {
        const r = await o.req(
          'POST',
          CREATE,
          openAiConnector({ actions: [actionOf(), { ...actionOf(), action_type: type }] }),
        );
        expect([version, type, r.status]).toEqual([version, type, status]);
      } finally {
        await o.close();
      }
    }
  });

  it('mcp_sse from 3.0; MCP connectors need a url, and a credential until 3.3 (PR #4169)', async () => {
    const o = await os('3.0.0');
    try {
      const noCredential = await o.req('POST', CREATE, {
        ...openAiConnector({ protocol: 'mcp_sse', url: 'https://api.openai.com/v1/mcp' }),
        credential: undefined,
      });
      expect(noCredential.body).toEqual(
        envelope(400, 'illegal_argument_exception', 'Connector credential is null or empty list'),
      );
      const noUrl = await o.req('POST', CREATE, openAiConnector({ protocol: 'mcp_sse' }));
      expect(noUrl.body).toEqual(
        envelope(400, 'illegal_argument_exception', 'MCP Connector url is null or blank'),
      );
      const r = await o.req(
        'POST',
        CREATE,
        openAiConnector({ protocol: 'mcp_sse', url: 'https://api.openai.com/v1/mcp' }),
      );
      expect(r.status).toBe(200);
      const streamable = await o.req('POST', CREATE, openAiConnector({ protocol: 'mcp_streamable_http' }));
      expect(streamable.body.error.reason).toBe("Can't find class for type mcp_streamable_http");
    } finally {
      await o.close();
    }
  });
});

function actionOf(): Record<string, unknown> {
  return {
    action_type: 'predict',
    method: 'POST',
    url: 'https://api.openai.com/v1/embeddings',
    request_body: '{ "input": ${parameters.input} }',
  };
}
