// Every kind of validation error, with the exact line and column it is reported at.
import { describe, expect, it } from 'vitest';
import { check, header, where } from '../helpers/yaml.js';

const env = { OPENAI_API_KEY: 'sk-test' };

const openai = (settings: string, extra = '') => `${header}metadata:
  name: openai-small
spec:
  task_type: text_embedding
  service: openai
  service_settings:
${settings}
${extra}`;

const validSettings = `    model_id: text-embedding-3-small
    api_key: { secretRef: { env: OPENAI_API_KEY } }`;

describe('positions of validation errors', () => {
  it('accepts the manifest of the issue', () => {
    const text = `# yaml-language-server: $schema=../schemas/inferctl.schema.json
${header}metadata:
  name: openai-small
  labels: { team: search }
  protect: false
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: { secretRef: { env: OPENAI_API_KEY } }
  task_settings: { user: search-team }
  chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`;
    const result = check(text, { env });
    expect(result.diagnostics).toEqual([]);
    expect(result.manifests).toHaveLength(1);
    expect(result.manifests[0]!.id).toBe('openai-small');
    expect(result.manifests[0]!.source).toEqual({ file: 'm.yaml', document: 0, line: 5, column: 9 });
  });

  it('malformed YAML: at the offending token', () => {
    expect(where('a: [1, 2\nb: 3\n')).toEqual(['1:4 yaml_syntax ']);
    expect(check('a: [1, 2\nb: 3\n').diagnostics[0]!.message).toMatch(/^this \[ is never closed/);
  });

  it('duplicate keys: at the second key, naming the first', () => {
    expect(where(`${header}kind: InferenceEndpoint\n`)).toEqual(['3:1 yaml_duplicate_key ']);
    expect(check(`${header}kind: InferenceEndpoint\n`).diagnostics[0]!.message).toBe(
      'duplicate key "kind" (first at line 2, column 1)',
    );
  });

  it('an unclosed flow collection: at the bracket, once, even with documents after it', () => {
    const text = `a: 1\nb: { c: 1\n---\na: 1\n---\nb: 2\n`;
    expect(where(text).filter((w) => w.includes('yaml_syntax'))).toEqual(['2:4 yaml_syntax ']);
  });

  it('a document that is not a mapping', () => {
    expect(where('- a\n- b\n')).toEqual(['1:1 yaml_not_a_map ']);
  });

  it('unknown apiVersion and kind: at their values', () => {
    expect(
      where('apiVersion: inferctl/v2\nkind: InferenceEndpont\nmetadata: { name: x }\nspec: {}\n'),
    ).toEqual(['1:13 unknown_api_version apiVersion', '2:7 unknown_kind kind']);
    const [, kind] = check(
      'apiVersion: inferctl/v2\nkind: InferenceEndpont\nmetadata: { name: x }\nspec: {}\n',
    ).diagnostics;
    expect(kind!.hint).toBe('did you mean "InferenceEndpoint"?');
  });

  it('invalid and reserved ids: at the name', () => {
    const text = (name: string) => openai(validSettings).replace('name: openai-small', `name: ${name}`);
    expect(where(text('Bad_Id'), { env })).toEqual(['4:9 invalid_id metadata.name']);
    expect(where(text('.elser-2-elasticsearch'), { env })).toEqual(['4:9 reserved_id metadata.name']);
    expect(where(text('_all'), { env })).toEqual(['4:9 invalid_id metadata.name']);
    expect(where(text('ends-with-dash-'), { env })).toEqual(['4:9 invalid_id metadata.name']);
    const reserved = check(text('.elser-2-elasticsearch'), { env }).diagnostics[0]!;
    expect(reserved.message).toMatch(/preconfigured endpoints and can never be managed/);
  });

  it('unknown service: at the value, with a suggestion', () => {
    const d = check(openai(validSettings).replace('service: openai', 'service: opneai'), { env }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code}`)).toEqual(['7:12 unknown_service']);
    expect(d[0]!.hint).toBe('did you mean "openai"?');
  });

  it('a task type the service does not support: at the task type', () => {
    const d = check(openai(validSettings).replace('task_type: text_embedding', 'task_type: rerank'), {
      env,
    }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.path}`)).toEqual([
      '6:14 unsupported_task_type spec.task_type',
    ]);
    expect(d[0]!.message).toContain('text_embedding, completion, chat_completion, embedding');
  });

  it('a misspelt task type: with a suggestion', () => {
    const d = check(openai(validSettings).replace('task_type: text_embedding', 'task_type: text_embeding'), {
      env,
    });
    expect(d.diagnostics[0]!.hint).toBe('did you mean "text_embedding"?');
  });

  it('unknown fields: at the key, with a suggestion or the task types it belongs to', () => {
    const d = check(openai(`${validSettings}\n    modle: gpt`, '  task_settings: { user: me, top_n: 3 }\n'), {
      env,
    });
    expect(d.diagnostics.map((x) => `${x.line}:${x.column} ${x.code} ${x.path} ${x.hint ?? ''}`)).toEqual([
      '11:5 unknown_field spec.service_settings.modle did you mean "model_id"?',
      '12:30 unknown_field spec.task_settings.top_n known fields: user, headers',
    ]);
  });

  it('a field that belongs to another task type says so', () => {
    const text = `${header}metadata: { name: rr }
spec:
  task_type: rerank
  service: cohere
  service_settings: { model_id: rerank-v3.5, api_key: { secretRef: { env: K } } }
  task_settings: { input_type: search }
`;
    const [d] = check(text, { env: { K: 'k' } }).diagnostics;
    expect(`${d!.line}:${d!.column} ${d!.code} ${d!.hint}`).toBe(
      '8:20 unknown_field input_type applies only to task type text_embedding',
    );
  });

  it('a field newer than the target version says which version it needs', () => {
    const text = openai(validSettings, '  task_settings: { headers: { X-Team: search } }\n');
    expect(where(text, { env, version: '9.2' })).toEqual([]);
    const [d] = check(text, { env, version: '8.18' }).diagnostics;
    expect(`${d!.line}:${d!.column} ${d!.code} ${d!.hint}`).toBe(
      '11:20 unknown_field headers needs Elasticsearch 9.2 or later; validating for 8.18',
    );
  });

  it('missing required fields: at the object that lacks them', () => {
    expect(where(openai('    api_key: { secretRef: { env: OPENAI_API_KEY } }'), { env })).toEqual([
      '8:3 missing_field spec.service_settings.model_id',
    ]);
    expect(where(`${header}metadata: { name: x }\n`)).toEqual(['1:1 missing_field spec']);
  });

  it('wrong types: at the value', () => {
    const d = check(openai(`${validSettings}\n    dimensions: "512"`), { env }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.message}`)).toEqual([
      '11:17 invalid_type expected an integer, got the string "512"',
    ]);
  });

  it('enum values: at the value, listing what is allowed', () => {
    const d = check(openai(`${validSettings}\n    similarity: cosin`), { env }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.hint}`)).toEqual([
      '11:17 invalid_value did you mean "cosine"?',
    ]);
  });

  it('literal secrets: at the value, never quoting it', () => {
    const d = check(openai('    model_id: text-embedding-3-small\n    api_key: sk-live-abcdef'), {
      env,
    }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.path}`)).toEqual([
      '10:14 literal_secret spec.service_settings.api_key',
    ]);
    expect(d[0]!.hint).toContain('secretRef');
    expect(JSON.stringify(d)).not.toContain('sk-live-abcdef');
  });

  it('secrets of the wrong type are not quoted either', () => {
    const d = check(openai('    model_id: text-embedding-3-small\n    api_key: 1234567890123'), {
      env,
    }).diagnostics;
    expect(d).toHaveLength(1);
    expect(JSON.stringify(d)).not.toContain('1234567890123');
  });

  it('--allow-literal-secrets accepts them', () => {
    const result = check(openai('    model_id: text-embedding-3-small\n    api_key: sk-live-abcdef'), {
      allowLiteralSecrets: true,
    });
    expect(result.diagnostics).toEqual([]);
    expect(String(result.manifests[0]!.spec.service_settings['api_key'])).toBe('(secret)');
  });

  it('cross-field rules: at the object they concern', () => {
    const text = `${header}metadata: { name: azure }
spec:
  task_type: text_embedding
  service: azureopenai
  service_settings:
    api_key: { secretRef: { env: K } }
    entra_id: { secretRef: { env: K } }
    resource_name: r
    deployment_id: d
    api_version: "2024-02-01"
`;
    const d = check(text, { env: { K: 'k' } }).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.path}`)).toEqual([
      '7:3 rule spec.service_settings',
    ]);
    expect(d[0]!.message).toMatch(/exactly one of api_key, entra_id/);
  });

  it('allocations: num_threads a power of two, one of num_allocations / adaptive, min ≤ max', () => {
    const text = (settings: string) => `${header}metadata: { name: my-elser }
spec:
  task_type: sparse_embedding
  service: elasticsearch
  service_settings:
    model_id: .elser_model_2
${settings}
`;
    expect(where(text('    num_threads: 3\n    num_allocations: 1'))).toEqual([
      '9:18 invalid_value spec.service_settings.num_threads',
    ]);
    expect(where(text('    num_threads: 1'))).toEqual(['7:3 rule spec.service_settings']);
    const both = check(
      text('    num_threads: 1\n    num_allocations: 2\n    adaptive_allocations: { enabled: true }'),
    );
    expect(both.diagnostics.map((x) => `${x.line}:${x.column} ${x.code} ${x.path} ${x.message}`)).toEqual([
      '10:5 rule spec.service_settings.num_allocations num_allocations cannot be set while adaptive_allocations.enabled is true',
    ]);
    expect(
      where(
        text(
          '    num_threads: 1\n    adaptive_allocations: { enabled: true, min_number_of_allocations: 4, max_number_of_allocations: 2 }',
        ),
      ),
    ).toEqual(['10:71 rule spec.service_settings.adaptive_allocations.min_number_of_allocations']);
    // deployment_id stands in for model_id, num_threads and allocations
    expect(
      where(text('    deployment_id: my-deployment').replace('    model_id: .elser_model_2\n', '')),
    ).toEqual([]);
  });

  it('chunking: only on embedding task types, per strategy, with bounds', () => {
    const rerank = `${header}metadata: { name: rr }
spec:
  task_type: rerank
  service: cohere
  service_settings: { model_id: rerank-v3.5, api_key: { secretRef: { env: K } } }
  chunking_settings: { strategy: sentence, max_chunk_size: 250 }
`;
    expect(where(rerank, { env: { K: 'k' } })).toEqual(['8:3 unknown_field spec.chunking_settings']);
    const embed = (chunking: string) => openai(validSettings, `  chunking_settings: ${chunking}\n`);
    expect(where(embed('{ strategy: word, max_chunk_size: 100, overlap: 60 }'), { env })).toEqual([
      '11:70 rule spec.chunking_settings.overlap',
    ]);
    expect(where(embed('{ strategy: word, max_chunk_size: 100 }'), { env })).toEqual([
      '11:3 missing_field spec.chunking_settings.overlap',
    ]);
    expect(where(embed('{ strategy: sentence, max_chunk_size: 250, overlap: 1 }'), { env })).toEqual([
      '11:65 unknown_field spec.chunking_settings.overlap',
    ]);
    expect(where(embed('{ strategy: sentence, max_chunk_size: 10 }'), { env })).toEqual([
      '11:60 invalid_value spec.chunking_settings.max_chunk_size',
    ]);
    expect(where(embed('{ strategy: sentence, max_chunk_size: 1000 }'), { env })).toEqual([]);
    expect(where(embed('{ strategy: sentence, max_chunk_size: 1000 }'), { env, version: '9.1' })).toEqual([
      '11:60 invalid_value spec.chunking_settings.max_chunk_size',
    ]);
    expect(
      where(embed('{ strategy: recursive, max_chunk_size: 200, separator_group: markdown }'), {
        env,
        version: '9.1',
      }),
    ).toEqual([]);
    expect(where(embed('{ strategy: recursive, max_chunk_size: 200 }'), { env, version: '8.18' })).toEqual([
      '11:34 invalid_value spec.chunking_settings.strategy',
    ]);
  });

  it('several documents: each error in its own document', () => {
    const text = `${openai(validSettings)}---\n${openai(validSettings).replace('openai-small', 'two').replace('model_id: text-embedding-3-small', 'model_id: 3')}`;
    expect(where(text, { env })).toEqual(['20:15 invalid_type spec.service_settings.model_id']);
  });

  it('reports every problem of a document in one run', () => {
    const text = `${header}metadata: { name: Bad }
spec:
  task_type: text_embedding
  service: openai
  service_settings: { model_id: 1, api_key: sk-x, extra: 1 }
  chunking_settings: { strategy: word, max_chunk_size: 100, overlap: 70 }
`;
    expect(where(text).length).toBeGreaterThanOrEqual(5);
  });
});

describe('in-cluster endpoint ids', () => {
  it('must differ from the model_id', () => {
    const text = `${header}metadata: { name: my-e5 }
spec:
  task_type: text_embedding
  service: elasticsearch
  service_settings: { model_id: my-e5, num_threads: 1, num_allocations: 1 }
`;
    const d = check(text).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.code} ${x.path}`)).toEqual(['3:19 rule metadata.name']);
  });
});
