// `npm run demo`: what inferctl does today, end to end, on the bundled examples. Needs nothing but
// `npm ci` (which builds lib/). Each step prints the command it runs, as a user would type it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'lib', 'cli', 'main.js');

/** Placeholder values for every secret the examples reference, so validation can resolve them. */
function demoSecrets(dir) {
  const env = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(/env:\s*([A-Z_][A-Z0-9_]*)/g)) {
          env[match[1]] = `demo-value-for-${match[1].toLowerCase()}`;
        }
      }
    }
  };
  walk(dir);
  delete env['INFERCTL_EXAMPLE_MISSING_VAR']; // examples/invalid shows what a missing variable looks like
  return env;
}

function step(title, args, env = {}) {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[22m\n$ inferctl ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.stdout.write(`(exit ${result.status})\n`);
  return result.status;
}

const secrets = demoSecrets(join(root, 'examples'));
const ok = step('Every service’s example manifests are valid', ['validate', 'examples/services'], secrets);
const env = step(
  'A production cluster: shared endpoints plus its own, validated for Elasticsearch 9.1',
  ['validate', '--es-version', '9.1', 'examples/clusters/common', 'examples/clusters/prod'],
  secrets,
);
const bad = step(
  'What mistakes look like: every kind of error, with file, line, column and a hint',
  ['validate', 'examples/invalid'],
  secrets,
);

// The demo fails only if the valid examples fail or the invalid ones pass.
process.exitCode = ok === 0 && env === 0 && bad === 1 ? 0 : 1;
