#!/usr/bin/env node
// Derives test/fixtures/es-rest-api-spec/<minor>.json — the routes, methods and query-parameter types of the
// inference (and trained-model stats) APIs per Elasticsearch release — from Elasticsearch's rest-api-spec JSON
// (elastic/elasticsearch `rest-api-spec/src/main/resources/rest-api-spec/api/*.json`, mirrored per branch in
// elastic/elasticsearch-specification `specification/_json_spec/` until spec PR #6008).
//
//   node scripts/derive-rest-spec-fixtures.mjs <spec-dir>
//
// <spec-dir> holds the newest branch's files at its top level and `by-branch/<minor>/` for the others
// (each with the `inference.*.json` and `ml.get_trained_models_stats.json` files). Only the fields the
// emulator's routing test reads are kept: paths with their methods and enum parts, and params by type.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [specDir] = process.argv.slice(2);
if (!specDir || !existsSync(specDir)) {
  console.error('usage: node scripts/derive-rest-spec-fixtures.mjs <spec-dir>');
  process.exit(2);
}
const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'es-rest-api-spec');
mkdirSync(out, { recursive: true });

function derive(dir) {
  const apis = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file === 'package.json') continue;
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [name, api] of Object.entries(doc)) {
      apis.push({
        name,
        paths: api.url.paths.map((p) => ({
          path: p.path,
          methods: p.methods,
          ...(p.parts
            ? {
                parts: Object.fromEntries(
                  Object.entries(p.parts).map(([k, v]) => [k, v.options ? { options: v.options } : {}]),
                ),
              }
            : {}),
        })),
        params: Object.fromEntries(Object.entries(api.params ?? {}).map(([k, v]) => [k, { type: v.type }])),
      });
    }
  }
  return apis;
}

const branches = existsSync(join(specDir, 'by-branch')) ? readdirSync(join(specDir, 'by-branch')) : [];
for (const minor of branches) {
  writeFileSync(
    join(out, `${minor}.json`),
    JSON.stringify(derive(join(specDir, 'by-branch', minor)), null, 2) + '\n',
  );
}
writeFileSync(join(out, 'main.json'), JSON.stringify(derive(specDir), null, 2) + '\n');
console.log(`wrote ${branches.length + 1} fixture files to ${out}`);
