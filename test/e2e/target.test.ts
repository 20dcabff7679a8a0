// `--target ID`, as Terraform's -target: a plan of only the named endpoints, said to be partial.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const endpoint = (id: string, user: string) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;
const env = { OPENAI_API_KEY: 'sk-target-0123' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let file: string;
const run = (...args: string[]) =>
  inferctlAsync([args[0]!, file, ...args.slice(1), '--url', emulator.url], { env });
const userOf = async (id: string) =>
  (
    (await (await fetch(`${emulator.url}/_inference/${id}`)).json()) as {
      endpoints: { task_settings: { user: string } }[];
    }
  ).endpoints[0]!.task_settings.user;

beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.3.1', port: 0 });
  file = join(mkdtempSync(join(tmpdir(), 'inferctl-target-')), 'm.yaml');
  writeFileSync(file, [endpoint('a', 'one'), endpoint('b', 'one'), endpoint('c', 'one')].join('---\n'));
  expect((await run('apply', '--yes')).code).toBe(0);
});
afterAll(async () => emulator.close());

describe('--target', () => {
  it('plans and applies only the named endpoint, and says the plan is partial', async () => {
    writeFileSync(file, [endpoint('a', 'two'), endpoint('b', 'two')].join('---\n'));
    const plan = await run('plan', '--target', 'a', '--prune');
    expect(plan.stderr).toContain('warning: --target a: only that endpoint is planned');
    expect(plan.stdout).toContain('~ a (openai, completion) will be updated in place');
    expect(plan.stdout).not.toContain(' b (openai');
    expect(plan.stdout).not.toContain(' c (openai');
    const applied = await run('apply', '--yes', '--target', 'a', '--prune');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await userOf('a')).toBe('two');
    expect(await userOf('b')).toBe('one');
    expect(await userOf('c')).toBe('one'); // owned, undeclared, not targeted: not pruned
  });

  it('a targeted owned endpoint that is no longer declared is pruned', async () => {
    const plan = await run('plan', '--target', 'c', '--prune');
    expect(plan.stdout).toContain('- c (openai, completion) will be deleted');
  });

  it('refuses an id that is neither declared nor on the cluster', async () => {
    const plan = await run('plan', '--target', 'nope');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('--target nope: no declared or live endpoint has that id');
  });
});
