// A replacement never loses an endpoint. From 8.19.7 / 9.1.7 / 9.2.1 / 9.3.0 Elasticsearch refuses to create an
// endpoint whose id semantic_text fields of non-empty indices use (PR #137055), so inferctl's delete-then-create
// would leave the id without an endpoint. The plan knows before anything is deleted, names the indices, and
// --allow-disruption cannot release it; the way out is a new endpoint id, and on 9.3+ a mapping switch (PR #136120).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const endpoint = (id: string, settings: string) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: text_embedding
  service: openai
  service_settings: { ${settings}, api_key: { secretRef: { env: OPENAI_API_KEY } } }
`;
const SMALL = 'model_id: text-embedding-3-small';
const LARGE = 'model_id: text-embedding-3-large';
/** The large model cut to the small one's dimensions: compatible with what a field recorded from the small one. */
const LARGE_COMPATIBLE = 'model_id: text-embedding-3-large, dimensions: 1536, similarity: dot_product';
const env = { OPENAI_API_KEY: 'sk-replace-0123' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
const es = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const declare = (...docs: string[]) => writeFileSync(join(dir, 'm.yaml'), docs.join('---\n'));
const run = (...args: string[]) =>
  inferctlAsync([args[0]!, join(dir, 'm.yaml'), ...args.slice(1), '--url', emulator.url], { env });
const modelOf = async (id: string) => {
  const got = await es('GET', `/_inference/${id}`);
  const endpoints = got.body['endpoints'] as { service_settings: { model_id: string } }[] | undefined;
  return endpoints?.[0]?.service_settings.model_id;
};
/** `emb` applied, and an index whose semantic_text field uses it, holding `docs` documents. */
const setUp = async (version: string, docs: number) => {
  emulator = await startEmulator({ esVersion: version, port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'inferctl-replace-'));
  declare(endpoint('emb', SMALL));
  expect((await run('apply', '--yes')).code).toBe(0);
  const created = await es('PUT', '/articles', {
    mappings: { properties: { body: { type: 'semantic_text', inference_id: 'emb' } } },
  });
  expect(created.status).toBe(200);
  for (let i = 0; i < docs; i++) {
    expect((await es('PUT', `/articles/_doc/${i}?refresh=true`, { body: 'hello' })).status).toBe(201);
  }
};

afterEach(async () => emulator?.close());

describe.each(['8.19.7', '9.1.7', '9.2.1', '9.3.0'])('%s: the strict guard of PR #137055', (version) => {
  beforeEach(async () => setUp(version, 1));

  it('blocks the replacement before anything is deleted, names the index, and --allow-disruption cannot release it', async () => {
    declare(endpoint('emb', LARGE));
    const plan = await run('plan', '--allow-disruption', 'emb', '--allow-incompatible', 'emb');
    expect(plan.stdout).toContain(
      `BLOCKED: replacing emb deletes it first, and Elasticsearch ${version} would then refuse to create it again (PR #137055): semantic_text fields of indices that hold documents use it: articles (body)`,
    );
    expect(plan.stdout).toContain('--allow-disruption cannot release this');
    expect(plan.stdout).toContain('declare the new configuration under a new endpoint id');
    const apply = await run('apply', '--yes', '--allow-disruption', 'emb', '--allow-incompatible', 'emb');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('nothing was changed');
    expect(await modelOf('emb')).toBe('text-embedding-3-small');
  });

  it('the guard is real: a forced delete and a create with the very same settings are refused', async () => {
    expect((await es('DELETE', '/_inference/emb?force=true')).status).toBe(200);
    const again = await es('PUT', '/_inference/text_embedding/emb', {
      service: 'openai',
      service_settings: { model_id: 'text-embedding-3-small', api_key: 'k' },
    });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toContain(
      'Inference endpoint [emb] could not be created because it is being used in mappings for indices: [articles]',
    );
    // apply now sees a create, and the same refusal is reported as what it is, not as a bad manifest.
    const apply = await run('apply', '--yes');
    expect(apply.code).toBe(1);
    expect(apply.stdout + apply.stderr).toContain(
      'refused to create inference endpoint [emb]: semantic_text fields of indices that hold documents use that id (articles)',
    );
  });
});

describe.each(['8.19.6', '9.1.6', '9.2.0'])('%s: before the guard', (version) => {
  beforeEach(async () => setUp(version, 1));

  it('replaces with --allow-disruption (and --allow-incompatible for a model change), as before', async () => {
    declare(endpoint('emb', LARGE));
    const blocked = await run('plan', '--allow-disruption', 'emb');
    expect(blocked.stdout).toContain('which the semantic_text fields of articles depend on');
    const apply = await run('apply', '--yes', '--allow-disruption', 'emb', '--allow-incompatible', 'emb');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(await modelOf('emb')).toBe('text-embedding-3-large');
  });
});

