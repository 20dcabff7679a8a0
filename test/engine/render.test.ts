// How a plan reads: text, markdown, JSON (against schemas/plan.schema.json). Secrets never appear.
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { plan } from '../../src/engine/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../src/render/plan.js';
import { planSchema } from '../../src/schema/files.js';
import { live, manifest } from '../helpers/engine.js';

const Ajv2020 = Ajv2020Module.default;

const base = `
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, api_key: { secretRef: { env: OPENAI_API_KEY } } }
task_settings: { user: search }
`;
const current = (id: string) =>
  live(`
inference_id: ${id}
task_type: text_embedding
service: openai
service_settings: { model_id: text-embedding-3-small, similarity: dot_product, dimensions: 1536, rate_limit: { requests_per_minute: 3000 } }
task_settings: { user: old }
chunking_settings: { strategy: sentence, max_chunk_size: 250, sentence_overlap: 1 }
`);

const example = plan({
  desired: [
    manifest('new-one', base),
    manifest('tweaked', base),
    manifest('remodelled', base.replace('text-embedding-3-small', 'text-embedding-3-large')),
    manifest('guarded', base.replace('text-embedding-3-small', 'text-embedding-3-large'), { protect: true }),
  ],
  live: [current('tweaked'), current('remodelled'), current('guarded'), current('handmade')],
  capabilities: capabilitiesFor('9.1.0'),
  target: { url: 'https://es.example.com:9200' },
  options: { rotateSecrets: false },
});

describe('text', () => {
  const text = renderPlanText(example);

  it('shows blocked and replaced changes first, with symbols, reasons and field diffs', () => {
    const heads = text.split('\n').filter((l) => /^ {2}\S/.test(l));
    expect(heads).toEqual([
      '  -/+ guarded (openai, text_embedding) must be replaced (deleted, then created)',
      '  -/+ remodelled (openai, text_embedding) must be replaced (deleted, then created)',
      '  ~ tweaked (openai, text_embedding) will be updated in place',
      '  + new-one (openai, text_embedding) will be created',
    ]);
    expect(text).toContain(
      '      BLOCKED: guarded is protected (metadata.protect: true) and this change needs a replacement',
    );
    expect(text).toContain(
      '      ~ service_settings.model_id: "text-embedding-3-small" → "text-embedding-3-large" # forces replacement',
    );
    expect(text).toContain('      ~ task_settings.user: "old" → "search"');
    expect(text).toContain('      + service_settings.api_key: "(secret)"');
    expect(text).toContain('Not managed (left alone): handmade');
    expect(text).toContain(
      'Plan: 1 to create, 1 to update, 2 to replace, 0 to delete, 0 unchanged, 1 blocked.',
    );
    expect(text).toMatch(/checksum sha256:[0-9a-f]{64}\n$/);
  });

  it('never contains a secret value', () => {
    for (const out of [text, renderPlanMarkdown(example), renderPlanJson(example)])
      expect(out).not.toContain('canary');
  });
});

describe('markdown', () => {
  it('calls out replacements and blocks, then a table and one collapsed detail per endpoint', () => {
    const md = renderPlanMarkdown(example);
    expect(md).toContain('> [!WARNING]');
    expect(md).toContain('> ⛔ **blocked** `guarded`');
    expect(md).toContain('| -/+ | `remodelled` | openai | text_embedding |');
    expect(md.match(/<details>/g)).toHaveLength(4);
    expect(md).toContain(
      '```diff\n- service_settings.model_id: "text-embedding-3-small"\n+ service_settings.model_id: "text-embedding-3-large"   # forces replacement',
    );
  });
});

describe('json', () => {
  it('follows schemas/plan.schema.json and has the documented contract', () => {
    const json = JSON.parse(renderPlanJson(example));
    const validate = new Ajv2020({ strict: false }).compile(planSchema() as object);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.format_version).toBe(1);
    expect(json.target).toEqual({ url: 'https://es.example.com:9200', version: '9.1.0' });
    expect(json.summary).toEqual({ create: 1, update: 1, replace: 2, delete: 0, unchanged: 0, blocked: 1 });
    expect(json.unmanaged).toEqual(['handmade']);
    expect(json.changes.map((c: { action: string; id: string }) => `${c.action} ${c.id}`)).toEqual([
      'replace guarded',
      'create new-one',
      'replace remodelled',
      'update tweaked',
    ]);
  });

  it('is canonical: the same plan, the same bytes', () => {
    expect(renderPlanJson(example)).toBe(renderPlanJson(JSON.parse(renderPlanJson(example))));
  });
});
