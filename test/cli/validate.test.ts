import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { diagnosticsSchema } from '../../src/schema/files.js';
import { inferctl } from '../helpers/cli.js';

const Ajv2020 = Ajv2020Module.default;

function tempManifest(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-validate-'));
  const file = join(dir, 'endpoints.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

const valid = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: openai-small }
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: { secretRef: { env: OPENAI_API_KEY } }
`;

describe('inferctl validate', () => {
  it('exits 0 and says so for valid manifests', () => {
    const { dir } = tempManifest(valid);
    const result = inferctl(['validate', '.'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-canary-validate' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('✓ 1 manifest in 1 file valid\n');
    expect(result.code).toBe(0);
  });

  it('exits 1 with file:line:col: path: message lines for invalid ones', () => {
    const { dir } = tempManifest(valid.replace('service: openai', 'service: opneai'));
    const result = inferctl(['validate', 'endpoints.yaml'], { cwd: dir, env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'endpoints.yaml:6:12: error: spec.service: unknown service "opneai" [unknown_service]\n' +
        '    hint: did you mean "openai"?\n' +
        '✗ 1 error in 1 file\n',
    );
  });

  it('gives JSON that follows schemas/diagnostics.schema.json', () => {
    const { dir } = tempManifest(valid.replace('model_id: text-embedding-3-small', 'model_id: 3'));
    const result = inferctl(['validate', '--format', 'json', dir], { env: {} });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    const validate = new Ajv2020({ strict: false }).compile(diagnosticsSchema() as object);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.valid).toBe(false);
    expect(json.diagnostics.map((d: { code: string; line: number }) => `${d.code}@${d.line}`)).toEqual([
      'invalid_type@8',
      'secret_env_missing@9',
    ]);
  });

  it('never prints a literal secret it rejects', () => {
    const { dir } = tempManifest(
      valid.replace('{ secretRef: { env: OPENAI_API_KEY } }', 'sk-canary-literal-42'),
    );
    for (const format of ['text', 'json']) {
      const result = inferctl(['validate', '--format', format, dir], { env: {} });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toContain('sk-canary-literal-42');
    }
  });

  it('--skip-secrets checks shapes without reading variables', () => {
    const { dir } = tempManifest(valid);
    expect(inferctl(['validate', '--skip-secrets', dir], { env: {} }).code).toBe(0);
  });

  it('--es-version validates for a given version', () => {
    const { dir } = tempManifest(valid.replace('task_type: text_embedding', 'task_type: embedding'));
    expect(inferctl(['validate', '--es-version', '9.4', dir], { env: { OPENAI_API_KEY: 'k' } }).code).toBe(0);
    const old = inferctl(['validate', '--es-version', '9.1', dir], { env: { OPENAI_API_KEY: 'k' } });
    expect(old.code).toBe(1);
    expect(old.stdout).toContain(
      'task type embedding of the openai service needs Elasticsearch 9.4 or later; validating for 9.1 [not_on_version]',
    );
  });

  it('--es-version outside the modelled releases: too old is a usage error, newer is validated as the newest', () => {
    const { dir } = tempManifest(valid);
    const old = inferctl(['validate', '--es-version', '7.17', dir], { env: { OPENAI_API_KEY: 'k' } });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('--es-version 7.17: inferctl models Elasticsearch 8.12 – 9.5');
    expect(old.stderr).not.toContain('internal error');
    const future = inferctl(['validate', '--es-version', '10.0', dir], { env: { OPENAI_API_KEY: 'k' } });
    expect(future.code).toBe(0);
    expect(future.stderr).toContain(
      'warning: Elasticsearch 10.0 is newer than the newest release inferctl models (9.5); validating as 9.5',
    );
  });

  it('a task type a release does not have names the release that added it', () => {
    const { dir } = tempManifest(
      valid
        .replace('text_embedding', 'chat_completion')
        .replace('service: openai', 'service: anthropic')
        .replace('text-embedding-3-small', 'claude-sonnet-4'),
    );
    const old = inferctl(['validate', '--es-version', '9.1', dir], { env: { OPENAI_API_KEY: 'k' } });
    expect(old.stdout).toContain(
      'task type chat_completion of the anthropic service needs Elasticsearch 9.5 or later; validating for 9.1',
    );
  });

  it('reports a path that does not exist', () => {
    const result = inferctl(['validate', 'no/such/dir'], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no/such/dir:1:1: error: cannot read: ENOENT');
  });

  it('rejects bad flags with a hint', () => {
    const result = inferctl(['validate', '--format', 'xml'], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--format must be text or json');
    expect(inferctl(['validate', '--bogus'], { env: {} }).stderr).toContain("Unknown option '--bogus'");
  });

  it('has --help', () => {
    const result = inferctl(['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: inferctl validate \[PATH\.\.\.\]/);
  });
});

describe('inferctl', () => {
  it('lists its commands', () => {
    const result = inferctl(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('validate');
  });

  it('rejects an unknown command', () => {
    const result = inferctl(['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
