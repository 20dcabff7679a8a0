// The CLI loads validators precompiled at build time (lib/manifest/compiled/*.cjs); tests run the
// schema compiled from src. Both must give the same verdicts and errors on every example.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { createAjv, precompiledName } from '../../src/manifest/schema-validator.js';
import { parseYaml } from '../../src/manifest/yaml.js';
import { manifestSchema } from '../../src/schema/generate.js';
import { ROOT } from '../helpers/cli.js';

const require = createRequire(import.meta.url);

function documents(): unknown[] {
  const out: unknown[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name))
        out.push(...parseYaml(readFileSync(path, 'utf8')).documents.map((x) => x.value));
    }
  };
  walk(join(ROOT, 'examples'));
  return out;
}

describe.each([{}, { allowLiteralSecrets: true }])('precompiled validator %o', (options) => {
  const file = join(ROOT, 'lib', 'manifest', 'compiled', `${precompiledName(options)}.cjs`);

  it('is built by npm run build', () => {
    expect(existsSync(file), `${file} missing: run npm run build`).toBe(true);
  });

  it('agrees with the schema compiled from src on every example document', () => {
    const built = require(file) as ValidateFunction;
    const fresh = createAjv().compile(manifestSchema(options));
    const docs = documents();
    expect(docs.length).toBeGreaterThan(80);
    for (const doc of docs) {
      const a = built(doc);
      const b = fresh(doc);
      expect(a).toBe(b);
      const strip = (errors: ValidateFunction['errors']) =>
        (errors ?? []).map((e) => [e.keyword, e.instancePath, e.params]);
      expect(strip(built.errors)).toEqual(strip(fresh.errors));
    }
  });
});
