// `npm run bundle`: the GitHub Action as one file, dist/index.js (ESM, runnable by node24 with nothing
// installed), committed because a workflow runs the Action straight from the repository. The build is
// deterministic (no timestamps, paths relative to the repository, inputs in esbuild's stable order), so
// that test/action/bundle.test.ts can rebuild it and fail when the committed file is stale.
//
// Usage: node scripts/bundle.mjs [OUTFILE]   (default dist/index.js)
// Beside OUTFILE goes a package.json saying it is ESM, so that it runs the same wherever it is copied.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? join(root, 'dist', 'index.js'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** src/version.ts reads ../package.json at run time; the bundle carries the version instead. */
const inlineVersion = {
  name: 'inline-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};\n`,
      loader: 'ts',
    }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  // Dependencies written as CommonJS call require() for node's built-ins; ESM has none of its own.
  banner: {
    js: [
      '// inferctl GitHub Action, bundled by scripts/bundle.mjs from src/action/index.ts: do not edit.',
      "import { createRequire as __inferctlCreateRequire } from 'node:module';",
      'const require = __inferctlCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  // The manifest validator is precompiled into lib/manifest/compiled/ for the CLI; the bundle does not
  // carry those files, and src/manifest/schema-validator.ts compiles the schema at run time instead
  // (about half a second, once per run).
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
  plugins: [inlineVersion],
});

writeFileSync(
  join(dirname(outfile), 'package.json'),
  JSON.stringify({ type: 'module', private: true }, null, 2) + '\n',
);
