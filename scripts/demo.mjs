// `npm run demo`: the main job, end to end, on the bundled examples against the embedded emulator (no
// cluster, no network). Each step prints the command a user would type and what inferctl answered.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'lib', 'cli', 'main.js');
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);

/** Placeholder values for every secret the examples reference, as CI would provide real ones. */
function demoSecrets(dir) {
  const env = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/env:\s*([A-Z_][A-Z0-9_]*)/g))
          env[m[1]] = `demo-${m[1].toLowerCase()}`;
      }
    }
  };
  walk(dir);
  delete env['INFERCTL_EXAMPLE_MISSING_VAR']; // examples/invalid shows what a missing variable looks like
  return env;
}

function run(args, env = {}, { show = (out) => out } = {}) {
  process.stdout.write(`\n$ inferctl ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      process.stdout.write(show(out));
      process.stdout.write(`(exit ${code})\n`);
      resolve(code);
    });
  });
}

const lastLines = (n) => (out) => {
  const lines = out.trimEnd().split('\n');
  return (lines.length > n ? `  … ${lines.length - n} lines …\n` : '') + lines.slice(-n).join('\n') + '\n';
};

const work = mkdtempSync(join(tmpdir(), 'inferctl-demo-'));
cpSync(join(root, 'examples'), join(work, 'examples'), { recursive: true });
const secrets = demoSecrets(join(work, 'examples'));
const { startEmulator } = await import('../lib/emulator/index.js');
const { startOpenSearchEmulator } = await import('../lib/emulator/opensearch/index.js');
const emulator = await startEmulator({ port: 0, esVersion: '9.5.0' });
const target = ['--url', emulator.url, '--state-file', join(work, 'state.json')];
const results = [];
try {
  console.log(bold('1. Validate: every example manifest, before anything touches a cluster'));
  results.push((await run(['validate', 'examples/services'], secrets)) === 0);

  console.log(
    bold(`\n2. Plan against a local Elasticsearch 9.5 emulator (${emulator.url}): everything is new`),
  );
  results.push((await run(['plan', 'examples/services', ...target], secrets, { show: lastLines(4) })) === 0);

  console.log(bold('\n3. Apply: create, read back, verify; in-cluster models are waited for'));
  results.push(
    (await run(['apply', 'examples/services', '--yes', ...target], secrets, { show: lastLines(3) })) === 0,
  );

  console.log(bold('\n4. Plan again: right after an apply, a plan is empty'));
  results.push(
    (await run(['plan', 'examples/services', '--detailed-exitcode', ...target], secrets, {
      show: lastLines(2),
    })) === 0,
  );

  console.log(
    bold(
      '\n5. Change a task setting and a model: one update in place, one replacement, each with its reason',
    ),
  );
  const openai = join(work, 'examples', 'services', 'openai.yaml');
  writeFileSync(
    openai,
    readFileSync(openai, 'utf8')
      .replace('user: search-team', 'user: ranking-team')
      .replace('model_id: gpt-4o-mini', 'model_id: gpt-4o'),
  );
  results.push(
    (await run(['plan', 'examples/services', '--detailed-exitcode', ...target], secrets, {
      show: lastLines(30),
    })) === 2,
  );

  console.log(
    bold(
      '\n6. The same on OpenSearch ML Commons (2.19 emulator): connectors, model groups and models, in order;\n   the inventory and the lock in the cluster; a model edited by hand shows up as drift',
    ),
  );
  const opensearch = await startOpenSearchEmulator({ port: 0, version: '2.19.0' });
  try {
    const os = ['--url', opensearch.url];
    results.push(
      (await run(['apply', 'examples/opensearch', '--yes', ...os], secrets, { show: lastLines(5) })) === 0,
    );
    const model = [...opensearch.state.models.docs.values()].find(
      (d) => d.source['name'] === 'openai-embeddings',
    );
    await fetch(`${opensearch.url}/_plugins/_ml/models/${model.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'edited in the dashboard' }),
    });
    results.push((await run(['drift', 'examples/opensearch', ...os], secrets)) === 2);
  } finally {
    await opensearch.close();
  }

  console.log(bold('\n7. What mistakes look like: file, line, column, the field, and what to do'));
  results.push(
    (await run(
      [
        'validate',
        'examples/invalid/unknown_service.yaml',
        'examples/invalid/literal_secret.yaml',
        'examples/invalid/rule.yaml',
      ],
      secrets,
    )) === 1,
  );
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(
  results.every(Boolean) ? '\nDemo complete.' : '\nDemo FAILED: a step did not answer as expected.',
);
process.exitCode = results.every(Boolean) ? 0 : 1;
