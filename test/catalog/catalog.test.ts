import { describe, expect, it } from 'vitest';
import {
  EMBEDDING_TASK_TYPES,
  SERVICES,
  getService,
  isRequired,
  secretFields,
  supportedTaskTypes,
  type FieldSpec,
} from '../../src/catalog/index.js';
import { atLeast, atMost, compareVersions, parseVersion } from '../../src/catalog/version.js';

// The 26 services of the service list, in its order.
const REFERENCE_SERVICES = [
  'ai21',
  'alibabacloud-ai-search',
  'amazonbedrock',
  'amazon_sagemaker',
  'anthropic',
  'azureaistudio',
  'azureopenai',
  'cohere',
  'contextualai',
  'custom',
  'deepseek',
  'elastic',
  'elasticsearch',
  'elser',
  'fireworksai',
  'googleaistudio',
  'googlevertexai',
  'groq',
  'hugging_face',
  'jinaai',
  'llama',
  'mistral',
  'nvidia',
  'openai',
  'openshift_ai',
  'voyageai',
  'watsonxai',
];

describe('the catalog', () => {
  it('has exactly these 27 services', () => {
    expect(SERVICES.map((s) => s.name).sort()).toEqual([...REFERENCE_SERVICES].sort());
  });

  for (const service of SERVICES) {
    describe(service.name, () => {
      const taskTypes = service.taskTypes.map((t) => t.taskType);
      const all: [string, FieldSpec][] = [
        ...Object.entries(service.serviceSettings),
        ...Object.entries(service.taskSettings),
      ];

      it('supports at least one task type, each once', () => {
        expect(taskTypes.length).toBeGreaterThan(0);
        expect(new Set(taskTypes).size).toBe(taskTypes.length);
      });

      it('allows chunking only on its own embedding task types', () => {
        for (const t of service.chunking) {
          expect(taskTypes).toContain(t);
          expect(EMBEDDING_TASK_TYPES).toContain(t);
        }
      });

      it('restricts fields only to task types it supports', () => {
        for (const [name, field] of all) {
          for (const t of field.taskTypes ?? []) expect(taskTypes, `${name}`).toContain(t);
        }
      });

      it('marks every secret write-only and updatable only as a secret, and only in service_settings', () => {
        for (const [name, field] of Object.entries(service.serviceSettings)) {
          if (field.secret) expect(field.updatable, name).toBe('secret');
          if (field.updatable === 'secret') expect(field.secret, name).toBe(true);
        }
        for (const [name, field] of Object.entries(service.taskSettings)) {
          expect(field.secret, name).toBeFalsy();
          expect(field.updatable, name).toBe('merge');
        }
      });

      it('has rules that name its own fields', () => {
        for (const rule of service.rules ?? []) {
          const names = 'fields' in rule ? rule.fields : [rule.field];
          for (const n of names) expect(Object.keys(service.serviceSettings), `${rule.kind}`).toContain(n);
        }
      });

      it('gives every field a description and valid versions', () => {
        for (const [name, field] of all) {
          expect(field.description.length, name).toBeGreaterThan(10);
          for (const v of [field.since, field.until].flat().filter(Boolean))
            expect(() => parseVersion(String(v))).not.toThrow();
        }
      });

      it('gives defaults only from the field’s own enum', () => {
        for (const [name, field] of all) {
          if (field.enum && typeof field.default === 'string')
            expect(field.enum, name).toContain(field.default);
        }
      });
    });
  }

  it('knows the secret fields of every service', () => {
    expect(secretFields(getService('openai')!)).toEqual(['api_key', 'client_secret']);
    expect(secretFields(getService('azureopenai')!).sort()).toEqual(['api_key', 'client_secret', 'entra_id']);
    expect(secretFields(getService('amazonbedrock')!).sort()).toEqual(['access_key', 'secret_key']);
    expect(secretFields(getService('amazon_sagemaker')!).sort()).toEqual(['access_key', 'secret_key']);
    expect(secretFields(getService('googlevertexai')!)).toEqual(['service_account_json']);
    expect(secretFields(getService('custom')!)).toEqual(['secret_parameters']);
    expect(secretFields(getService('elasticsearch')!)).toEqual([]);
    expect(secretFields(getService('elser')!)).toEqual([]);
  });

  it('dates task types and requirements by version', () => {
    const openai = getService('openai')!;
    expect(supportedTaskTypes(openai, '9.1')).not.toContain('embedding');
    expect(supportedTaskTypes(openai, '9.4')).toContain('embedding');
    const cohereModel = getService('cohere')!.serviceSettings['model_id']!;
    expect(isRequired(cohereModel, 'text_embedding', '9.0')).toBe(false);
    expect(isRequired(cohereModel, 'text_embedding', '9.1')).toBe(true);
    const openaiKey = openai.serviceSettings['api_key']!;
    expect(isRequired(openaiKey, 'text_embedding', '9.4')).toBe(true);
    expect(isRequired(openaiKey, 'text_embedding', '9.5')).toBe(false);
  });
});

describe('versions', () => {
  it('orders versions numerically', () => {
    expect(compareVersions('8.9.0', '8.10.0')).toBeLessThan(0);
    expect(compareVersions('9.1.0-SNAPSHOT', '9.1.0')).toBe(0);
  });

  it('treats 8.19 and 9.1 features per major', () => {
    expect(atLeast('8.18.0', ['8.19', '9.1'])).toBe(false);
    expect(atLeast('8.19.3', ['8.19', '9.1'])).toBe(true);
    expect(atLeast('9.0.0', ['8.19', '9.1'])).toBe(false);
    expect(atLeast('9.1.0', ['8.19', '9.1'])).toBe(true);
    expect(atLeast('10.0.0', ['8.19', '9.1'])).toBe(true);
    expect(atLeast('8.19.0', '9.1')).toBe(false);
    expect(atLeast('9.0.0', '8.17')).toBe(true);
  });

  it('compares `until` by minor', () => {
    expect(atMost('9.1.7', '9.1')).toBe(true);
    expect(atMost('9.2.0', '9.1')).toBe(false);
  });
});
