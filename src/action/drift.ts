/**
 * `command: drift` — on a schedule: the drift report in the job summary, and one issue per cluster
 * (labelled, found by its marker) opened or updated while the cluster drifts, closed with a comment
 * once a run finds it in sync.
 */
import { writeFileSync } from 'node:fs';
import { prepareCluster } from '../core/session.js';
import { openSearchDriftReport, ownedIds } from '../opensearch/index.js';
import { driftReport, type DriftReport } from '../engine/drift.js';
import { commentOnIssue, createIssue, ensureLabel, findMarkedIssue, updateIssue } from '../github/threads.js';
import { renderDriftJson, renderDriftMarkdown } from '../render/drift.js';
import { VERSION } from '../version.js';
import { driftMarker, fitBody } from './comment.js';
import { actionTarget, outFile, type Context } from './context.js';
import { clusterHeading } from './plan.js';

export const DRIFT_LABEL = {
  name: 'inferctl-drift',
  color: 'd93f0b',
  description: 'An inference endpoint differs from git (opened and closed by inferctl)',
};

export async function runDrift(context: Context): Promise<number> {
  const { inputs, runner, deps } = context;
  const target = actionTarget(context);
  let report: DriftReport;
  try {
    const prepared = await prepareCluster(target, deps, { readEverything: true });
    report =
      prepared.flavor === 'opensearch'
        ? openSearchDriftReport(prepared.plan, prepared.live, ownedIds(prepared.owned))
        : driftReport(prepared.plan, new Set(prepared.owned.records.keys()));
  } finally {
    await target.client.close();
  }
  const file = outFile(context, 'drift');
  writeFileSync(file, renderDriftJson(report));
  runner.setOutput('drifted', String(report.drifted));
  runner.setOutput('has-changes', String(report.drifted));
  runner.setOutput('summary', JSON.stringify(report.summary));
  runner.setOutput('plan-json', file);
  const markdown = renderDriftMarkdown(report);
  runner.appendSummary(`${clusterHeading(context)}${markdown}`);
  runner.info(
    report.drifted
      ? `Drift on cluster ${context.clusterName}: ${report.summary.drifted} drifted, ${report.summary.missing} missing, ${report.summary.unmanaged} unmanaged`
      : `No drift on cluster ${context.clusterName}`,
  );
  if (inputs.githubToken && context.github && context.repo) await syncIssue(context, report, markdown);
  if (report.drifted && inputs.failOnDrift) {
    runner.error(`cluster ${context.clusterName} has drifted from git (see the job summary)`, {
      title: 'inferctl drift',
    });
    return 1;
  }
  return 0;
}

async function syncIssue(context: Context, report: DriftReport, markdown: string): Promise<void> {
  const github = context.github!;
  const repo = context.repo!;
  const { runner } = context;
  const marker = driftMarker(context.clusterName);
  const run = context.runUrl ? `[this run](${context.runUrl})` : 'this run';
  const existing = await findMarkedIssue(github, repo, DRIFT_LABEL.name, marker);
  if (!report.drifted) {
    if (existing?.state === 'open') {
      await commentOnIssue(
        github,
        repo,
        existing.number,
        `✅ Cluster \`${context.clusterName}\` is in sync with git again (${report.summary.in_sync} ${report.flavor === 'opensearch' ? 'objects' : 'endpoints'}) as of ${run}${context.sha ? ` at ${context.sha.slice(0, 7)}` : ''}. Closing.`,
      );
      await updateIssue(github, repo, existing.number, { state: 'closed', state_reason: 'completed' });
      runner.info(`Drift issue #${existing.number} closed`);
    }
    return;
  }
  const body = runner.redact(
    fitBody(
      `${marker}\n`,
      markdown,
      `\n\nChecked by ${run}${context.sha ? ` at ${context.sha.slice(0, 7)}` : ''} · inferctl ${VERSION}. This issue is updated by every scheduled run and closed when the cluster is back in sync. Fix with \`inferctl drift --fix\` (creates and in-place updates) or a reviewed \`inferctl apply\`.\n`,
      { notice: () => 'The report is too long for an issue: the full report is in the job summary.' },
    ),
  );
  const title = `inferctl: cluster ${context.clusterName} has drifted from git`;
  if (!existing) {
    await ensureLabel(github, repo, DRIFT_LABEL);
    const created = await createIssue(github, repo, { title, body, labels: [DRIFT_LABEL.name] });
    runner.info(`Drift issue #${created.number} opened${created.html_url ? `: ${created.html_url}` : ''}`);
    return;
  }
  if (existing.state === 'closed') {
    await updateIssue(github, repo, existing.number, { title, body, state: 'open' });
    await commentOnIssue(github, repo, existing.number, `⚠️ The cluster has drifted again (${run}).`);
    runner.info(`Drift issue #${existing.number} reopened`);
    return;
  }
  if (existing.body !== body) await updateIssue(github, repo, existing.number, { title, body });
  runner.info(`Drift issue #${existing.number} updated`);
}
