// The Action end to end, as the runner runs it: `node dist/index.js` with INPUT_* and the GITHUB_* files,
// against the emulator and a fake of GitHub's REST API on loopback that records every call.
//   pull request → one comment per cluster, created then updated in place (never duplicated), cut to
//   fit; invalid manifests → annotations; merge → apply, refusing a plan other than the reviewed one;
//   schedule → a drift issue opened, updated, closed with a comment; secrets never in any output.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { ROOT, runAction, type ActionRun } from './run-action.js';

// Canaries: none of these may appear in any output (stdout beyond the runner's add-mask commands,
// stderr, outputs, job summary, comment and issue bodies, the JSON plan).
const ES_API_KEY = 'es-canary-VnVNNVkyNFh6WkFBQUJjZA';
const GITHUB_TOKEN = 'ghs_canaryToken0123456789abcdefABCDEF';
const OPENAI_KEY = 'sk-openai-canary-5f3e2d1c';

const endpoint = (id: string, model = 'gpt-4o', user = 'search') => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: ${model}, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let github: FakeGitHub;
let workspace: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0, apiKey: ES_API_KEY });
  github = await startFakeGitHub({ token: GITHUB_TOKEN, pageSize: 2 });
  workspace = mkdtempSync(join(tmpdir(), 'inferctl-action-ws-'));
  mkdirSync(join(workspace, 'manifests'));
  writeManifests([endpoint('support-assistant'), endpoint('summarizer', 'gpt-4o', 'batch')]);
});
afterAll(async () => {
  await emulator.close();
  await github.close();
  rmSync(workspace, { recursive: true, force: true });
});

function writeManifests(docs: string[], file = 'endpoints.yaml'): void {
  writeFileSync(join(workspace, 'manifests', file), docs.join('---\n'));
}

async function action(
  event: 'pull_request' | 'push' | 'schedule',
  inputs: Record<string, string>,
  env: Record<string, string> = {},
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
    inputs: {
      paths: 'manifests',
      url: emulator.url,
      'api-key': ES_API_KEY,
      'github-token': GITHUB_TOKEN,
      cluster: '',
      ...inputs,
    },
    env: { OPENAI_API_KEY: OPENAI_KEY, ...env },
  });
  runs.push(run);
  return run;
}

const prComments = () => github.comments.filter((c) => c.issue === 17);
const callsSince = (n: number) =>
  github.calls.slice(n).map((c) => `${c.method} ${c.path.replace(/\?.*/, '')}`);

