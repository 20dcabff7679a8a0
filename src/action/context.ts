/**
 * What a run of the Action knows: its inputs, the event that started it, where to write the plan, and
 * a GitHub client when there is a token.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { CliIO } from '../cli/command.js';
import { resolveTarget, type Target } from '../cli/target.js';
import { InferctlError } from '../errors.js';
import { GitHubClient } from '../github/client.js';
import { parseRepo, type Repo } from '../github/threads.js';
import { getBooleanInput, getInput, getListInput, type Env, type Runner } from './protocol.js';

export const COMMANDS = ['plan', 'apply', 'drift'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

export interface Inputs {
  readonly command: ActionCommand;
  readonly paths: readonly string[];
  readonly cluster: string | undefined;
  readonly config: string | undefined;
  readonly url: string | undefined;
  readonly apiKey: string | undefined;
  readonly cloudId: string | undefined;
  readonly caCert: string | undefined;
  readonly stateFile: string | undefined;
  readonly prune: boolean;
  readonly allowDisruption: readonly string[];
  readonly githubToken: string | undefined;
  readonly comment: boolean;
  readonly failOnDrift: boolean;
  readonly expectedChecksum: string | undefined;
}

/** The secret inputs, masked before anything else is read or printed. */
export const SECRET_INPUTS = ['api-key', 'github-token'] as const;

export function readInputs(env: Env): Inputs {
  const command = getInput(env, 'command');
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new InferctlError(
      'usage',
      command ? `input command must be plan, apply or drift, not "${command}"` : 'input command is required',
      { hint: 'with: command: plan (pull requests), apply (merges) or drift (scheduled)' },
    );
  }
  const optional = (name: string) => getInput(env, name) || undefined;
  return {
    command: command as ActionCommand,
    paths: getListInput(env, 'paths'),
    cluster: optional('cluster'),
    config: optional('config'),
    url: optional('url'),
    apiKey: optional('api-key'),
    cloudId: optional('cloud-id'),
    caCert: optional('ca-cert'),
    stateFile: optional('state-file'),
    prune: getBooleanInput(env, 'prune', false),
    allowDisruption: getListInput(env, 'allow-disruption'),
    githubToken: optional('github-token'),
    comment: getBooleanInput(env, 'comment', true),
    failOnDrift: getBooleanInput(env, 'fail-on-drift', false),
    expectedChecksum: optional('expected-checksum'),
  };
}

export interface GitHubEvent {
  readonly name: string;
  /** The pull request's number on `pull_request` / `pull_request_target` events. */
  readonly pullRequest: number | undefined;
}

export function readEvent(env: Env): GitHubEvent {
  const name = env['GITHUB_EVENT_NAME'] ?? '';
  const path = env['GITHUB_EVENT_PATH'];
  let payload: { pull_request?: { number?: unknown } } = {};
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as typeof payload;
    } catch {
      payload = {};
    }
  }
  const number = payload.pull_request?.number;
  return {
    name,
    pullRequest:
      (name === 'pull_request' || name === 'pull_request_target') && typeof number === 'number'
        ? number
        : undefined,
  };
}

export interface ActionDeps {
  readonly env: Env;
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Injected for tests (GitHub retries). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Context {
  readonly deps: ActionDeps;
  readonly runner: Runner;
  readonly inputs: Inputs;
  readonly event: GitHubEvent;
  /** The cluster's name as markers and titles show it. */
  readonly clusterName: string;
  readonly repo: Repo | undefined;
  readonly github: GitHubClient | undefined;
  /** Where the JSON plan (or drift report) is written. */
  readonly outDir: string;
  /** `https://github.com/o/r/actions/runs/1`, when known. */
  readonly runUrl: string | undefined;
  readonly sha: string | undefined;
}

export function createContext(deps: ActionDeps, runner: Runner, inputs: Inputs): Context {
  const env = deps.env;
  const repo = parseRepo(env['GITHUB_REPOSITORY']);
  const github =
    inputs.githubToken && repo
      ? new GitHubClient({
          baseUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
          token: inputs.githubToken,
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          onRetry: ({ method, path, status, waitMs }) =>
            runner.info(
              `GitHub API ${method} ${path}: ${status}, retrying in ${Math.round(waitMs / 1000)} s`,
            ),
        })
      : undefined;
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com';
  return {
    deps,
    runner,
    inputs,
    event: readEvent(env),
    clusterName: inputs.cluster ?? 'default',
    repo,
    github,
    outDir: env['RUNNER_TEMP'] || tmpdir(),
    runUrl:
      repo && env['GITHUB_RUN_ID']
        ? `${server}/${repo.owner}/${repo.repo}/actions/runs/${env['GITHUB_RUN_ID']}`
        : undefined,
    sha: env['GITHUB_SHA'],
  };
}

/**
 * The target of the run, from the inputs as the CLI's flags (they win over `inferctl.yaml`, which wins
 * over the `ELASTICSEARCH_*` environment). Credentials found by the resolution are masked too.
 */
export function actionTarget(context: Context): Target {
  const { inputs, deps, runner } = context;
  const io: Pick<CliIO, 'stderr' | 'env' | 'cwd'> = { stderr: deps.stderr, env: deps.env, cwd: deps.cwd };
  const target = resolveTarget(
    {
      url: inputs.url,
      'api-key': inputs.apiKey,
      'cloud-id': inputs.cloudId,
      'ca-cert': inputs.caCert,
      cluster: inputs.cluster,
      config: inputs.config,
      'state-file': inputs.stateFile,
      'log-level': deps.env['RUNNER_DEBUG'] === '1' ? 'debug' : 'warn',
      'log-format': 'json',
    },
    inputs.paths,
    io,
    {
      onWarning: (message) => {
        // Inputs are not a command line: the warning about credentials visible in `ps` does not apply.
        if (!/on the command line is visible/.test(message)) runner.warning(message, { title: 'inferctl' });
      },
    },
  );
  const auth = target.connection.auth;
  if (auth.kind === 'api_key') runner.mask(auth.apiKey.reveal());
  if (auth.kind === 'basic') runner.mask(auth.password.reveal());
  return target;
}

/** A manifest path as GitHub annotations want it: relative to the repository's root. */
export function workspacePath(context: Context, file: string): string {
  const workspace = context.deps.env['GITHUB_WORKSPACE'] || context.deps.cwd;
  const absolute = isAbsolute(file) ? file : resolve(context.deps.cwd, file);
  const rel = relative(workspace, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

/** A file name for this run's JSON output, per cluster. */
export function outFile(context: Context, kind: 'plan' | 'drift'): string {
  return join(
    context.outDir,
    `inferctl-${kind}-${context.clusterName.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`,
  );
}
