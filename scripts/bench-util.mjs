// What the CLI benches share: running the inferctl CLI as a user does (with its peak RSS and the requests it
// logged), and an emulator in its own process with latency injected into every request.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(root, 'lib', 'cli', 'main.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs the CLI; with /usr/bin/time, also its peak RSS. Requests are counted from its debug log. */
export function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const command = TIME
      ? [TIME, '-f', '__rss %M', process.execPath, cli, ...args]
      : [process.execPath, cli, ...args];
    const start = performance.now();
    const child = spawn(command[0], command.slice(1), {
      env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-bench', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const rss = /__rss (\d+)/.exec(stderr)?.[1];
      const requests = stderr.split('\n').filter((l) => l.includes('"msg":"request"')).length;
      resolve({ code, ms, rssMb: rss ? Number(rss) / 1024 : undefined, requests, stdout, stderr });
    });
  });
}

/** `inferctl emulator` in its own process (`flavorArgs` choose it), every request delayed by `latencyMs`. */
export async function startEmulatorProcess(flavorArgs, latencyMs) {
  const child = spawn(process.execPath, [
    cli,
    'emulator',
    ...flavorArgs,
    '--port',
    '0',
    '--fault-rate',
    '1',
    '--fault-kinds',
    'latency',
    '--fault-latency',
    String(latencyMs),
  ]);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return { url, stop: () => new Promise((r) => (child.on('exit', r), child.kill('SIGTERM'))) };
}

/** One table row per measurement: requests, wall time, peak RSS, a note. */
export function printRows(title, rows, width = 29) {
  console.log(title);
  console.log(`  ${'what'.padEnd(width)} requests   wall time   peak RSS   notes`);
  for (const r of rows) {
    const rss = r.rssMb === undefined ? '     -' : `${r.rssMb.toFixed(0).padStart(5)} MB`;
    console.log(
      `  ${r.label.padEnd(width)} ${String(r.requests).padStart(8)}   ${(r.ms / 1000).toFixed(2).padStart(7)} s   ${rss}   ${r.note}`,
    );
  }
}
