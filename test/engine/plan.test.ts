// Scenario tests of the pure planner: desired + live + version → plan. One behaviour per test; the live
// endpoints are written as Elasticsearch returns them.
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { plan, type PlanOptions, type References } from '../../src/engine/plan.js';
import type { Change } from '../../src/engine/types.js';
import type { LiveEndpoint } from '../../src/backends/elasticsearch/api.js';
import type { EndpointManifest } from '../../src/manifest/load.js';
import { live, manifest } from '../helpers/engine.js';

const url = 'http://localhost:9200';
const run = (
  desired: EndpointManifest[],
  current: LiveEndpoint[],
  version = '9.1.0',
  options: PlanOptions = {},
) => plan({ desired, live: current, capabilities: capabilitiesFor(version), target: { url }, options });
const only = (p: ReturnType<typeof run>): Change => {
  expect(p.changes).toHaveLength(1);
  return p.changes[0]!;
};
const paths = (c: Change) => c.diff.map((d) => `${d.op} ${d.path} ${d.mode}`);

const openaiSpec = `
task_type: text_embedding
service: openai
service_settings:
  model_id: text-embedding-3-small
  api_key: { secretRef: { env: OPENAI_API_KEY } }
task_settings: { user: search }
`;
// What 9.1 returns for it: defaults filled in, secret gone.
const openaiLive = `
inference_id: openai-small
task_type: text_embedding
service: openai
service_settings:
  model_id: text-embedding-3-small
  similarity: dot_product
  dimensions: 1536
  rate_limit: { requests_per_minute: 3000 }
task_settings: { user: search }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`;

describe('create', () => {
  it('plans a create for a declared endpoint that does not exist, secrets shown as (secret)', () => {
    const c = only(run([manifest('openai-small', openaiSpec)], []));
    expect(c.action).toBe('create');
    expect(c.diff).toContainEqual({
      op: 'add',
      path: '/service_settings/api_key',
      after: '(secret)',
      mode: 'in-place',
      secret: true,
    });
    expect(JSON.stringify(c)).not.toContain('sk-openai-canary');
  });
});

