/**
 * The GitHub Action: reads the inputs, runs `plan`, `apply` or `drift` through the same core as the
 * CLI, and reports through the runner (outputs, job summary, annotations) and GitHub (the pull request
 * comment, the drift issue). `run` takes its surroundings as arguments, so tests run it in-process or
 * as the bundled `dist/index.js`.
 */
import { diagnosticsOf } from '../core/session.js';
import { InferctlError } from '../errors.js';
import type { Diagnostic } from '../manifest/diagnostics.js';
import { runApplyCommand } from './apply.js';
import {
  createContext,
  readInputs,
  SECRET_INPUTS,
  workspacePath,
  type ActionDeps,
  type Context,
} from './context.js';
import { runDrift } from './drift.js';
import { clusterHeading, postPlanComment, runPlan, shouldComment } from './plan.js';
import { getInput, Runner } from './protocol.js';

export type { ActionDeps } from './context.js';

/** The real process: what `dist/index.js` passes, and what tools that call `run()` bare get. */
export function processDeps(): ActionDeps {
  return { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
}

/**
 * Runs the Action once; resolves to the process's exit code (0 success, 1 failure). Without arguments
 * (as `@github/local-action` calls it) it runs on the real process and sets its exit code.
 */
export async function run(deps?: ActionDeps): Promise<number> {
  if (deps === undefined) {
    const code = await run(processDeps());
    process.exitCode = code;
    return code;
  }
  const runner = new Runner(deps.stdout, deps.env);
  // Before anything can print them.
  for (const name of SECRET_INPUTS) runner.mask(getInput(deps.env, name));
  let context: Context | undefined;
  try {
    const inputs = readInputs(deps.env);
    context = createContext(deps, runner, inputs);
    const commands = { plan: runPlan, apply: runApplyCommand, drift: runDrift } as const;
    return await commands[inputs.command](context);
  } catch (error) {
    return await fail(runner, context, error);
  } finally {
    await context?.github?.close();
  }
}

async function fail(runner: Runner, context: Context | undefined, error: unknown): Promise<number> {
  if (error instanceof InferctlError) {
    if (error.code === 'invalid_manifests' && context) await reportInvalid(context, diagnosticsOf(error));
    runner.error(`${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`, {
      title: `inferctl ${context?.inputs.command ?? ''}`.trim(),
    });
    if (error.code !== 'invalid_manifests')
      runner.appendSummary(
        `${context ? clusterHeading(context) : ''}> [!CAUTION]\n> **inferctl ${context?.inputs.command ?? ''}:** ${error.message}${error.hint ? `\n>\n> _hint:_ ${error.hint}` : ''}\n`,
      );
    return 1;
  }
  if (error instanceof TypeError && /^input /.test(error.message)) {
    runner.error(error.message, { title: 'inferctl' });
    return 1;
  }
  runner.error(
    `internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in inferctl; please report it.`,
    { title: 'inferctl' },
  );
  return 1;
}

/**
 * Invalid manifests: an annotation on each line, the list in the job summary, and on a pull request the
 * comment says so (instead of showing a plan made from an earlier commit).
 */
async function reportInvalid(context: Context, diagnostics: readonly Diagnostic[]): Promise<void> {
  const { runner } = context;
  const rows: string[] = [];
  for (const d of diagnostics) {
    const file = workspacePath(context, d.file);
    const message = `${d.message}${d.hint ? ` (${d.hint})` : ''}`;
    const properties = { title: `inferctl: ${d.code}`, file, line: d.line, col: d.column };
    if (d.severity === 'error') runner.error(message, properties);
    else runner.warning(message, properties);
    rows.push(
      `| ${d.severity === 'error' ? '❌' : '⚠️'} | \`${file}:${d.line}:${d.column}\` | \`${d.code}\` | ${message.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
    );
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const markdown = [
    `### inferctl — the manifests have ${errors} error${errors === 1 ? '' : 's'}`,
    '',
    'Nothing was sent to the cluster. `inferctl validate` shows the same list locally.',
    '',
    '| | Where | Code | Problem |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  runner.appendSummary(`${clusterHeading(context)}${markdown}`);
  if (context.inputs.command === 'plan' && shouldComment(context))
    await postPlanComment(context, markdown, undefined);
}
