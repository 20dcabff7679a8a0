// inferctl drift on an OpenSearch cluster, as the scheduled job runs it: the examples applied, then changed
// behind git's back through the ML Commons API; drift names what changed, --fix restores the safe part.
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { driftSchema } from '../../src/schema/files.js';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { openAiConnector } from '../emulator/opensearch/helpers.js';

const env = secretEnv(join(EXAMPLES, 'opensearch'));

describe('inferctl drift on OpenSearch', () => {
  let emulator: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
  let args: string[];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(emulator.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const modelId = async (name: string) => {
    const found = await call('POST', '/_plugins/_ml/models/_search', {
      query: { term: { 'name.keyword': name } },
    });
    return (found['hits'] as { hits: { _id: string }[] }).hits[0]!._id;
  };

  beforeAll(async () => {
    emulator = await startOpenSearchEmulator({ version: '2.19.0', port: 0 });
    args = [join(EXAMPLES, 'opensearch'), '--url', emulator.url];
    const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  });
  afterAll(async () => emulator.close());

  it('reports no drift right after an apply', async () => {
    const drift = await inferctlAsync(['drift', ...args], { env });
    expect(drift.stderr).toBe('');
    expect(drift.stdout).toContain('(OpenSearch 2.19.0)');
    expect(drift.stdout).toContain('No drift. 9 objects in sync.');
    expect(drift.code).toBe(0);
  });

  it('names out-of-band changes, undeployed models and unmanaged objects, then --fix restores what is safe', async () => {
    const cohere = await modelId('cohere-embeddings');
    await call('PUT', `/_plugins/_ml/models/${cohere}`, { description: 'changed by hand' });
    const openai = await modelId('openai-embeddings');
    await call('POST', `/_plugins/_ml/models/${openai}/_undeploy`);
    const stray = await call(
      'POST',
      '/_plugins/_ml/connectors/_create',
      openAiConnector({ name: 'by-hand' }),
    );

    const text = await inferctlAsync(['drift', ...args], { env });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('DRIFTED OpenSearchModel/cohere-embeddings');
    expect(text.stdout).toContain('description: live "changed by hand", declared ');
    expect(text.stdout).toContain('DRIFTED OpenSearchModel/openai-embeddings');
    expect(text.stdout).toContain('model_state: live "UNDEPLOYED", declared "DEPLOYED"');
    expect(text.stdout).toContain(
      `unmanaged OpenSearchConnector/by-hand (id ${String(stray['connector_id'])})`,
    );
    expect(text.stdout).toContain('Drift: 2 drifted, 0 missing, 1 unmanaged, 7 in sync.');
    for (const v of Object.values(env)) expect(text.stdout).not.toContain(v);

    const json = await inferctlAsync(['drift', ...args, '--format', 'json'], { env });
    const report = JSON.parse(json.stdout);
    const validate = new Ajv2020({ strict: false }).compile(driftSchema() as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ flavor: 'opensearch', summary: { drifted: 2, unmanaged: 1, in_sync: 7 } });
    const markdown = await inferctlAsync(['drift', ...args, '--format', 'markdown'], { env });
    expect(markdown.stdout).toContain('| `OpenSearchModel/cohere-embeddings` | DRIFTED |');

    const fixed = await inferctlAsync(['drift', ...args, '--fix'], { env });
    expect(fixed.stderr).toContain('fixed: OpenSearchModel/cohere-embeddings');
    expect(fixed.stderr).toContain('fixed: OpenSearchModel/openai-embeddings#deploy');
    // The unmanaged connector is left to a human.
    expect(fixed.code).toBe(2);
    expect(fixed.stdout).toContain('Drift: 0 drifted, 0 missing, 1 unmanaged, 9 in sync.');
  });
});