describe('defaults filled in by the server are not diffs', () => {
  it('similarity, dimensions, rate_limit and default chunking', () => {
    const p = run([manifest('openai-small', openaiSpec)], [live(openaiLive)]);
    expect(p.changes).toEqual([]);
    expect(p.unchanged).toEqual(['openai-small']);
  });

  it('endpoints created before 8.16 read back with the legacy word chunking', () => {
    const old = live(
      openaiLive.replace(
        'strategy: sentence, max_chunk_size: 250, sentence_overlap: 1',
        'strategy: word, max_chunk_size: 250, overlap: 100',
      ),
    );
    expect(run([manifest('openai-small', openaiSpec)], [old]).changes).toEqual([]);
  });

  it('a declared default the server does not echo', () => {
    const spec = openaiSpec.replace('model_id:', 'rate_limit: { requests_per_minute: 3000 }\n  model_id:');
    const noRate = live(openaiLive.replace('  rate_limit: { requests_per_minute: 3000 }\n', ''));
    expect(run([manifest('openai-small', spec)], [noRate]).changes).toEqual([]);
  });

  it('embedding_type is compared as the element type the server stores (int8 → byte)', () => {
    const spec = `
task_type: text_embedding
service: cohere
service_settings:
  model_id: embed-english-v3.0
  api_key: { secretRef: { env: COHERE_API_KEY } }
  embedding_type: int8
`;
    const current = live(`
inference_id: co
task_type: text_embedding
service: cohere
service_settings: { model_id: embed-english-v3.0, embedding_type: byte, similarity: cosine, dimensions: 1024, rate_limit: { requests_per_minute: 10000 } }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    expect(run([manifest('co', spec)], [current]).changes).toEqual([]);
  });

  it('elser is stored as elasticsearch with the platform model_id from 8.16', () => {
    const spec = `
task_type: sparse_embedding
service: elser
service_settings: { num_threads: 1, num_allocations: 1 }
`;
    const v91 = live(`
inference_id: my-elser
task_type: sparse_embedding
service: elasticsearch
service_settings: { num_allocations: 1, num_threads: 1, model_id: .elser_model_2_linux-x86_64 }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    const p = run([manifest('my-elser', spec)], [v91]);
    expect(p.changes).toEqual([]);
    const v815 = live(`
inference_id: my-elser
task_type: sparse_embedding
service: elser
service_settings: { num_allocations: 1, num_threads: 1 }
task_settings: {}
`);
    expect(run([manifest('my-elser', spec)], [v815], '8.15.5').changes).toEqual([]);
  });

  it('the live num_allocations under adaptive allocations', () => {
    const spec = `
task_type: sparse_embedding
service: elasticsearch
service_settings:
  model_id: .elser_model_2_linux-x86_64
  num_threads: 1
  adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 4 }
`;
    const current = live(`
inference_id: my-elser
task_type: sparse_embedding
service: elasticsearch
service_settings:
  num_allocations: 3
  num_threads: 1
  model_id: .elser_model_2_linux-x86_64
  adaptive_allocations: { enabled: true, min_number_of_allocations: 0, max_number_of_allocations: 4 }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    expect(run([manifest('my-elser', spec)], [current]).changes).toEqual([]);
  });

  it('the rerank default task setting of in-cluster rerank endpoints', () => {
    const spec = `
task_type: rerank
service: elasticsearch
service_settings: { model_id: .rerank-v1, num_threads: 1, num_allocations: 1 }
`;
    const current = live(`
inference_id: rr
task_type: rerank
service: elasticsearch
service_settings: { num_allocations: 1, num_threads: 1, model_id: .rerank-v1 }
task_settings: { return_documents: true }
`);
    expect(run([manifest('rr', spec)], [current]).changes).toEqual([]);
  });
});

describe('update or replace, by version', () => {
  it('task_settings: _update from 8.17, replace before', () => {
    const changed = manifest('openai-small', openaiSpec.replace('user: search', 'user: ranking'));
    const c = only(run([changed], [live(openaiLive)], '8.17.10'));
    expect(c.action).toBe('update');
    expect(paths(c)).toEqual(['replace /task_settings/user in-place']);
    const old = only(run([changed], [live(openaiLive)], '8.16.6'));
    expect(old.action).toBe('replace');
    expect(old.reasons.map((r) => r.code)).toEqual(['no_update_api']);
  });

  it('model_id: always a replace, saying why', () => {
    const c = only(
      run(
        [manifest('openai-small', openaiSpec.replace('text-embedding-3-small', 'text-embedding-3-large'))],
        [live(openaiLive)],
        '9.5.0',
      ),
    );
    expect(c.action).toBe('replace');
    expect(c.diff).toEqual([
      {
        op: 'replace',
        path: '/service_settings/model_id',
        before: 'text-embedding-3-small',
        after: 'text-embedding-3-large',
        mode: 'replace',
        why: 'model_id cannot be changed after creation',
      },
    ]);
  });

  it('rate_limit: in place only where the version updates it, else a replace that says from when', () => {
    const changed = manifest(
      'openai-small',
      openaiSpec.replace('model_id:', 'rate_limit: { requests_per_minute: 100 }\n  model_id:'),
    );
    const before = only(run([changed], [live(openaiLive)], '9.1.0'));
    expect(before.action).toBe('replace');
    expect(before.diff[0]!.why).toMatch(
      /can be changed in place from Elasticsearch 9\.\d \(this cluster: 9\.1\.0; earlier versions ignore it\)/,
    );
    expect(only(run([changed], [live(openaiLive)], '9.5.0')).action).toBe('update');
  });

  it('a task setting removed from the manifest cannot be removed by _update: replace', () => {
    const c = only(
      run(
        [manifest('openai-small', openaiSpec.replace('task_settings: { user: search }', ''))],
        [live(openaiLive)],
        '9.5.0',
      ),
    );
    expect(c.action).toBe('replace');
    expect(c.reasons[0]!.code).toBe('update_cannot_remove');
    expect(paths(c)).toEqual(['remove /task_settings/user replace']);
  });

  it('a setting removed from the manifest goes back to its default, in place when it can', () => {
    const withRate = live(openaiLive.replace('requests_per_minute: 3000', 'requests_per_minute: 100'));
    const c = only(run([manifest('openai-small', openaiSpec)], [withRate], '9.5.0'));
    expect(c.action).toBe('update');
    expect(c.diff).toEqual([
      expect.objectContaining({
        op: 'replace',
        path: '/service_settings/rate_limit/requests_per_minute',
        before: 100,
        after: 3000,
        mode: 'in-place',
      }),
    ]);
  });

  it('chunking_settings: replace before 9.5, _update from 9.5', () => {
    const changed = manifest(
      'openai-small',
      `${openaiSpec}\nchunking_settings: { strategy: word, max_chunk_size: 200, overlap: 50 }`,
    );
    expect(only(run([changed], [live(openaiLive)], '9.4.0')).action).toBe('replace');
    expect(only(run([changed], [live(openaiLive)], '9.5.0')).action).toBe('update');
  });

  it('service or task type: replace', () => {
    const other = live(openaiLive.replace('service: openai', 'service: cohere'));
    expect(only(run([manifest('openai-small', openaiSpec)], [other])).reasons.map((r) => r.code)).toContain(
      'service_changed',
    );
  });

  describe('allocations of in-cluster endpoints', () => {
    const fixed = (n: number) => `
task_type: text_embedding
service: elasticsearch
service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: ${n} }
`;
    const adaptive = `
task_type: text_embedding
service: elasticsearch
service_settings:
  model_id: .multilingual-e5-small_linux-x86_64
  num_threads: 1
  adaptive_allocations: { enabled: true, max_number_of_allocations: 8 }
`;
    const liveFixed = live(`
inference_id: e5
task_type: text_embedding
service: elasticsearch
service_settings: { num_allocations: 1, num_threads: 1, model_id: .multilingual-e5-small_linux-x86_64 }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);
    const liveAdaptive = live(`
inference_id: e5
task_type: text_embedding
service: elasticsearch
service_settings:
  num_allocations: 1
  num_threads: 1
  model_id: .multilingual-e5-small_linux-x86_64
  adaptive_allocations: { enabled: true, max_number_of_allocations: 4 }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);

    it('num_allocations: in place from 8.17', () => {
      expect(only(run([manifest('e5', fixed(2))], [liveFixed], '8.17.10')).action).toBe('update');
      expect(only(run([manifest('e5', fixed(2))], [liveFixed], '8.16.6')).action).toBe('replace');
    });

    it('adaptive_allocations: in place from 8.18', () => {
      expect(only(run([manifest('e5', adaptive)], [liveAdaptive], '8.17.10')).action).toBe('replace');
      expect(only(run([manifest('e5', adaptive)], [liveAdaptive], '8.18.8')).action).toBe('update');
    });

    it('switching between fixed and adaptive: in place only from 9.5', () => {
      expect(only(run([manifest('e5', adaptive)], [liveFixed], '9.4.0')).action).toBe('replace');
      expect(only(run([manifest('e5', adaptive)], [liveFixed], '9.5.0')).action).toBe('update');
    });

    it('num_threads: never in place', () => {
      const c = only(
        run([manifest('e5', fixed(1).replace('num_threads: 1', 'num_threads: 2'))], [liveFixed], '9.5.0'),
      );
      expect(c.action).toBe('replace');
    });
  });
});

describe('secrets', () => {
  const salt = 'test-salt';
  const recordedFor = (value: string) => {
    const m = manifest('openai-small', openaiSpec, { env: { OPENAI_API_KEY: value } });
    const fp = (m.spec.service_settings['api_key'] as { fingerprint(s: string): string }).fingerprint(salt);
    return new Map([['openai-small', { api_key: fp }]]);
  };

  it('a changed fingerprint is an update on 8.17+, a replace before', () => {
    const options = { salt, recordedSecrets: recordedFor('sk-old') };
    const c = only(run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '9.1.0', options));
    expect(c.action).toBe('update');
    expect(c.reasons.map((r) => r.code)).toEqual(['secret_rotated']);
    expect(c.diff).toEqual([
      {
        op: 'replace',
        path: '/service_settings/api_key',
        before: '(secret)',
        after: '(secret)',
        secret: true,
        mode: 'in-place',
        why: 'secrets are replaced through _update',
      },
    ]);
    expect(
      only(run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '8.16.6', options)).action,
    ).toBe('replace');
  });

  it('the same fingerprint is no change', () => {
    const options = { salt, recordedSecrets: recordedFor('sk-openai-canary') };
    expect(run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '9.1.0', options).changes).toEqual(
      [],
    );
  });

  it('no fingerprint recorded: cannot verify, said once or per endpoint, never a change', () => {
    const none = run([manifest('openai-small', openaiSpec)], [live(openaiLive)]);
    expect(none.changes).toEqual([]);
    expect(none.notes.join(' ')).toMatch(/cannot be detected; pass --rotate-secrets/);
    const other = run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '9.1.0', {
      salt,
      recordedSecrets: new Map(),
    });
    expect(other.changes).toEqual([]);
  });

  it('--rotate-secrets resends them', () => {
    const c = only(
      run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '9.1.0', { rotateSecrets: true }),
    );
    expect(c.action).toBe('update');
    expect(c.reasons.map((r) => r.code)).toEqual(['secret_forced']);
  });

  it('never appear in the plan', () => {
    const p = run([manifest('openai-small', openaiSpec)], [], '9.1.0', { rotateSecrets: true });
    expect(JSON.stringify(p)).not.toMatch(/canary/);
  });
});

describe('what the plan leaves alone or refuses', () => {
  it('lists live endpoints not in the manifests as unmanaged, reserved ids excluded', () => {
    const extra = live(openaiLive.replace('inference_id: openai-small', 'inference_id: someone-elses'));
    const reserved = live(
      openaiLive.replace('inference_id: openai-small', 'inference_id: .elser-2-elasticsearch'),
    );
    const p = run([manifest('openai-small', openaiSpec)], [live(openaiLive), extra, reserved]);
    expect(p.unmanaged).toEqual(['someone-elses']);
    expect(p.changes).toEqual([]);
  });

  it('a protected endpoint that needs a replacement is blocked', () => {
    const spec = openaiSpec.replace('text-embedding-3-small', 'text-embedding-3-large');
    const c = only(run([manifest('openai-small', spec, { protect: true })], [live(openaiLive)]));
    expect(c.blocked?.reason).toMatch(/protected/);
  });

  it('a replacement of an endpoint that indices or pipelines use is blocked, naming them', () => {
    const spec = openaiSpec.replace('text-embedding-3-small', 'text-embedding-3-large');
    const references = new Map([['openai-small', { pipelines: ['ingest-docs'], indexes: ['docs'] }]]);
    const c = only(run([manifest('openai-small', spec)], [live(openaiLive)], '9.1.0', { references }));
    expect(c.blocked?.reason).toBe(
      'openai-small is used by indices docs and ingest pipelines ingest-docs; replacing it deletes it first',
    );
  });
});

describe('determinism', () => {
  it('the same inputs in any order give the same plan and checksum', () => {
    const a = manifest('a-endpoint', openaiSpec);
    const b = manifest('b-endpoint', openaiSpec.replace('user: search', 'user: other'));
    const liveB = live(openaiLive.replace('inference_id: openai-small', 'inference_id: b-endpoint'));
    const one = run([a, b], [liveB]);
    const two = run([b, a], [liveB]);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(one.changes.map((c) => c.id)).toEqual(['a-endpoint', 'b-endpoint']);
  });

  it('a different secret value changes the checksum, though the plan shows no value', () => {
    const one = run([manifest('openai-small', openaiSpec, { env: { OPENAI_API_KEY: 'sk-1' } })], []);
    const two = run([manifest('openai-small', openaiSpec, { env: { OPENAI_API_KEY: 'sk-2' } })], []);
    expect(JSON.stringify({ ...one, checksum: '' })).toBe(JSON.stringify({ ...two, checksum: '' }));
    expect(one.checksum).not.toBe(two.checksum);
  });
});

describe('the chunking reset of _update on 8.17–9.3 (Elasticsearch issue #139574)', () => {
  const declared = `${openaiSpec}\nchunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }`;
  const retitled = (spec: string) => manifest('openai-small', spec.replace('user: search', 'user: ranking'));

  it('declared chunking would be lost: the change becomes a replacement, saying why', () => {
    const c = only(run([retitled(declared)], [live(openaiLive)], '9.1.0'));
    expect(c.action).toBe('replace');
    expect(c.reasons.map((r) => r.code)).toEqual(['update_resets_chunking']);
  });

  it('undeclared chunking: an update, with a warning', () => {
    const c = only(run([retitled(openaiSpec)], [live(openaiLive)], '9.1.0'));
    expect(c.action).toBe('update');
    expect(c.warnings?.join(' ')).toMatch(/resets chunking_settings to word\/250\/100/);
  });

  it('fixed from 9.4: an update', () => {
    expect(only(run([retitled(declared)], [live(openaiLive)], '9.4.0')).action).toBe('update');
  });
});

describe('ownership, prune and guard rails', () => {
  const mine = (id: string) => live(openaiLive.replace('inference_id: openai-small', `inference_id: ${id}`));
  const owned = (...ids: string[]) => new Map(ids.map((id) => [id, { protect: false }]));

  it('never deletes what it does not own: undeclared, unowned endpoints are unmanaged', () => {
    const p = run([], [mine('theirs')], '9.1.0', { owned: owned(), prune: true });
    expect(p.changes).toEqual([]);
    expect(p.unmanaged).toEqual(['theirs']);
  });

  it('without --prune, owned endpoints no longer declared are listed, not deleted', () => {
    const p = run([manifest('openai-small', openaiSpec)], [live(openaiLive), mine('old-one')], '9.1.0', {
      owned: owned('openai-small', 'old-one'),
    });
    expect(p.changes).toEqual([]);
    expect(p.orphaned).toEqual(['old-one']);
    expect(p.notes.join(' ')).toContain('deleted only with --prune');
  });

  it('with --prune, deletes them', () => {
    const p = run([manifest('openai-small', openaiSpec)], [live(openaiLive), mine('old-one')], '9.1.0', {
      owned: owned('openai-small', 'old-one'),
      prune: true,
    });
    const c = only(p);
    expect(`${c.action} ${c.id}`).toBe('delete old-one');
    expect(c.blocked).toBeUndefined();
  });

  it('more deletions than --max-deletes (default 1) are blocked, saying what to pass', () => {
    const current = [live(openaiLive), mine('a'), mine('b')];
    const p = run([manifest('openai-small', openaiSpec)], current, '9.1.0', {
      owned: owned('openai-small', 'a', 'b'),
      prune: true,
    });
    expect(p.changes.map((c) => c.blocked?.hint)).toEqual([
      'review the deletions; if they are meant, pass --max-deletes 2',
      'review the deletions; if they are meant, pass --max-deletes 2',
    ]);
    const allowed = run([manifest('openai-small', openaiSpec)], current, '9.1.0', {
      owned: owned('openai-small', 'a', 'b'),
      prune: true,
      maxDeletes: 2,
    });
    expect(allowed.changes.every((c) => !c.blocked)).toBe(true);
  });

  it('deleting every managed endpoint needs --allow-delete-all', () => {
    const p = run([], [mine('only-one')], '9.1.0', { owned: owned('only-one'), prune: true });
    expect(only(p).blocked?.hint).toContain('--allow-delete-all');
    expect(
      only(
        run([], [mine('only-one')], '9.1.0', { owned: owned('only-one'), prune: true, allowDeleteAll: true }),
      ).blocked,
    ).toBeUndefined();
  });

  it('an endpoint protected at its last apply is not pruned', () => {
    const p = run([], [mine('keep')], '9.1.0', {
      owned: new Map([['keep', { protect: true }]]),
      prune: true,
      allowDeleteAll: true,
    });
    expect(only(p).blocked?.hint).toBe(
      'declare it again, or run inferctl forget keep to release it without deleting',
    );
  });

  it('a deletion of an endpoint that pipelines use is blocked unless --allow-disruption, then forced', () => {
    const references = new Map([['old-one', { pipelines: ['ingest'], indexes: [] }]]);
    const base = { owned: owned('openai-small', 'old-one'), prune: true, references };
    const current = [live(openaiLive), mine('old-one')];
    expect(only(run([manifest('openai-small', openaiSpec)], current, '9.1.0', base)).blocked?.hint).toContain(
      '--allow-disruption old-one',
    );
    const released = only(
      run([manifest('openai-small', openaiSpec)], current, '9.1.0', {
        ...base,
        allowDisruption: new Set(['old-one']),
      }),
    );
    expect(released.blocked).toBeUndefined();
    expect(released.force).toBe(true);
  });
});

describe('--allow-disruption and --allow-incompatible', () => {
  const references = new Map([['openai-small', { pipelines: [], indexes: ['docs'] }]]);
  const remodelled = manifest(
    'openai-small',
    openaiSpec.replace('text-embedding-3-small', 'text-embedding-3-large'),
  );

  it('a replacement that may change what indices depend on needs both', () => {
    const disrupt = only(
      run([remodelled], [live(openaiLive)], '9.1.0', {
        references,
        allowDisruption: new Set(['openai-small']),
      }),
    );
    expect(disrupt.blocked?.reason).toContain(
      'changes the model (and with it, possibly, the dimensions), which the semantic_text fields of docs depend on',
    );
    const both = only(
      run([remodelled], [live(openaiLive)], '9.1.0', {
        references,
        allowDisruption: new Set(['openai-small']),
        allowIncompatible: new Set(['openai-small']),
      }),
    );
    expect(both.blocked).toBeUndefined();
    expect(both.force).toBe(true);
  });

  it('a compatible replacement needs only --allow-disruption', () => {
    const rateLimited = manifest(
      'openai-small',
      openaiSpec.replace('model_id:', 'rate_limit: { requests_per_minute: 10 }\n  model_id:'),
    );
    const c = only(
      run([rateLimited], [live(openaiLive)], '9.1.0', {
        references,
        allowDisruption: new Set(['openai-small']),
      }),
    );
    expect(c.action).toBe('replace');
    expect(c.blocked).toBeUndefined();
  });
});

describe('secrets of adopted endpoints', () => {
  it('a record without a fingerprint cannot be verified: a warning, not a change', () => {
    const c = run([manifest('openai-small', openaiSpec)], [live(openaiLive)], '9.1.0', {
      salt: 's',
      recordedSecrets: new Map([['openai-small', {}]]),
    });
    expect(c.changes).toEqual([]);
    expect(c.notes.join(' ')).toContain(
      'Secrets that cannot be verified (no fingerprint recorded, e.g. after inferctl adopt): openai-small',
    );
  });
});

describe('a replacement Elasticsearch would not let be created again (PR #137055)', () => {
  const rateLimited = manifest(
    'openai-small',
    openaiSpec.replace('model_id:', 'rate_limit: { requests_per_minute: 10 }\n  model_id:'),
  );
  const released = {
    allowDisruption: new Set(['openai-small']),
    allowIncompatible: new Set(['openai-small']),
  };
  const recorded = {
    task_type: 'text_embedding',
    dimensions: 1536,
    similarity: 'dot_product',
    element_type: 'float',
  };
  const withUse = (use: NonNullable<References['uses']>[number]) =>
    new Map([['openai-small', { pipelines: [], indexes: ['docs'], uses: [use] }]]);

  it('strict: an index that holds documents blocks, whatever is released', () => {
    const c = only(
      run([rateLimited], [live(openaiLive)], '9.2.1', {
        ...released,
        references: withUse({ index: 'docs', hasDocuments: true, fields: [{ field: 'body' }] }),
      }),
    );
    expect(c.blocked?.reason).toContain('would then refuse to create it again (PR #137055)');
    expect(c.blocked?.reason).toContain('docs (body)');
  });

  it('strict: an empty index does not block', () => {
    const c = only(
      run([rateLimited], [live(openaiLive)], '9.2.1', {
        ...released,
        references: withUse({ index: 'docs', hasDocuments: false, fields: [{ field: 'body' }] }),
      }),
    );
    expect(c.blocked).toBeUndefined();
  });

  it('an index inferctl could not read, or no per-index detail at all, blocks', () => {
    const unreadable = only(
      run([rateLimited], [live(openaiLive)], '9.2.1', {
        ...released,
        references: withUse({ index: 'docs', unreadable: 'GET /docs/_mapping is forbidden' }),
      }),
    );
    expect(unreadable.blocked?.reason).toContain(
      'inferctl could not check indices docs (GET /docs/_mapping is forbidden)',
    );
    const bare = only(
      run([rateLimited], [live(openaiLive)], '9.2.1', {
        ...released,
        references: new Map([['openai-small', { pipelines: [], indexes: ['docs'] }]]),
      }),
    );
    expect(bare.blocked?.reason).toContain('could not check indices docs (not read)');
  });

  it('compatible (9.3.6): same service and model keep the learned dimensions and similarity, so it may go ahead', () => {
    const c = only(
      run([rateLimited], [live(openaiLive)], '9.3.6', {
        ...released,
        references: withUse({
          index: 'docs',
          hasDocuments: true,
          fields: [{ field: 'body', modelSettings: recorded }],
        }),
      }),
    );
    expect(c.blocked).toBeUndefined();
    expect(c.force).toBe(true);
  });

  it('before 8.19.7 / 9.1.7 / 9.2.1 nothing guards the create: the older rules alone decide', () => {
    const c = only(
      run([rateLimited], [live(openaiLive)], '9.2.0', {
        allowDisruption: new Set(['openai-small']),
        references: withUse({ index: 'docs', hasDocuments: true, fields: [{ field: 'body' }] }),
      }),
    );
    expect(c.blocked).toBeUndefined();
  });
});
