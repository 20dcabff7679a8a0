/**
 * `command: apply` — on merge: the same apply as `inferctl apply --yes` (lock, reviewed checksum,
 * inventory records), with the plan and the results in the job summary.
 */
import { runApply } from '../core/run-apply.js';
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
    const summary = Object.fromEntries(
      Object.entries(result.summary).map(([k, v]) => [k.replace('-', '_'), v]),
    );
    runner.setOutput('summary', JSON.stringify({ ...outcome.prepared.plan.summary, ...summary }));
    const ok = result.summary.succeeded === result.results.length;
    runner.appendSummary(
      [
        `${clusterHeading(context)}### inferctl apply — ${ok ? 'complete' : interrupted ? 'interrupted' : 'incomplete'}`,
        '',
        '| | Endpoint | Action | Result | Requests |',
        '|---|---|---|---|---|',
        ...result.results.map(
          (r) =>
            `| ${MARK[r.outcome]} | \`${r.id}\` | ${r.action} | ${escapeCell(r.message)}${r.error?.hint && r.outcome !== 'succeeded' ? `<br>_hint:_ ${escapeCell(r.error.hint)}` : ''} | ${r.requests.join(', ')} |`,
        ),
        '',
        `<details><summary>The plan that was applied</summary>\n\n${planMarkdown}\n</details>`,
      ].join('\n'),
    );
    for (const r of result.results) {
      if (r.outcome === 'failed')
        runner.error(`${r.id}: ${r.message}`, { title: `inferctl: ${r.action} of ${r.id} failed` });
    }
    return ok ? 0 : 1;
  } finally {
    await target.client.close();
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
