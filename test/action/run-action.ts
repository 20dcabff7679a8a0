/**
 * Runs the bundled Action (`node dist/index.js`) as the runner does: inputs as `INPUT_*`, the event
 * payload in a file, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, nothing inherited from the test's
 * own environment but PATH.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'index.js');
export const FIXTURES = join(ROOT, 'test', 'action', 'fixtures');

export interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Where the run's temp files are (RUNNER_TEMP, the output and summary files). */
  readonly dir: string;
}

export interface ActionRunOptions {
  readonly inputs: Record<string, string>;
  /** `pull_request`, `push`, `schedule`, … */
  readonly event: string;
  /** A fixture file name under test/action/fixtures/. */
  readonly payload: string;
  readonly workspace: string;
  readonly githubApiUrl?: string;
  readonly env?: Record<string, string>;
  readonly entry?: string;
}

/** The runner's `INPUT_<NAME>` variables (hyphens kept, as the runner does). */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
}

export function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-action-run-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: join(FIXTURES, options.payload),
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_API_URL: options.githubApiUrl ?? 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/search-config',
    GITHUB_SHA: '4f1c2a9b8e7d6c5b4a39281706f5e4d3c2b1a098',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_ACTOR: 'octocat',
    RUNNER_TEMP: dir,
    ...inputEnv({ comment: 'true', prune: 'false', 'fail-on-drift': 'false', ...options.inputs }),
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry ?? DIST], { cwd: options.workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(output, 'utf8')),
        summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '',
        dir,
      }),
    );
  });
}

/** `name<<DELIM\nvalue\nDELIM\n` entries, the last one of each name winning. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}
