// The CLI contract, spawned as a user runs it: project files, reviewed plans, confirmation, blocked
// replacements, readiness, help, logs, and errors that name what to do.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { COMMANDS } from '../../src/cli/main.js';
import { inferctlAsync } from '../helpers/cli.js';

const endpoint = (id: string, model = 'text-embedding-3-small', user = 'search') => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: text_embedding
  service: openai
  service_settings: { model_id: ${model}, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;
const KEY = 'sk-canary-e2e-0123456789';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0, apiKey: 'Y2x1c3RlcjprZXk=' });
  dir = mkdtempSync(join(tmpdir(), 'inferctl-cli-'));
});
afterAll(async () => emulator.close());

const write = (name: string, text: string) => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const auth = () => [
  '--url',
  emulator.url,
  '--api-key',
  'Y2x1c3RlcjprZXk=',
  '--state-file',
  join(dir, 'state.json'),
];
const env = { OPENAI_API_KEY: KEY };

describe('inferctl.yaml and --cluster', () => {
  it('takes the URL, credentials and manifest paths of the named cluster', async () => {
    write('project/manifests/common/a.yaml', endpoint('from-project'));
    write(
      'project/inferctl.yaml',
      `apiVersion: inferctl/v1
kind: Project
clusters:
  staging:
    url: ${emulator.url}
    apiKey: { secretRef: { env: STAGING_ES_API_KEY } }
    paths: [manifests/common]
    stateFile: .state/staging.json
`,
    );
    const result = await inferctlAsync(['plan', '--cluster', 'staging'], {
      cwd: join(dir, 'project'),
      env: { ...env, STAGING_ES_API_KEY: 'Y2x1c3RlcjprZXk=' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('+ from-project (openai, text_embedding) will be created');
    expect(result.code).toBe(0);
  });

  it('names the clusters there are when the name is wrong', async () => {
    const result = await inferctlAsync(['plan', '--cluster', 'stagign'], { cwd: join(dir, 'project'), env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no cluster "stagign"');
    expect(result.stderr).toContain('did you mean "staging"?');
  });
});

describe('apply', () => {
  it('refuses to run without a terminal unless --yes', async () => {
    const manifests = write('noyes/a.yaml', endpoint('no-yes'));
    const result = await inferctlAsync(['apply', manifests, ...auth()], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('apply needs confirmation and there is no terminal to ask');
    expect(result.stderr).toContain('pass --yes');
  });

  it('--plan FILE applies only the reviewed plan', async () => {
    const manifests = write('reviewed/a.yaml', endpoint('reviewed'));
    const planFile = join(dir, 'reviewed.plan.json');
    const planned = await inferctlAsync(['plan', manifests, '--out', planFile, ...auth()], { env });
    expect(planned.code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, 'utf8')).summary.create).toBe(1);
    // the manifests move after review
    write('reviewed/a.yaml', endpoint('reviewed', 'text-embedding-3-large'));
    const refused = await inferctlAsync(['apply', manifests, '--plan', planFile, '--yes', ...auth()], {
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the plan is not the one reviewed');
    // back as reviewed: accepted
    write('reviewed/a.yaml', endpoint('reviewed'));
    const applied = await inferctlAsync(['apply', manifests, '--plan', planFile, '--yes', ...auth()], {
      env,
    });
    expect(applied.code).toBe(0);
  });

  it('will not replace an endpoint that an index uses, and names it', async () => {
    const manifests = write('referenced/a.yaml', endpoint('in-use'));
    expect((await inferctlAsync(['apply', manifests, '--yes', ...auth()], { env })).code).toBe(0);
    const index = await fetch(`${emulator.url}/docs`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'ApiKey Y2x1c3RlcjprZXk=' },
      body: JSON.stringify({
        mappings: { properties: { body: { type: 'semantic_text', inference_id: 'in-use' } } },
      }),
    });
    expect(index.status).toBe(200);
    write('referenced/a.yaml', endpoint('in-use', 'text-embedding-3-large'));
    const plan = await inferctlAsync(['plan', manifests, ...auth()], { env });
    expect(plan.stdout).toContain('BLOCKED: in-use is used by indices docs; replacing it deletes it first');
    const apply = await inferctlAsync(['apply', manifests, '--yes', ...auth()], { env });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the plan has 1 blocked change (in-use); nothing was changed');
    const still = await fetch(`${emulator.url}/_inference/in-use`, {
      headers: { authorization: 'ApiKey Y2x1c3RlcjprZXk=' },
    });
    expect(
      ((await still.json()) as { endpoints: { service_settings: { model_id: string } }[] }).endpoints[0]!
        .service_settings.model_id,
    ).toBe('text-embedding-3-small');
  });

  it('never writes a secret to stdout, stderr or the logs, even at debug level', async () => {
    const manifests = write('secrets/a.yaml', endpoint('secretive'));
    const result = await inferctlAsync(
      ['apply', manifests, '--yes', '--log-level', 'trace', '--log-format', 'json', ...auth()],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"msg":"request"');
    // trace carries the bodies, with every secret value redacted
    expect(result.stderr).toContain('"msg":"bodies"');
    expect(result.stderr).toMatch(/"requestBody":"\{\\"service\\":\\"openai\\"/);
    // (the credential here decodes to "cluster:key", so even the word key is redacted in the bodies)
    expect(result.stderr).toMatch(/"requestBody":"[^\n]*service_settings[^\n]*\(secret\)/);
    for (const text of [result.stdout, result.stderr, readFileSync(join(dir, 'state.json'), 'utf8')]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('Y2x1c3RlcjprZXk=');
    }
  });
});

describe('in-cluster endpoints', () => {
  it('a create that times out waiting for its model (408) is not re-sent; apply waits for the deployment', async () => {
    // Elasticsearch stores the endpoint, then answers 408 while the model is still starting (step 12).
    const slow = await startEmulator({
      esVersion: '9.1.0',
      port: 0,
      deploymentStartDelayMs: 1500,
      deploymentWaitMs: 200,
    });
    try {
      const manifests = write(
        'e5/a.yaml',
        `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: my-e5 }
spec:
  task_type: text_embedding
  service: elasticsearch
  service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: 1 }
`,
      );
      const target = ['--url', slow.url, '--state-file', join(dir, 'e5-state.json')];
      const result = await inferctlAsync(['apply', manifests, '--yes', ...target]);
      expect(result.stdout).toMatch(/my-e5: waiting for the deployment \(/);
      expect(result.stdout).toContain('✓ my-e5: created and verified [PUT]');
      expect(result.code).toBe(0);
    } finally {
      await slow.close();
    }
  });
});

describe('help and errors', () => {
  it.each(COMMANDS.map((c) => c.name))('inferctl %s --help', async (name) => {
    const result = await inferctlAsync([name, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: inferctl ${name}`));
  });

  it('says in one line when the cluster cannot be reached', async () => {
    const manifests = write('unreachable/a.yaml', endpoint('x'));
    const result = await inferctlAsync(['plan', manifests, '--url', 'http://127.0.0.1:1'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/^inferctl plan: .*127\.0\.0\.1:1/);
  });

  it('says which credentials are wrong', async () => {
    const manifests = write('badauth/a.yaml', endpoint('x'));
    const result = await inferctlAsync(
      ['plan', manifests, '--url', emulator.url, '--api-key', 'd3Jvbmc6a2V5'],
      { env },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/401|authenticat/i);
    expect(result.stderr).not.toContain('d3Jvbmc6a2V5');
  });

  it('asks for a URL when there is none', async () => {
    const result = await inferctlAsync(['plan', '.'], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ELASTICSEARCH_URL');
  });
});
