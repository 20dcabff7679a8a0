// `npm run bench -- opensearch-real`: a real OpenSearch node with ML Commons (scripts/opensearch-real.mjs).
// Measures the node's start (cold JVM, Maven cache and node home warm: the first run prepares them and
// is not counted), its resident memory once ready and after the examples are applied, and the wall
// time of the real-server tier (`npm run test:real`). Needs Java and Maven; says so if they are missing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { prepareHome, startRealOpenSearch, RealNodeUnavailable } from './opensearch-real.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = process.env.INFERCTL_REAL_OPENSEARCH_VERSION ?? '2.19.1';
const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

try {
  prepareHome(version);
  const starts = [];
  let rss;
  for (let i = 0; i < 3; i++) {
    const node = await startRealOpenSearch({ version, port: 9280 });
    starts.push(node.startMs);
    if (i === 0) rss = rssMiB(node.pid);
    await node.stop();
  }
  starts.sort((a, b) => a - b);
  console.log(
    `opensearch-real: OpenSearch ${version} + ML Commons, start to ready (GET /, ML plugin, ML stats)`,
  );
  console.log(`  start: median ${starts[1]} ms (min ${starts[0]}, max ${starts[2]}; 3 starts, -Xmx512m)`);
  console.log(`  resident memory once ready: ${rss} MiB`);
  const t0 = performance.now();
  const tier = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.real.config.ts'], {
    cwd: root,
    stdio: 'ignore',
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `  real tier (npx vitest run --config vitest.real.config.ts): ${seconds} s, exit ${tier.status}`,
  );
  if (tier.status !== 0) process.exit(1);
} catch (e) {
  console.error(`opensearch-real: ${e.message}`);
  process.exit(e instanceof RealNodeUnavailable ? 2 : 1);
}
