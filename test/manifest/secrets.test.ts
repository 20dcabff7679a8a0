import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDACTED, Secret } from '../../src/manifest/secrets.js';
import { check, header } from '../helpers/yaml.js';

const manifest = (apiKey: string) => `${header}metadata: { name: openai-small }
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: ${apiKey}
`;

describe('secret references', () => {
  it('reads an environment variable', () => {
    const { manifests, diagnostics } = check(manifest('{ secretRef: { env: OPENAI_API_KEY } }'), {
      env: { OPENAI_API_KEY: 'sk-1' },
    });
    expect(diagnostics).toEqual([]);
    const secret = manifests[0]!.spec.service_settings['api_key'] as Secret;
    expect(secret).toBeInstanceOf(Secret);
    expect(secret.reveal()).toBe('sk-1');
    expect(secret.source).toBe('env OPENAI_API_KEY');
  });

  it('names the manifest, line, field and variable when the variable is missing', () => {
    const { manifests, diagnostics } = check(manifest('{ secretRef: { env: OPENAI_API_KEY } }'));
    expect(manifests).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(`${d.file}:${d.line}:${d.column} ${d.code} ${d.path}`).toBe(
      'm.yaml:9:27 secret_env_missing spec.service_settings.api_key',
    );
    expect(d.message).toBe('environment variable OPENAI_API_KEY is not set');
    expect(d.hint).toContain('secrets.OPENAI_API_KEY');
  });

  it('rejects an empty variable', () => {
    const { diagnostics } = check(manifest('{ secretRef: { env: OPENAI_API_KEY } }'), {
      env: { OPENAI_API_KEY: '' },
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['secret_empty']);
  });

  it('reads a file relative to the manifest, without its trailing newline', () => {
    const { manifests, diagnostics } = check(manifest('{ secretRef: { file: keys/openai.txt } }'), {
      files: { '/tmp/manifests/keys/openai.txt': 'sk-from-file\n' },
    });
    expect(diagnostics).toEqual([]);
    expect((manifests[0]!.spec.service_settings['api_key'] as Secret).reveal()).toBe('sk-from-file');
  });

  it('names the file when it cannot be read', () => {
    const { diagnostics } = check(manifest('{ secretRef: { file: ../missing.key } }'));
    const d = diagnostics[0]!;
    expect(`${d.line}:${d.column} ${d.code}`).toBe('9:27 secret_file_missing');
    expect(d.message).toContain('../missing.key');
    expect(d.hint).toContain('/tmp/missing.key');
  });

  it('takes exactly one of env or file', () => {
    const { diagnostics } = check(manifest('{ secretRef: { env: A, file: b } }'), { env: { A: 'a' } });
    expect(diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      'rule spec.service_settings.api_key.secretRef a secretRef takes exactly one of env or file',
    ]);
  });

  it('resolves each value of a secret map (custom secret_parameters)', () => {
    const text = `${header}metadata: { name: my-custom }
spec:
  task_type: rerank
  service: custom
  service_settings:
    url: https://rerank.example.com/v1/rerank
    secret_parameters:
      api_key: { secretRef: { env: CUSTOM_KEY } }
    request: '{"query": \${query}, "documents": \${input}}'
    response:
      json_parser:
        reranked_index: $.results[*].index
        relevance_score: $.results[*].score
`;
    const { manifests, diagnostics } = check(text, { env: { CUSTOM_KEY: 'ck' } });
    expect(diagnostics).toEqual([]);
    const params = manifests[0]!.spec.service_settings['secret_parameters'] as Record<string, Secret>;
    expect(params['api_key']!.reveal()).toBe('ck');
  });
});

describe('Secret', () => {
  const secret = new Secret('sk-canary-123', 'env X');

  it('never prints its value', () => {
    expect(String(secret)).toBe(REDACTED);
    expect(`${secret}`).toBe(REDACTED);
    expect(JSON.stringify({ api_key: secret })).toBe('{"api_key":"(secret)"}');
    expect(inspect({ api_key: secret }, { depth: 5 })).not.toContain('canary');
    expect(inspect(secret, { showHidden: true })).not.toContain('canary');
  });

  it('fingerprints with a salt', () => {
    const other = new Secret('sk-canary-124', 'env X');
    expect(secret.fingerprint('s')).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.fingerprint('s')).toBe(new Secret('sk-canary-123', 'file f').fingerprint('s'));
    expect(secret.fingerprint('s')).not.toBe(other.fingerprint('s'));
    expect(secret.fingerprint('s')).not.toBe(secret.fingerprint('t'));
  });
});