describe('an index without documents never blocks', () => {
  beforeEach(async () => setUp('9.2.1', 0));

  it('replaces with --allow-disruption on 9.2.1', async () => {
    declare(endpoint('emb', LARGE));
    const apply = await run('apply', '--yes', '--allow-disruption', 'emb', '--allow-incompatible', 'emb');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(await modelOf('emb')).toBe('text-embedding-3-large');
  });
});

describe('9.3.6: the compatible form', () => {
  beforeEach(async () => setUp('9.3.6', 1));

  it('blocks a replacement whose settings the field may not merge with', async () => {
    declare(endpoint('emb', LARGE));
    const plan = await run('plan', '--allow-disruption', 'emb', '--allow-incompatible', 'emb');
    expect(plan.stdout).toContain(
      'semantic_text fields recorded settings the new endpoint is not known to match (task type text_embedding, element type float): articles (body: task type text_embedding, dimensions 1536, similarity dot_product, element type float)',
    );
  });

  it('lets a provably compatible replacement through, and it converges', async () => {
    declare(endpoint('emb', LARGE_COMPATIBLE));
    const apply = await run('apply', '--yes', '--allow-disruption', 'emb');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(await modelOf('emb')).toBe('text-embedding-3-large');
    const after = await run('plan', '--detailed-exitcode');
    expect(after.code, after.stdout).toBe(0);
  });
});

describe.each(['9.3.0', '9.3.6'])(
  '%s: the way out — a new endpoint id, the mapping switched, the old id pruned',
  (version) => {
    beforeEach(async () => setUp(version, 1));

    it('converges without ever deleting an endpoint in use', async () => {
      declare(endpoint('emb', SMALL), endpoint('emb-v2', LARGE_COMPATIBLE));
      expect((await run('apply', '--yes')).code).toBe(0);
      const switched = await es('PUT', '/articles/_mapping', {
        properties: { body: { type: 'semantic_text', inference_id: 'emb-v2' } },
      });
      expect(switched.status, JSON.stringify(switched.body)).toBe(200);
      declare(endpoint('emb-v2', LARGE_COMPATIBLE));
      const pruned = await run('apply', '--yes', '--prune');
      expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
      expect(pruned.stdout).toContain('- emb (openai, text_embedding) will be deleted');
      expect((await es('GET', '/_inference/emb')).status).toBe(404);
      const after = await run('plan', '--detailed-exitcode', '--prune');
      expect(after.code, after.stdout).toBe(0);
    });

    it('a switch to an endpoint the field cannot merge with is refused by Elasticsearch', async () => {
      declare(endpoint('emb', SMALL), endpoint('emb-large', LARGE));
      expect((await run('apply', '--yes')).code).toBe(0);
      const switched = await es('PUT', '/articles/_mapping', {
        properties: { body: { type: 'semantic_text', inference_id: 'emb-large' } },
      });
      expect(switched.status).toBe(400);
      expect(JSON.stringify(switched.body)).toContain(
        'Cannot update parameter [inference_id] from [emb] to [emb-large]',
      );
    });
  },
);

describe('9.2.1: a field’s inference_id cannot change before 9.3', () => {
  beforeEach(async () => setUp('9.2.1', 1));

  it('refuses the mapping switch, and the plan’s way out says to reindex', async () => {
    declare(endpoint('emb', SMALL), endpoint('emb-v2', LARGE_COMPATIBLE));
    expect((await run('apply', '--yes')).code).toBe(0);
    const switched = await es('PUT', '/articles/_mapping', {
      properties: { body: { type: 'semantic_text', inference_id: 'emb-v2' } },
    });
    expect(switched.status).toBe(400);
    declare(endpoint('emb', LARGE), endpoint('emb-v2', LARGE_COMPATIBLE));
    const plan = await run('plan');
    expect(plan.stdout).toContain('reindex into an index whose semantic_text fields use it (before 9.3');
  });
});

describe('8.15: DELETE does not check semantic_text fields (PR #111626), so inferctl reads the mappings itself', () => {
  beforeEach(async () => setUp('8.15.5', 1));

  it('the server would delete it without a word; the plan still names the index and blocks', async () => {
    const dry = await es('DELETE', '/_inference/emb?dry_run=true');
    expect(dry.body).toEqual({ acknowledged: false, pipelines: [] });
    declare(endpoint('emb', LARGE));
    const plan = await run('plan');
    expect(plan.stdout + plan.stderr).toContain(
      'BLOCKED: emb is used by indices articles; replacing it deletes it first',
    );
    expect(await modelOf('emb')).toBe('text-embedding-3-small');
  });
});
