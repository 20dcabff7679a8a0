/**
 * `command: plan` — on pull requests the plan is the comment (one per cluster, updated in place); always
 * the job summary, the JSON plan file and the outputs.
 */
import { writeFileSync } from 'node:fs';
import { prepareCluster } from '../core/session.js';
import {
  renderOpenSearchPlanJson,
  renderOpenSearchPlanMarkdown,
  type OpenSearchPlan,
} from '../opensearch/index.js';
import type { Plan } from '../engine/types.js';
import { upsertMarkedComment } from '../github/threads.js';
import { renderPlanJson, renderPlanMarkdown } from '../render/plan.js';
import { fitBody, planMarker } from './comment.js';
import { actionTarget, outFile, workspacePath, type Context } from './context.js';
import { VERSION } from '../version.js';

export async function runPlan(context: Context): Promise<number> {
  const { inputs, runner, deps } = context;
  const target = actionTarget(context);
  try {
    const prepared = await prepareCluster(target, deps, {
      prune: inputs.prune,
      allowDisruption: inputs.allowDisruption,
    });
    const { plan } = prepared;
    const planFile = writePlanOutputs(context, plan);
    annotateBlocked(context, plan);
    const markdown = planMarkdown(plan);
    runner.appendSummary(`${clusterHeading(context)}${markdown}`);
    runner.info(
      `Plan for cluster ${context.clusterName}: ${plan.changes.length} change(s), checksum ${plan.checksum}`,
    );
    if (shouldComment(context)) {
      await postPlanComment(context, markdown, planFile, plan.checksum);
    }
    return 0;
  } finally {
    await target.client.close();
  }
}

/** A plan of either flavor: Elasticsearch endpoints, or OpenSearch ML Commons objects. */
export type AnyPlan = Plan | OpenSearchPlan;

export function isOpenSearchPlan(plan: AnyPlan): plan is OpenSearchPlan {
  return 'flavor' in plan && plan.flavor === 'opensearch';
}

/** The pull request comment's markdown for a plan of either flavor. */
export function planMarkdown(plan: AnyPlan): string {
  return isOpenSearchPlan(plan) ? renderOpenSearchPlanMarkdown(plan) : renderPlanMarkdown(plan);
}

/** Writes the JSON plan and sets `has-changes`, `checksum`, `summary`, `plan-json`; returns the file. */
export function writePlanOutputs(
  context: Context,
  plan: AnyPlan,
  extra: Record<string, number> = {},
): string {
  const file = outFile(context, 'plan');
  writeFileSync(file, isOpenSearchPlan(plan) ? renderOpenSearchPlanJson(plan) : renderPlanJson(plan));
  const { runner } = context;
  runner.setOutput('has-changes', String(plan.changes.length > 0));
  runner.setOutput('checksum', plan.checksum);
  runner.setOutput('summary', JSON.stringify({ ...plan.summary, ...extra }));
  runner.setOutput('plan-json', file);
  return file;
}

/** Blocked changes as warnings on the manifest line that declares them. */
function annotateBlocked(context: Context, plan: AnyPlan): void {
  for (const change of plan.changes) {
    if (!change.blocked) continue;
    const name = 'key' in change ? change.key : change.id;
    context.runner.warning(`${name}: ${change.blocked.reason} (${change.blocked.hint})`, {
      title: `inferctl: ${change.action} of ${name} is blocked`,
      ...(change.source
        ? { file: workspacePath(context, change.source.file), line: change.source.line }
        : {}),
    });
  }
}

export function clusterHeading(context: Context): string {
  return context.inputs.cluster ? `## Cluster \`${context.inputs.cluster}\`\n\n` : '';
}

export function shouldComment(context: Context): boolean {
  return context.inputs.comment && context.event.pullRequest !== undefined;
}

function footer(context: Context, checksum?: string): string {
  const parts = [
    context.sha ? `commit ${context.sha.slice(0, 7)}` : undefined,
    context.runUrl ? `[workflow run](${context.runUrl})` : undefined,
    `inferctl ${VERSION}`,
  ].filter(Boolean);
  const apply = checksum
    ? `\n\n<sub>To apply exactly this plan on merge, pass <code>expected-checksum: ${checksum}</code>.</sub>`
    : '';
  return `${apply}\n\n<sub>${parts.join(' · ')} · this comment is updated on every push</sub>\n`;
}

/** Creates or updates this cluster's comment on the pull request; a refusal (fork, permissions) warns. */
export async function postPlanComment(
  context: Context,
  markdown: string,
  planFile: string | undefined,
  checksum?: string,
): Promise<void> {
  const { github, repo, runner, event } = context;
  if (!github || !repo || event.pullRequest === undefined) {
    runner.warning('no github-token or GITHUB_REPOSITORY: the plan is in the job summary only', {
      title: 'inferctl',
    });
    return;
  }
  const head = `${planMarker(context.clusterName)}\n${clusterHeading(context)}`;
  const body = fitBody(head, markdown, footer(context, checksum), {
    notice: (omitted) =>
      `The plan is too long for a comment: ${omitted ? `the details of ${omitted} endpoint${omitted === 1 ? '' : 's'} are left out here` : 'it is cut short here'}. The full plan is in the job summary${context.runUrl ? ` of [this run](${context.runUrl})` : ''}${planFile ? `, and as JSON in \`${planFile}\` (upload it with actions/upload-artifact)` : ''}.`,
  });
  try {
    const done = await upsertMarkedComment(
      github,
      repo,
      event.pullRequest,
      planMarker(context.clusterName),
      runner.redact(body),
    );
    runner.info(`Plan comment ${done.action}${done.url ? `: ${done.url}` : ''}`);
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    runner.warning(
      `could not comment on the pull request: ${(error as Error).message}${hint ? ` (${hint})` : ''}`,
      {
        title: 'inferctl',
      },
    );
  }
}