describe('plan on a pull request', () => {
  it('creates one comment with the plan, and sets the outputs and the job summary', async () => {
    // Someone else's comments first: the marker comment is found across pages (2 a page).
    for (const body of [
      'LGTM',
      'what about staging?',
      'the plan is in <!-- inferctl:plan cluster=default -->',
    ])
      github.comments.push({
        id: github.comments.length + 1,
        body,
        user: { login: 'octocat' },
        html_url: '',
        issue: 17,
      });
    const run = await action('pull_request', { command: 'plan' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['has-changes']).toBe('true');
    expect(run.outputs['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(run.outputs['summary']!)).toEqual({
      create: 2,
      update: 0,
      replace: 0,
      delete: 0,
      unchanged: 0,
      blocked: 0,
    });
    const plan = JSON.parse(readFileSync(run.outputs['plan-json']!, 'utf8'));
    expect(plan.checksum).toBe(run.outputs['checksum']);
    expect(run.summary).toContain('### inferctl plan');
    expect(run.summary).toContain('`support-assistant`');

    const mine = prComments().filter((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain('<details><summary><code>+ summarizer</code> will be created</summary>');
    expect(mine[0]!.body).toContain(`expected-checksum: ${run.outputs['checksum']}`);
    expect(mine[0]!.body).toContain(
      '[workflow run](https://github.example/acme/search-config/actions/runs/4242)',
    );
    expect(github.calls.every((c) => c.authorization === `Bearer ${GITHUB_TOKEN}`)).toBe(true);
  });

  it('updates the same comment on the next push, never adding a second one', async () => {
    writeManifests([endpoint('support-assistant', 'gpt-4o-mini'), endpoint('summarizer', 'gpt-4o', 'batch')]);
    const before = github.calls.length;
    const count = prComments().length;
    const run = await action('pull_request', { command: 'plan' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(prComments()).toHaveLength(count);
    const calls = callsSince(before);
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('PATCH'))).toHaveLength(1);
    // Every page of comments was read.
    expect(github.calls.slice(before).some((c) => /[?&]page=2/.test(c.path))).toBe(true);
    const mine = prComments().filter((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'));
    expect(mine).toHaveLength(1);
    expect(run.stdout).toContain('Plan comment updated');
  });

  it('keeps one comment per cluster: another cluster gets its own', async () => {
    const run = await action('pull_request', { command: 'plan', cluster: '', comment: 'true' }, {});
    expect(run.code).toBe(0);
    const project = `apiVersion: inferctl/v1
kind: Project
clusters:
  staging:
    url: ${emulator.url}
    paths: [manifests]
`;
    writeFileSync(join(workspace, 'inferctl.yaml'), project);
    const staging = await action('pull_request', { command: 'plan', cluster: 'staging', url: '', paths: '' });
    rmSync(join(workspace, 'inferctl.yaml'));
    expect(staging.code, staging.stdout + staging.stderr).toBe(0);
    const markers = prComments()
      .map((c) => /^<!-- inferctl:plan cluster=(\S+) -->/.exec(c.body)?.[1])
      .filter(Boolean);
    expect(markers.sort()).toEqual(['default', 'staging']);
    expect(staging.summary).toContain('## Cluster `staging`');
  });

  it('cuts a plan too long for a comment: details dropped, the summary and the table kept, the way to the full plan said', async () => {
    const many = Array.from({ length: 260 }, (_, i) =>
      endpoint(
        `bulk-${String(i).padStart(3, '0')}`,
        'gpt-4o',
        `a-rather-long-user-name-to-fill-the-comment-${i}`,
      ),
    );
    mkdirSync(join(workspace, 'big'));
    writeFileSync(join(workspace, 'big', 'bulk.yaml'), many.join('---\n'));
    const run = await action('pull_request', { command: 'plan', paths: 'big' }, { RUNNER_DEBUG: '0' });
    rmSync(join(workspace, 'big'), { recursive: true });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // Same cluster (default) as the first test: the comment is updated, and fits.
    const mine = prComments().filter((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'));
    expect(mine).toHaveLength(1);
    const body = mine[0]!.body;
    expect([...body].length).toBeLessThan(65_536);
    expect(body).toContain('**260** to create');
    expect(body).toContain('| + | `bulk-259` |');
    expect(body).toMatch(/the details of \d+ endpoints are left out here/);
    expect(body).toContain('The full plan is in the job summary of [this run]');
    expect(body).toContain(run.outputs['plan-json']!);
    expect(body.trimEnd().endsWith('this comment is updated on every push</sub>')).toBe(true);
    // The job summary has the whole plan.
    expect(run.summary).toContain('<code>+ bulk-259</code>');
  });

  it('turns invalid manifests into annotations on their lines, and says so in the comment', async () => {
    writeFileSync(
      join(workspace, 'manifests', 'broken.yaml'),
      `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: broken }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } }, colour: blue }
`,
    );
    const run = await action('pull_request', { command: 'plan' });
    rmSync(join(workspace, 'manifests', 'broken.yaml'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=inferctl%3A unknown_field,file=manifests\/broken\.yaml,line=7,col=\d+::.*colour/m,
    );
    expect(run.stdout).toMatch(/^::error title=inferctl plan::the manifests have errors; nothing was sent/m);
    expect(run.summary).toContain('the manifests have 1 error');
    const mine = prComments().find((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'))!;
    expect(mine.body).toContain('`manifests/broken.yaml:7:');
    expect(
      prComments().filter((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->')),
    ).toHaveLength(1);
  });

  it('retries GitHub’s secondary rate limit and a 502', async () => {
    github.faults.push(
      {
        status: 403,
        headers: { 'retry-after': '0' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
      },
      { status: 502, body: { message: 'Server Error' } },
    );
    const before = github.calls.length;
    const run = await action('pull_request', { command: 'plan' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(': 403, retrying in 0 s');
    expect(run.stdout).toMatch(/: 502, retrying in \d+ s/);
    expect(run.stdout).toContain('Plan comment updated');
    expect(callsSince(before).slice(0, 3)).toEqual([
      'GET /repos/acme/search-config/issues/17/comments',
      'GET /repos/acme/search-config/issues/17/comments',
      'GET /repos/acme/search-config/issues/17/comments',
    ]);
  });

  it('warns, without failing, when the token may not comment (a fork’s pull request)', async () => {
    github.faults.push({ status: 403, body: { message: 'Resource not accessible by integration' } });
    const run = await action('pull_request', { command: 'plan' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^::warning title=inferctl::could not comment on the pull request: .*403 Resource not accessible by integration.*pull-requests: write/m,
    );
  });
});

describe('apply on merge', () => {
  let reviewed: string;

  it('refuses a plan other than the reviewed one, changing nothing', async () => {
    const plan = await action('pull_request', { command: 'plan', comment: 'false' });
    reviewed = plan.outputs['checksum']!;
    const before = github.calls.length;
    const run = await action('push', { command: 'apply', 'expected-checksum': 'sha256:' + '0'.repeat(64) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=inferctl apply::the plan is not the one reviewed: input expected-checksum has sha256:0{64}, the cluster and manifests now give sha256:/m,
    );
    expect(run.summary).toContain('the plan is not the one reviewed');
    expect(github.calls.length).toBe(before); // no comment on push
    expect([...emulator.state.endpoints.values()].filter((e) => !e.isDefault)).toEqual([]);
  });

  it('applies the reviewed plan and reports each change in the job summary', async () => {
    const run = await action('push', { command: 'apply', 'expected-checksum': reviewed });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['checksum']).toBe(reviewed);
    expect(JSON.parse(run.outputs['summary']!)).toMatchObject({ create: 2, succeeded: 2, failed: 0 });
    expect(run.summary).toContain('### inferctl apply — complete');
    expect(run.summary).toMatch(/\| ✅ \| `support-assistant` \| create \|/);
    expect(run.stdout).toContain('✅ summarizer');
    const again = await action('push', { command: 'apply' });
    expect(again.code).toBe(0);
    expect(again.outputs['has-changes']).toBe('false');
    expect(again.summary).toContain('Nothing to apply.');
  });
});

describe('the comment the README shows', () => {
  it('is rendered from a real run: an update in place and a create', async () => {
    writeManifests([
      endpoint('support-assistant', 'gpt-4o-mini', 'support'),
      endpoint('summarizer', 'gpt-4o', 'batch'),
      endpoint('translator', 'gpt-4o-mini', 'i18n'),
    ]);
    const run = await action('pull_request', { command: 'plan' });
    writeManifests([endpoint('support-assistant', 'gpt-4o-mini'), endpoint('summarizer', 'gpt-4o', 'batch')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const body = prComments().find((c) => c.body.startsWith('<!-- inferctl:plan cluster=default -->'))!.body;
    // Volatile values (the emulator's port, the checksum salted by its random cluster id) scrubbed.
    const shown = await format(
      body
        .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'https://es.example.com:9200')
        .replace(
          /sha256:[0-9a-f]{64}/g,
          'sha256:6f1e0c3b9d8a7f2e5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a3928170615',
        )
        .replace(/ · inferctl \d+\.\d+\.\d+\S*/, ' · inferctl'),
      { parser: 'markdown', ...(await resolveConfig(join(ROOT, 'README.md'))) },
    );
    writeFileSync(join(ROOT, 'test', 'action', 'fixtures', 'rendered-plan-comment.md'), shown);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const embedded =
      /<!-- rendered-plan-comment:start -->\n([\s\S]*?)<!-- rendered-plan-comment:end -->/.exec(readme)?.[1];
    expect(
      embedded,
      'copy test/action/fixtures/rendered-plan-comment.md into the README between its markers',
    ).toBe('\n' + shown + '\n');
  });
});

describe('drift on a schedule', () => {
  const es = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${ES_API_KEY}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const driftIssues = () => github.issues.filter((i) => i.labels.some((l) => l.name === 'inferctl-drift'));

  it('in sync: no issue', async () => {
    const run = await action('schedule', { command: 'drift' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['drifted']).toBe('false');
    expect(driftIssues()).toHaveLength(0);
    expect(run.summary).toContain('**No drift.**');
  });

  it('drift: opens one labelled issue (creating the label), then updates it; fail-on-drift fails the step', async () => {
    expect(
      (await es('PUT', '/_inference/completion/summarizer/_update', { task_settings: { user: 'by-hand' } }))
        .status,
    ).toBe(200);
    const run = await action('schedule', { command: 'drift', 'fail-on-drift': 'true' });
    expect(run.code).toBe(1);
    expect(run.outputs['drifted']).toBe('true');
    expect(JSON.parse(run.outputs['summary']!)).toEqual({ in_sync: 1, drifted: 1, missing: 0, unmanaged: 0 });
    expect(run.stdout).toMatch(/^::error title=inferctl drift::cluster default has drifted from git/m);
    expect(github.labels.map((l) => l.name)).toEqual(['inferctl-drift']);
    expect(driftIssues()).toHaveLength(1);
    const issue = driftIssues()[0]!;
    expect(issue.state).toBe('open');
    expect(issue.body.startsWith('<!-- inferctl:drift cluster=default -->')).toBe(true);
    expect(issue.body).toContain('`task_settings.user`: "by-hand" → "batch"');

    expect((await es('DELETE', '/_inference/completion/support-assistant')).status).toBe(200);
    const second = await action('schedule', { command: 'drift' });
    expect(second.code).toBe(0);
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.body).toContain('| `support-assistant` | MISSING |');
  });

  it('back in sync: the issue is closed with a comment; drift again reopens the same issue', async () => {
    const fix = await action('push', { command: 'apply' });
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    const run = await action('schedule', { command: 'drift' });
    expect(run.code).toBe(0);
    const issue = driftIssues()[0]!;
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    const closing = github.comments.filter((c) => c.issue === issue.number);
    expect(closing.at(-1)!.body).toContain('is in sync with git again');

    expect(
      (await es('PUT', '/_inference/completion/summarizer/_update', { task_settings: { user: 'again' } }))
        .status,
    ).toBe(200);
    const again = await action('schedule', { command: 'drift' });
    expect(again.code).toBe(0);
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.state).toBe('open');
    await action('push', { command: 'apply' });
  });
});

describe('secrets', () => {
  it('are masked first and never appear in any output, summary, file or GitHub body', () => {
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) {
      const lines = run.stdout.split('\n');
      const firstMask = lines.findIndex((l) => l.startsWith('::add-mask::'));
      expect(firstMask).toBe(0);
      const visible = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
      const files = [run.summary, JSON.stringify(run.outputs)];
      if (run.outputs['plan-json']) files.push(readFileSync(run.outputs['plan-json'], 'utf8'));
      for (const canary of [ES_API_KEY, GITHUB_TOKEN, OPENAI_KEY]) {
        expect(visible).not.toContain(canary);
        expect(run.stderr).not.toContain(canary);
        for (const f of files) expect(f).not.toContain(canary);
      }
    }
    const bodies = JSON.stringify([github.comments, github.issues, github.calls.map((c) => c.body)]);
    for (const canary of [ES_API_KEY, GITHUB_TOKEN, OPENAI_KEY]) expect(bodies).not.toContain(canary);
  });
});
