// Every service × task type schema, with valid and invalid cases derived from the catalog and the
// examples: the example validates; so does its required-only reduction; dropping any required field,
// adding an unknown one, writing a secret literally or giving a field the wrong type is each reported
// at the right place with the right code.
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  getService,
  isRequired,
  SERVICES,
  taskSettingsFor,
  type FieldSpec,
} from '../../src/catalog/index.js';
import { loadManifests, type Manifest } from '../../src/manifest/load.js';
import { Secret } from '../../src/manifest/secrets.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { check } from '../helpers/yaml.js';

const env = secretEnv(EXAMPLES);
const examples = loadManifests(['services'], { cwd: EXAMPLES, env }).manifests;

/** Back to YAML, secrets as references again. */
function toDocument(m: Manifest, spec: Record<string, unknown> = plainSpec(m)): string {
  return stringify({ apiVersion: 'inferctl/v1', kind: 'InferenceEndpoint', metadata: { name: m.id }, spec });
}

function plainSpec(m: Manifest): Record<string, unknown> {
  const unref = (v: unknown): unknown =>
    v instanceof Secret
      ? { secretRef: { env: 'SECRET_VALUE' } }
      : v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unref(x)]))
        : v;
  // unref first: structuredClone would turn a Secret into a plain object
  return structuredClone(unref(m.spec)) as Record<string, unknown>;
}

const run = (text: string) => check(text, { env: { SECRET_VALUE: 'test-secret-value' } });
const codes = (text: string) => run(text).diagnostics.map((d) => `${d.code} ${d.path}`);

describe.each(SERVICES.map((s) => s.name))('schema of %s', (name) => {
  const service = getService(name)!;
  const mine = examples.filter((m) => m.spec.service === name);

  it.each(mine.map((m) => [m.spec.task_type, m] as const))('%s: the example is valid', (_t, m) => {
    expect(run(toDocument(m)).diagnostics).toEqual([]);
  });

  it.each(mine.map((m) => [m.spec.task_type, m] as const))('%s: required fields only is valid', (_t, m) => {
    const spec = plainSpec(m);
    const settings = spec['service_settings'] as Record<string, unknown>;
    for (const key of Object.keys(settings)) {
      const field = service.serviceSettings[key];
      const neededByRule = (service.rules ?? []).some((r) =>
        'fields' in r ? r.fields.includes(key) : r.field === key,
      );
      if (field && !isRequired(field, m.spec.task_type) && !neededByRule && !field.required)
        delete settings[key];
    }
    const taskRequired = Object.entries(service.taskSettings).filter(([, f]) =>
      isRequired(f, m.spec.task_type),
    );
    // A custom endpoint's request templates may name task_settings.parameters keys: those stay.
    const templatesNeedTask = service.name === 'custom' && JSON.stringify(settings).includes('${');
    if (taskRequired.length === 0 && !templatesNeedTask) delete spec['task_settings'];
    delete spec['chunking_settings'];
    expect(run(toDocument(m, spec)).diagnostics).toEqual([]);
  });

  it.each(mine.map((m) => [m.spec.task_type, m] as const))(
    '%s: each missing required field is reported',
    (_t, m) => {
      const required = Object.entries(service.serviceSettings).filter(
        ([, f]: [string, FieldSpec]) =>
          isRequired(f, m.spec.task_type) && (!f.taskTypes || f.taskTypes.includes(m.spec.task_type)),
      );
      for (const [field] of required) {
        const spec = plainSpec(m);
        delete (spec['service_settings'] as Record<string, unknown>)[field];
        const found = codes(toDocument(m, spec));
        expect(
          found.some(
            (c) => c === `missing_field spec.service_settings.${field}` || c === 'rule spec.service_settings',
          ),
          `${field}: ${found}`,
        ).toBe(true);
      }
    },
  );

  it.each(mine.map((m) => [m.spec.task_type, m] as const))(
    '%s: unknown fields are reported at every level',
    (_t, m) => {
      for (const level of ['service_settings', 'task_settings']) {
        const spec = plainSpec(m);
        spec[level] = { ...((spec[level] as object) ?? {}), bogus_field: 1 };
        expect(codes(toDocument(m, spec))).toContain(
          level === 'task_settings' && Object.keys(taskSettingsFor(service, m.spec.task_type)).length === 0
            ? 'unknown_field spec.task_settings'
            : `unknown_field spec.${level}.bogus_field`,
        );
      }
      const spec = { ...plainSpec(m), bogus_top_level: true };
      expect(codes(toDocument(m, spec))).toContain('unknown_field spec.bogus_top_level');
    },
  );

  it.each(mine.map((m) => [m.spec.task_type, m] as const))(
    '%s: a literal secret is refused and never echoed',
    (_t, m) => {
      for (const [field, f] of Object.entries(service.serviceSettings)) {
        if (!f.secret || !(field in m.spec.service_settings)) continue;
        const spec = plainSpec(m);
        const settings = spec['service_settings'] as Record<string, unknown>;
        settings[field] = f.type === 'string_map' ? { key: 'sk-canary-literal' } : 'sk-canary-literal';
        const result = run(toDocument(m, spec));
        expect(result.diagnostics.map((d) => d.code)).toContain('literal_secret');
        expect(JSON.stringify(result.diagnostics)).not.toContain('sk-canary-literal');
      }
    },
  );

  it.each(mine.map((m) => [m.spec.task_type, m] as const))(
    '%s: a wrong type is reported at the field',
    (_t, m) => {
      const [field] =
        Object.entries(m.spec.service_settings).find(
          ([k, v]) => typeof v === 'string' && !service.serviceSettings[k]?.enum,
        ) ?? [];
      if (!field) return; // in-cluster services have no plain string field besides enums
      const spec = plainSpec(m);
      (spec['service_settings'] as Record<string, unknown>)[field] = 12345;
      expect(codes(toDocument(m, spec))).toContain(`invalid_type spec.service_settings.${field}`);
    },
  );

  it('a task type it does not support is reported', () => {
    const m = mine[0]!;
    const other = [
      'text_embedding',
      'sparse_embedding',
      'rerank',
      'completion',
      'chat_completion',
      'embedding',
    ].find((t) => !service.taskTypes.some((x) => x.taskType === t));
    if (!other) return;
    expect(codes(toDocument(m, { ...plainSpec(m), task_type: other }))).toContain(
      'unsupported_task_type spec.task_type',
    );
  });
});
