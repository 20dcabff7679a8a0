/**
 * `command: apply` — on merge: the same apply as `inferctl apply --yes` (lock, reviewed checksum,
 * inventory records), with the plan and the results in the job summary.
 */
import { probeCluster } from '../core/reconcile.js';
import { runApply } from '../core/run-apply.js';
import { runApplyOpenSearch } from '../core/run-apply-opensearch.js';
import { renderOpenSearchPlanMarkdown } from '../opensearch/index.js';
import type { ChangeResult } from '../engine/apply.js';
import { renderPlanMarkdown } from '../render/plan.js';
import { actionTarget, type Context } from './context.js';
import { clusterHeading, writePlanOutputs } from './plan.js';

const MARK: Record<ChangeResult['outcome'], string> = {
  succeeded: '✅',
  failed: '❌',
  skipped: '⏭️',
  'not-executed': '⏸️',
};

export async function runApplyCommand(context: Context): Promise<number> {
  const { inputs, runner, deps } = context;
  const target = actionTarget(context);
  let planMarkdown = '';
  try {
    if ((await probeCluster(target.client)).flavor === 'opensearch')
      return await applyOpenSearch(context, target);
    const outcome = await runApply(target, deps, {
      plan: { prune: inputs.prune, allowDisruption: inputs.allowDisruption },
      lockOwner: 'inferctl action apply',
      lockTimeoutMs: 10 * 60_000,
      ...(inputs.expectedChecksum !== undefined
        ? { expectedChecksum: inputs.expectedChecksum, reviewedFrom: 'input expected-checksum' }
        : {}),
      onPlan: ({ plan }) => {
        writePlanOutputs(context, plan);
        planMarkdown = renderPlanMarkdown(plan);
        runner.info(
          `Plan for cluster ${context.clusterName}: ${plan.changes.length} change(s), checksum ${plan.checksum}`,
        );
      },
      onEvent: (event) => {
        if (event.type === 'change-end') {
          const r = event.result;
          runner.info(`${MARK[r.outcome]} ${r.id}: ${r.message}`);
        }
      },
      onLockLost: () =>
        runner.warning('the apply lock was lost (another run took it over): starting no new changes'),
      onWarning: (message) => runner.warning(message, { title: 'inferctl' }),
    });
    if (outcome.status !== 'applied') {
      runner.appendSummary(`${clusterHeading(context)}${planMarkdown}\nNothing to apply.\n`);
      return 0;
    }
    const { result, interrupted } = outcome;
    const ok = reportResults(context, {
      planSummary: outcome.prepared.plan.summary,
      outcomes: result.summary,
      interrupted,
      column: 'Endpoint',
      rows: result.results.map((r) => ({ ...r, name: r.id })),
      planMarkdown,
    });
    return ok ? 0 : 1;
  } finally {
    await target.client.close();
  }
}

/** The same on an OpenSearch cluster: connectors, model groups and models, in dependency order. */
async function applyOpenSearch(context: Context, target: ReturnType<typeof actionTarget>): Promise<number> {
  const { inputs, runner, deps } = context;
  let planMarkdown = '';
  const outcome = await runApplyOpenSearch(target, deps, {
    plan: { prune: inputs.prune, allowDisruption: inputs.allowDisruption },
    lockOwner: 'inferctl action apply',
    lockTimeoutMs: 10 * 60_000,
    ...(inputs.expectedChecksum !== undefined
      ? { expectedChecksum: inputs.expectedChecksum, reviewedFrom: 'input expected-checksum' }
      : {}),
    onPlan: ({ plan }) => {
      writePlanOutputs(context, plan);
      planMarkdown = renderOpenSearchPlanMarkdown(plan);
      runner.info(
        `Plan for cluster ${context.clusterName}: ${plan.changes.length} change(s), checksum ${plan.checksum}`,
      );
    },
    onEvent: (event) => {
      if (event.type === 'waiting') runner.info(`… ${event.key}: ${event.detail}`);
      if (event.type === 'change-end')
        runner.info(`${MARK[event.result.outcome]} ${event.result.key}: ${event.result.message}`);
    },
    onLockLost: () =>
      runner.warning('the apply lock was lost (another run took it over): starting no new changes'),
  });
  if (outcome.status !== 'applied') {
    runner.appendSummary(`${clusterHeading(context)}${planMarkdown}\nNothing to apply.\n`);
    return 0;
  }
  const { result, interrupted } = outcome;
  const ok = reportResults(context, {
    planSummary: outcome.prepared.plan.summary,
    outcomes: result.summary,
    interrupted,
    column: 'Object',
    rows: result.results.map((r) => ({ ...r, name: r.key })),
    planMarkdown,
  });
  return ok ? 0 : 1;
}

interface ResultRow {
  readonly name: string;
  readonly action: string;
  readonly outcome: ChangeResult['outcome'];
  readonly message: string;
  readonly error?: { readonly hint?: string };
  readonly requests: readonly string[];
}

/** The `summary` output, the results table in the job summary and an error per failed change; true when all succeeded. */
function reportResults(
  context: Context,
  report: {
    planSummary: object;
    outcomes: Readonly<Record<string, number>>;
    interrupted: boolean;
    column: 'Endpoint' | 'Object';
    rows: readonly ResultRow[];
    planMarkdown: string;
  },
): boolean {
  const { runner } = context;
  const outcomes = Object.fromEntries(
    Object.entries(report.outcomes).map(([k, v]) => [k.replace('-', '_'), v]),
  );
  runner.setOutput('summary', JSON.stringify({ ...report.planSummary, ...outcomes }));
  const ok = report.rows.every((r) => r.outcome === 'succeeded');
  runner.appendSummary(
    [
      `${clusterHeading(context)}### inferctl apply — ${ok ? 'complete' : report.interrupted ? 'interrupted' : 'incomplete'}`,
      '',
      `| | ${report.column} | Action | Result | Requests |`,
      '|---|---|---|---|---|',
      ...report.rows.map(
        (r) =>
          `| ${MARK[r.outcome]} | \`${r.name}\` | ${r.action} | ${escapeCell(r.message)}${r.error?.hint && r.outcome !== 'succeeded' ? `<br>_hint:_ ${escapeCell(r.error.hint)}` : ''} | ${r.requests.join(', ')} |`,
      ),
      '',
      `<details><summary>The plan that was applied</summary>\n\n${report.planMarkdown}\n</details>`,
    ].join('\n'),
  );
  for (const r of report.rows) {
    if (r.outcome === 'failed')
      runner.error(`${r.name}: ${r.message}`, { title: `inferctl: ${r.action} of ${r.name} failed` });
  }
  return ok;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
