/**
 * `command: apply` — on merge: the same apply as `inferctl apply --yes` (lock, reviewed checksum,
 * inventory records), with the plan and the results in the job summary.
 */
import { probeCluster } from '../core/reconcile.js';
import { escapeCell } from '../render/plan.js';
import { runApply } from '../core/run-apply.js';
import { runApplyOpenSearch } from '../core/run-apply-opensearch.js';
import type { ChangeResult } from '../engine/apply.js';
import { actionTarget, type Context } from './context.js';
import { clusterHeading, planMarkdown as planMarkdownOf, writePlanOutputs, type AnyPlan } from './plan.js';

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
  // What both flavors' apply flows take alike: the reviewed checksum, the lock, the plan outputs.
  const common = {
    plan: { prune: inputs.prune, allowDisruption: inputs.allowDisruption },
    lockOwner: 'inferctl action apply',
    lockTimeoutMs: 10 * 60_000,
    ...(inputs.expectedChecksum !== undefined
      ? { expectedChecksum: inputs.expectedChecksum, reviewedFrom: 'input expected-checksum' }
      : {}),
    onPlan: ({ plan }: { plan: AnyPlan }) => {
      writePlanOutputs(context, plan);
      planMarkdown = planMarkdownOf(plan);
      runner.info(
        `Plan for cluster ${context.clusterName}: ${plan.changes.length} change(s), checksum ${plan.checksum}`,
      );
    },
    onLockLost: () =>
      runner.warning('the apply lock was lost (another run took it over): starting no new changes'),
  };
  try {
    const opensearch = (await probeCluster(target.client)).flavor === 'opensearch';
    const outcome = opensearch
      ? await runApplyOpenSearch(target, deps, {
          ...common,
          onEvent: (event) => {
            if (event.type === 'waiting') runner.info(`… ${event.key}: ${event.detail}`);
            if (event.type === 'change-end')
              runner.info(`${MARK[event.result.outcome]} ${event.result.key}: ${event.result.message}`);
          },
        })
      : await runApply(target, deps, {
          ...common,
          onEvent: (event) => {
            if (event.type === 'change-end')
              runner.info(`${MARK[event.result.outcome]} ${event.result.id}: ${event.result.message}`);
          },
          onWarning: (message) => runner.warning(message, { title: 'inferctl' }),
        });
    if (outcome.status !== 'applied') {
      runner.appendSummary(`${clusterHeading(context)}${planMarkdown}\nNothing to apply.\n`);
      return 0;
    }
    const { result, interrupted } = outcome;
    const rows: ResultRow[] = result.results.map((r) => ({ ...r, name: 'key' in r ? r.key : r.id }));
    const ok = reportResults(context, {
      planSummary: outcome.prepared.plan.summary,
      outcomes: result.summary,
      interrupted,
      column: opensearch ? 'Object' : 'Endpoint',
      rows,
      planMarkdown,
    });
    return ok ? 0 : 1;
  } finally {
    await target.client.close();
  }
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
