// Part of `npm run build`: precompiles the default manifest validators with ajv's standalone code
// generation, so that `inferctl` does not spend most of a second compiling the schema on every run.
// Output: lib/manifest/compiled/{default,literal-secrets}.cjs (build output, not committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { createAjv, precompiledName } from '../lib/manifest/schema-validator.js';
import { manifestSchema } from '../lib/schema/generate.js';

const standaloneCode = standaloneModule.default;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'manifest', 'compiled');
mkdirSync(out, { recursive: true });
for (const options of [{}, { allowLiteralSecrets: true }]) {
  const ajv = createAjv({ source: true });
  const validate = ajv.compile(manifestSchema(options));
  writeFileSync(join(out, `${precompiledName(options)}.cjs`), standaloneCode(ajv, validate));
}
