// Ownership and the lock, end to end against the emulator, with the inventory in the cluster: inferctl
// deletes only what it owns and only when told, within guard rails; adopt and forget move ownership;
// two applies never run at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const endpoint = (id: string) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
`;
const env = { OPENAI_API_KEY: 'sk-owned' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
const url = () => ['--url', emulator.url];
const declare = (...ids: string[]) => {
  rmSync(join(dir, 'm'), { recursive: true, force: true });
  writeFileSync(join(dir, 'm.yaml'), ids.map(endpoint).join('---\n') || '# nothing declared\n');
};
const es = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const live = async () =>
  (
    (await (await es('GET', '/_inference/_all')).json()) as { endpoints: { inference_id: string }[] }
  ).endpoints
    .map((e) => e.inference_id)
    .filter((id) => !id.startsWith('.'))
    .sort();

beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'inferctl-owned-'));
});
afterAll(async () => emulator.close());

describe('ownership and prune', () => {
  it('records what it applies in an index of its own, created with a strict mapping', async () => {
    declare('a', 'b', 'c');
    const result = await inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', ...url()], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Ownership and secret fingerprints: index inferctl-inventory on the cluster',
    );
    const index = (await (await es('GET', '/inferctl-inventory')).json()) as Record<
      string,
      { mappings: { dynamic: string } }
    >;
    expect(index['inferctl-inventory']!.mappings.dynamic).toBe('strict');
    await es('POST', '/inferctl-inventory/_refresh');
    const docs = (await (await es('POST', '/inferctl-inventory/_search', { size: 10 })).json()) as {
      hits: { hits: { _source: { id: string; secrets: Record<string, string> } }[] };
    };
    expect(docs.hits.hits.map((h) => h._source.id).sort()).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(docs)).not.toContain('sk-owned');
    expect(docs.hits.hits[0]!._source.secrets['api_key']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never deletes an endpoint it does not own, even with --prune', async () => {
    await es('PUT', '/_inference/completion/theirs', {
      service: 'openai',
      service_settings: { model_id: 'gpt-4o', api_key: 'x' },
    });
    declare('a', 'b', 'c');
    const result = await inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--prune', ...url()], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Not managed (left alone): theirs');
    expect(await live()).toContain('theirs');
  });

  it('lists owned endpoints no longer declared, and deletes them only with --prune', async () => {
    declare('a', 'b');
    const plan = await inferctlAsync(['plan', join(dir, 'm.yaml'), ...url()], { env });
    expect(plan.stdout).toContain('Owned by inferctl but no longer declared (deleted only with --prune): c.');
    const pruned = await inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--prune', ...url()], { env });
    expect(pruned.code, pruned.stdout).toBe(0);
    expect(pruned.stdout).toContain('- c (openai, completion) will be deleted');
    expect(await live()).toEqual(['a', 'b', 'theirs']);
  });

  it('refuses more deletions than --max-deletes, and deleting everything without --allow-delete-all', async () => {
    declare();
    const refused = await inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--prune', ...url()], {
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('BLOCKED: this plan deletes every endpoint inferctl manages here (2)');
    expect(refused.stderr).toContain('pass --allow-delete-all');
    declare('a');
    writeFileSync(join(dir, 'extra.yaml'), '');
    const two = await inferctlAsync(['plan', join(dir, 'm.yaml'), '--prune', ...url()], { env });
    expect(two.stdout).not.toContain('BLOCKED');
    expect(await live()).toEqual(['a', 'b', 'theirs']);
  });

  it('adopt takes ownership (secrets: cannot verify), forget releases without deleting', async () => {
    const adopted = await inferctlAsync(['adopt', 'theirs', ...url()], { env });
    expect(adopted.stdout).toBe(
      'theirs: adopted (recorded in the index inferctl-inventory on the cluster)\n',
    );
    declare('a', 'b', 'theirs');
    const plan = await inferctlAsync(['plan', join(dir, 'm.yaml'), ...url()], { env });
    expect(plan.stdout).toContain(
      'Secrets that cannot be verified (no fingerprint recorded, e.g. after inferctl adopt): theirs',
    );
    const forgotten = await inferctlAsync(['forget', 'theirs', ...url()], { env });
    expect(forgotten.stdout).toBe('theirs: forgotten (still on the cluster)\n');
    declare('a', 'b');
    const after = await inferctlAsync(['plan', join(dir, 'm.yaml'), '--prune', ...url()], { env });
    expect(after.stdout).toContain('Not managed (left alone): theirs');
    expect(await live()).toContain('theirs');
  });

  it('adopt refuses what is not there and preconfigured endpoints', async () => {
    expect((await inferctlAsync(['adopt', 'nope', ...url()], { env })).stderr).toContain(
      'not on the cluster: nope',
    );
    expect((await inferctlAsync(['adopt', '.elser-2-elasticsearch', ...url()], { env })).stderr).toContain(
      'can never be managed',
    );
  });
});

describe('the lock', () => {
  it('a second apply waits, then fails naming who holds the lock; unlock removes it', async () => {
    // A lease as a crashed or running apply leaves it, valid for another minute.
    const lease = {
      owner: 'ci-bot',
      host: 'runner-7',
      pid: 4242,
      command: 'inferctl apply',
      acquired_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 60_000).toISOString(),
    };
    expect((await es('PUT', '/inferctl-inventory-lock/_create/lock', lease)).status).toBe(201);
    declare('a', 'b');
    const blocked = await inferctlAsync(
      ['apply', join(dir, 'm.yaml'), '--yes', '--lock-timeout', '1s', ...url()],
      { env },
    );
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      'another inferctl run holds the lock: ci-bot on runner-7 (pid 4242, "inferctl apply")',
    );
    expect(blocked.stderr).toContain('inferctl unlock');
    const unlocked = await inferctlAsync(['unlock', ...url()], { env });
    expect(unlocked.stdout).toContain('Removed the lock held by ci-bot on runner-7');
    expect(
      (
        await inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--lock-timeout', '1s', ...url()], {
          env,
        })
      ).code,
    ).toBe(0);
  });

  it('an expired lease (a crashed run) is taken over', async () => {
    const stale = {
      owner: 'gone',
      host: 'h',
      pid: 1,
      command: 'inferctl apply',
      acquired_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2026-01-01T00:02:00.000Z',
    };
    expect((await es('PUT', '/inferctl-inventory-lock/_create/lock', stale)).status).toBe(201);
    declare('a', 'b');
    const result = await inferctlAsync(
      ['apply', join(dir, 'm.yaml'), '--yes', '--lock-timeout', '1s', ...url()],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect((await es('GET', '/inferctl-inventory-lock/_doc/lock')).status).toBe(404); // released after the run
  });

  it('two applies at once: one runs, the other waits for it', async () => {
    declare('p1', 'p2', 'p3', 'p4');
    const [one, two] = await Promise.all([
      inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--lock-timeout', '30s', ...url()], { env }),
      inferctlAsync(['apply', join(dir, 'm.yaml'), '--yes', '--lock-timeout', '30s', ...url()], { env }),
    ]);
    expect([one.code, two.code], one.stdout + one.stderr + two.stdout + two.stderr).toEqual([0, 0]);
    // Exactly one of them created the endpoints; the other found nothing left to do.
    const creators = [one, two].filter((r) => r.stdout.includes('Apply complete: 4 succeeded.'));
    expect(creators).toHaveLength(1);
    expect([one, two].filter((r) => r.stdout.includes('No changes.'))).toHaveLength(1);
  });
});
