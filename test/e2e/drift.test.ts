// Drift end to end: apply, then change the cluster behind git's back; drift reports it (exit 2), JSON
// follows its schema, --fix restores what is safe and leaves the rest.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { driftSchema } from '../../src/schema/files.js';
import { inferctlAsync } from '../helpers/cli.js';

const Ajv2020 = Ajv2020Module.default;
const endpoint = (id: string, user = 'search') => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;
const env = { OPENAI_API_KEY: 'sk-drift' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
let args: string[];
beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'inferctl-drift-'));
  writeFileSync(
    join(dir, 'a.yaml'),
    [endpoint('kept'), endpoint('edited'), endpoint('removed')].join('---\n'),
  );
  args = [dir, '--url', emulator.url, '--state-file', join(dir, 'state.json')];
  const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
  expect(applied.code).toBe(0);
});
afterAll(async () => emulator.close());

const es = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('inferctl drift', () => {
  it('is in sync right after an apply (exit 0)', async () => {
    const result = await inferctlAsync(['drift', ...args], { env });
    expect(result.stdout).toContain('No drift. 3 endpoints in sync.');
    expect(result.code).toBe(0);
  });

  it('reports edited, deleted and hand-made endpoints (exit 2), in JSON following its schema', async () => {
    expect(
      (await es('PUT', '/_inference/completion/edited/_update', { task_settings: { user: 'someone-else' } }))
        .status,
    ).toBe(200);
    expect((await es('DELETE', '/_inference/completion/removed')).status).toBe(200);
    expect(
      (
        await es('PUT', '/_inference/completion/handmade', {
          service: 'openai',
          service_settings: { model_id: 'gpt-4o', api_key: 'x' },
        })
      ).status,
    ).toBe(200);
    const result = await inferctlAsync(['drift', ...args, '--format', 'json'], { env });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    const validate = new Ajv2020({ strict: false }).compile(driftSchema() as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary).toEqual({ in_sync: 1, drifted: 1, missing: 1, unmanaged: 1 });
    const byId = Object.fromEntries(report.endpoints.map((e: { id: string }) => [e.id, e]));
    expect(byId.edited).toMatchObject({
      status: 'drifted',
      fix: 'in-place',
      fields: [{ path: '/task_settings/user', live: 'someone-else', desired: 'search' }],
    });
    expect(byId.removed).toMatchObject({
      status: 'missing',
      fix: 'create',
      detail: 'applied by inferctl, then deleted out of band',
    });
    expect(byId.handmade).toMatchObject({ status: 'unmanaged', fix: 'review' });
    const text = await inferctlAsync(['drift', ...args], { env });
    expect(text.stdout).toContain('DRIFTED edited');
    expect(text.stdout).toContain('task_settings.user: live "someone-else", declared "search"');
  });

  it('--fix restores what is safe: the edit and the deletion; the hand-made endpoint stays, still reported', async () => {
    const fixed = await inferctlAsync(['drift', ...args, '--fix'], { env });
    expect(fixed.stderr).toContain('fixed: edited');
    expect(fixed.stderr).toContain('fixed: removed');
    expect(fixed.stdout).toContain('unmanaged handmade');
    expect(fixed.code).toBe(2);
    const plan = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
    expect(plan.code).toBe(0);
  });

  it('renders markdown for the scheduled job’s issue', async () => {
    const result = await inferctlAsync(['drift', ...args, '--format', 'markdown'], { env });
    expect(result.stdout).toContain('| `handmade` | unmanaged |');
  });
});
