/**
 * Elasticsearch's rest-api-spec per version (derived into `test/fixtures/es-rest-api-spec/`, see its README):
 * every documented path + method of a profile is routed (no 400 "no handler" / 405), every documented query
 * parameter is recognised, and methods not documented for a path are rejected. One documented exception: 8.17's
 * `inference.update` says POST, a documentation bug (elastic/elasticsearch PR #121048) — the route was always PUT.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_PROFILES, capabilitiesFor } from '../../src/catalog/capabilities.js';
import { es, type Es, type Reply } from './helpers.js';

const SPEC_ROOT = join(import.meta.dirname, '..', 'fixtures', 'es-rest-api-spec');

interface SpecPath {
  path: string;
  methods: string[];
  parts?: Record<string, { options?: string[] }>;
}
interface SpecApi {
  name: string;
  paths: SpecPath[];
  params: Record<string, { type: string }>;
}

function loadSpecs(minor: string): SpecApi[] {
  const branch = join(SPEC_ROOT, `${minor}.json`);
  const file = existsSync(branch) ? branch : join(SPEC_ROOT, 'main.json'); // 9.4 / 9.5: the ≈9.4-dev main copy
  return JSON.parse(readFileSync(file, 'utf8')) as SpecApi[];
}

function concrete(p: SpecPath, taskTypes: readonly string[]): string {
  return p.path
    .replace('{task_type}', taskTypes.includes('sparse_embedding') ? 'sparse_embedding' : 'text_embedding')
    .replace('{inference_id}', 'spec-walk')
    .replace('{model_id}', p.path.startsWith('/_ml') ? 'lang_ident_model_1' : 'spec-walk');
}

function matches(template: string, path: string): boolean {
  const a = template.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  return a.length === b.length && a.every((s, i) => s.startsWith('{') || s === b[i]);
}

function isRoutingError(r: Reply): boolean {
  return (
    r.status === 405 ||
    (r.status === 400 && typeof r.body?.error === 'string' && r.body.error.startsWith('no handler found'))
  );
}

const BODY: Record<string, unknown> = {
  PUT: { service: 'openai', service_settings: {} },
  POST: { input: 'x' },
};
const PARAM_VALUE: Record<string, string> = {
  boolean: 'true',
  time: '30s',
  int: '1',
  list: 'x',
  string: 'x',
};

const docBug = (version: string, api: string, method: string) =>
  version.startsWith('8.17') && api === 'inference.update' && method === 'POST';

describe.each(VERSION_PROFILES)('rest-api-spec of %s', (version) => {
  const caps = capabilitiesFor(version);
  const specs = loadSpecs(caps.minor);
  let e: Es;
  beforeAll(async () => {
    e = await es(version);
  });
  afterAll(() => e.close());

  const templates = specs.flatMap((api) => api.paths.map((p) => ({ api, p })));
  for (const { api, p } of templates) {
    const path = concrete(p, caps.taskTypes);
    for (const method of p.methods) {
      if (docBug(version, api.name, method)) {
        it(`${api.name}: ${method} ${p.path} is a documentation bug → rejected; PUT works`, async () => {
          expect((await e.req('POST', path, {})).status).toBeGreaterThanOrEqual(400);
          expect(isRoutingError(await e.req('PUT', path, { task_settings: { user: 'x' } }))).toBe(false);
        });
        continue;
      }
      it(`${api.name}: ${method} ${p.path} is routed, with its params`, async () => {
        const res = await e.req(method, path, BODY[method]);
        expect(isRoutingError(res), `${method} ${path} → ${res.status} ${res.text}`).toBe(false);
        for (const [param, def] of Object.entries(api.params)) {
          const withParam = await e.req(
            method,
            `${path}?${param}=${PARAM_VALUE[def.type] ?? 'x'}`,
            BODY[method],
          );
          expect(String(withParam.body?.error?.reason ?? ''), `${param} on ${method} ${path}`).not.toContain(
            'unrecognized parameter',
          );
        }
      });
    }
    const allowed = new Set(
      templates
        .filter((t) => matches(t.p.path, path))
        .flatMap((t) => t.p.methods.filter((m) => !docBug(version, t.api.name, m))),
    );
    for (const method of ['GET', 'PUT', 'POST', 'DELETE'].filter((m) => !allowed.has(m))) {
      it(`${method} ${path} (undocumented) is rejected`, async () => {
        const res = await e.req(method, path, BODY[method]);
        expect(res.status, `${method} ${path} → ${res.text}`).toBeGreaterThanOrEqual(400);
      });
    }
  }
});
