// The examples are part of the product: every service's manifest validates, on the versions it claims,
// and every broken example produces exactly the diagnostics it documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION_PROFILES } from '../../src/catalog/capabilities.js';
import { SERVICES, supportedTaskTypes } from '../../src/catalog/index.js';
import { compareVersions, minorOf } from '../../src/catalog/version.js';
import { loadManifests } from '../../src/manifest/load.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';

const env = secretEnv(EXAMPLES);
const load = (paths: string[], version?: string) =>
  loadManifests(paths, { cwd: EXAMPLES, env, ...(version ? { version } : {}) });

describe('examples/services', () => {
  const all = load(['services']);

  it('are all valid', () => {
    expect(all.diagnostics).toEqual([]);
  });

  for (const service of SERVICES) {
    it(`${service.name}: one document per task type it supports`, () => {
      const declared = all.manifests.filter((m) => m.source.file === `services/${service.name}.yaml`);
      expect(declared.map((m) => m.spec.task_type).sort()).toEqual([...supportedTaskTypes(service)].sort());
      for (const m of declared) expect(m.spec.service).toBe(service.name);
    });

    it(`${service.name}: each document validates for 9.1, or the first version with its service and task type`, () => {
      for (const m of all.manifests.filter((x) => x.spec.service === service.name)) {
        const oldest = VERSION_PROFILES.find((v) =>
          supportedTaskTypes(service, v).includes(m.spec.task_type),
        );
        expect(oldest, m.id).toBeDefined();
        const target = compareVersions(oldest!, '9.1.0') > 0 ? minorOf(oldest!) : '9.1';
        const valid = load([`services/${service.name}.yaml`], target).manifests.map((x) => x.id);
        expect(valid, `${m.id} on ${target}`).toContain(m.id);
      }
    });
  }
});

describe('examples/clusters', () => {
  it.each(['staging', 'prod'])('common + %s validate together for Elasticsearch 9.1', (environment) => {
    const result = load(['clusters/common', `clusters/${environment}`], '9.1');
    expect(result.diagnostics).toEqual([]);
    expect(result.manifests.length).toBeGreaterThan(2);
  });
});

describe('examples/invalid', () => {
  const expected = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/invalid-expected.json'), 'utf8'),
  ) as Record<string, { code: string; line: number; column: number; path: string }[]>;

  it.each(Object.keys(expected))('%s reports exactly what its comment says', (file) => {
    const result = load([join('invalid', file)]);
    expect(result.diagnostics.map(({ code, line, column, path }) => ({ code, line, column, path }))).toEqual(
      expected[file],
    );
    expect(result.diagnostics.every((d) => d.message.length > 0)).toBe(true);
  });

  it('validated together, the directory reports exactly the files’ own problems (no ids shared by accident)', () => {
    const together = load(['invalid']).diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);
    const alone = Object.entries(expected).flatMap(([file, list]) =>
      list.map((d) => {
        const shown = file.endsWith('.yaml') ? `invalid/${file}` : `invalid/${file}/b.yaml`;
        return `${shown}:${d.line}:${d.column} ${d.code}`;
      }),
    );
    expect(together.sort()).toEqual(alone.sort());
  });

  it('every file is covered by an expectation', () => {
    const files = load(['invalid']).files.map((f) => f.replace(/^invalid\//, ''));
    for (const file of files) {
      expect(
        Object.keys(expected).some((k) => file === k || file.startsWith(`${k}/`)),
        file,
      ).toBe(true);
    }
  });

  it('each states the diagnostic it shows in its first lines', () => {
    for (const [file, diagnostics] of Object.entries(expected)) {
      if (!file.endsWith('.yaml')) continue;
      const head = readFileSync(join(EXAMPLES, 'invalid', file), 'utf8')
        .split('\n')
        .slice(0, 12)
        .join('\n');
      expect(head, file).toContain(diagnostics[0]!.code);
    }
  });
});
