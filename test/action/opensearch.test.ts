// The Action against an OpenSearch cluster: detected, not configured. The pull request comment is the
// OpenSearch plan (connectors, model groups, models; downtime said), apply on merge refuses another plan
// and then carries the reviewed one out, and the scheduled drift run opens and closes its issue — with the
// inventory and the lock in the cluster, and no credential in any output.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { runAction, type ActionRun } from './run-action.js';

const GITHUB_TOKEN = 'ghs_canaryToken0123456789abcdefABCDEF';
const env = Object.fromEntries(
  Object.keys(secretEnv(join(EXAMPLES, 'opensearch'))).map((k) => [k, `os-canary-${k.toLowerCase()}-7d1e`]),
);

let emulator: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
let github: FakeGitHub;
let workspace: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  emulator = await startOpenSearchEmulator({ version: '2.19.0', port: 0 });
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  workspace = mkdtempSync(join(tmpdir(), 'inferctl-action-os-'));
  cpSync(join(EXAMPLES, 'opensearch'), join(workspace, 'manifests'), { recursive: true });
});
afterAll(async () => {
  await emulator.close();
  await github.close();
  rmSync(workspace, { recursive: true, force: true });
});

async function action(
  event: 'pull_request' | 'push' | 'schedule',
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const run = await runAction({
    event,
    payload: {
      pull_request: 'pull_request.synchronize.json',
      push: 'push.main.json',
      schedule: 'schedule.json',
    }[event],
    workspace,
    githubApiUrl: github.url,
    inputs: { paths: 'manifests', url: emulator.url, 'github-token': GITHUB_TOKEN, cluster: '', ...inputs },
    env,
  });
  runs.push(run);
  return run;
}

describe('the Action on OpenSearch', () => {
  let reviewed: string;

  it('comments the OpenSearch plan on the pull request', async () => {
    const run = await action('pull_request', { command: 'plan' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['has-changes']).toBe('true');
    expect(JSON.parse(run.outputs['summary']!)).toMatchObject({ create: 9, deploy: 3 });
    reviewed = run.outputs['checksum']!;
    const plan = JSON.parse(readFileSync(run.outputs['plan-json']!, 'utf8'));
    expect(plan).toMatchObject({ flavor: 'opensearch', checksum: reviewed });
    const comment = github.comments.find((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'));
    expect(comment?.body).toContain(
      '### inferctl plan — ' + emulator.url + ' (OpenSearch 2.19.0, ML Commons)',
    );
    expect(comment?.body).toContain('| + | `OpenSearchConnector/openai-embeddings-connector` |');
    expect(comment?.body).toContain(`expected-checksum: ${reviewed}`);
  });

  it('applies the reviewed plan on merge, and refuses another', async () => {
    const wrong = await action('push', { command: 'apply', 'expected-checksum': 'sha256:' + '0'.repeat(64) });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('the plan is not the one reviewed');
    expect(emulator.state.models.docs.size).toBe(0);

    const run = await action('push', { command: 'apply', 'expected-checksum': reviewed });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs['summary']!)).toMatchObject({ succeeded: 12, failed: 0 });
    expect(run.summary).toContain('### inferctl apply — complete');
    expect(run.summary).toMatch(/\| ✅ \| `OpenSearchModel\/openai-embeddings#deploy` \| deploy \| DEPLOYED/);
    // The inventory is an index of the cluster; the lock was released.
    expect(emulator.state.indices.indices.has('inferctl-inventory')).toBe(true);
    const again = await action('push', { command: 'apply' });
    expect(again.outputs['has-changes']).toBe('false');
    expect(again.summary).toContain('Nothing to apply.');
  });

  it('opens a drift issue when a model is changed by hand, and closes it once fixed', async () => {
    const inSync = await action('schedule', { command: 'drift' });
    expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
    expect(inSync.outputs['drifted']).toBe('false');

    const [id] = [...emulator.state.models.docs.values()]
      .filter((d) => d.source['name'] === 'cohere-embeddings')
      .map((d) => d.id);
    await fetch(`${emulator.url}/_plugins/_ml/models/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'edited in the dashboard' }),
    });
    const drifted = await action('schedule', { command: 'drift' });
    expect(drifted.outputs['drifted']).toBe('true');
    const issue = github.issues.find((i) => i.labels.some((l) => l.name === 'inferctl-drift'));
    expect(issue?.body).toContain('(OpenSearch 2.19.0)');
    expect(issue?.body).toContain('| `OpenSearchModel/cohere-embeddings` | DRIFTED |');

    const fixed = await action('push', { command: 'apply' });
    expect(fixed.code).toBe(0);
    const closed = await action('schedule', { command: 'drift' });
    expect(closed.outputs['drifted']).toBe('false');
    expect(github.issues.find((i) => i.number === issue!.number)?.state).toBe('closed');
  });

  it('never shows a credential', () => {
    for (const run of runs) {
      const text = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
      for (const secret of Object.values(env)) expect(text).not.toContain(secret);
    }
    const bodies = [...github.comments.map((c) => c.body), ...github.issues.map((i) => i.body ?? '')].join(
      '\n',
    );
    for (const secret of Object.values(env)) expect(bodies).not.toContain(secret);
    // The plan files the runs wrote, and every document of the inventory index in the cluster.
    const files = runs
      .map((r) => r.outputs['plan-json'])
      .filter((f): f is string => f !== undefined)
      .map((f) => readFileSync(f, 'utf8'));
    expect(files.length).toBeGreaterThan(0);
    const documents = [...emulator.state.indices.documents.values()].flatMap((store) =>
      [...store.live.values()].map((d) => JSON.stringify(d.source)),
    );
    expect(documents.length).toBeGreaterThan(0);
    for (const text of [...files, ...documents])
      for (const secret of Object.values(env)) expect(text).not.toContain(secret);
  });
});
