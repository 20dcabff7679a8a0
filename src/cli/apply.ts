import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { runApply } from '../core/run-apply.js';
import { probeCluster } from '../core/reconcile.js';
import { runApplyOpenSearch } from '../core/run-apply-opensearch.js';
import { renderOpenSearchPlanText } from '../opensearch/index.js';
import type { ApplyEvent, ChangeResult } from '../engine/apply.js';
import { InferctlError } from '../errors.js';
import { renderPlanText } from '../render/plan.js';
import type { Style } from '../render/diagnostics.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { PLAN_CHANGE_HELP, PLAN_CHANGE_OPTIONS, planChangeOptions, warnTargets } from './plan.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';
import { styleFor, usageError } from './util.js';

const help = `Usage: inferctl apply [PATH...] [options]

Plans (as inferctl plan does), shows the plan, and carries it out: creates, _updates, replaces (DELETE
then PUT) and, with --prune, deletes endpoints, a few at a time. Every write is read back and compared
with the manifest: a field Elasticsearch silently ignored is a failure, not a success. In-cluster
endpoints are waited for until their model deployment is allocated. Blocked changes are never carried
out. Each change is recorded in the inventory as soon as it is made; a lock keeps two applies apart.

On OpenSearch: connectors, model groups and models in dependency order (independent ones side by side),
deployments waited for until DEPLOYED, every object's generated id recorded as soon as it exists.

Options:
  --plan FILE                apply only if the fresh plan has the checksum of FILE (from plan --out):
                             refuses when the cluster or the manifests moved since review
  --yes                      do not ask for confirmation (required without a terminal)
  --concurrency N            changes carried out at once (default 4)
  --no-wait                  do not wait for in-cluster deployments (OpenSearch: for DEPLOYED)
  --wait-timeout DURATION    how long to wait for a deployment (default 10m; e.g. 90s, 5m)
  --lock-timeout DURATION    how long to wait for another apply to finish (default 2m)
  --rollback-on-failure      when a replacement's create fails after its delete, recreate the old
                             configuration (else apply prints the request that restores it);
                             Elasticsearch only
${PLAN_CHANGE_HELP}

${TARGET_HELP}

Exit status: 0 when every change succeeded (or there was none), 1 otherwise.`;

export const applyCommand: Command = {
  name: 'apply',
  summary: 'carry out the plan, verify every write, wait for deployments',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        ...PLAN_CHANGE_OPTIONS,
        plan: { type: 'string' },
        yes: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '4' },
        'no-wait': { type: 'boolean', default: false },
        'wait-timeout': { type: 'string', default: '10m' },
        'lock-timeout': { type: 'string', default: '2m' },
        'rollback-on-failure': { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    const concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw usageError('--concurrency must be a whole number from 1 to 64');
    const waitTimeoutMs = parseDuration(values['wait-timeout']);
    const lockTimeoutMs = parseDuration(values['lock-timeout']);
    const reviewed = values.plan ? readReviewedChecksum(resolve(io.cwd, values.plan)) : undefined;

    const target = resolveTarget(values, positionals, io);
    const style = styleFor(io.stdout, io.env);
    const interrupt = new AbortController();
    void io.stopSignal.then((signal) => {
      io.stderr.write(`\n${signal}: finishing the changes in flight, starting no new ones…\n`);
      interrupt.abort();
    });
    warnTargets(values.target, io);
    try {
      // OpenSearch clusters have their own objects and flow (connectors, model groups, models).
      if ((await probeCluster(target.client)).flavor === 'opensearch') {
        if (values.target?.length)
          throw usageError('--target selects Elasticsearch inference endpoints; this cluster is OpenSearch');
        const os = await runApplyOpenSearch(target, io, {
          plan: planChangeOptions(values),
          lockOwner: 'inferctl apply',
          lockTimeoutMs,
          waitTimeoutMs,
          concurrency,
          wait: !values['no-wait'],
          ...(reviewed !== undefined ? { expectedChecksum: reviewed, reviewedFrom: values.plan } : {}),
          onPlan: ({ plan }) => void io.stdout.write(renderOpenSearchPlanText(plan, style)),
          ...(values.yes ? {} : { confirm: () => confirm(io) }),
          onEvent: (event) => {
            if (event.type === 'waiting') io.stdout.write(`… ${event.key}: ${event.detail}\n`);
            if (event.type === 'change-end') {
              const r = event.result;
              const mark =
                r.outcome === 'succeeded'
                  ? style.green('✓')
                  : r.outcome === 'failed'
                    ? style.red('✗')
                    : style.yellow('-');
              io.stdout.write(`${mark} ${r.key}: ${r.message}\n`);
            }
          },
          signal: interrupt.signal,
          onLockLost: () =>
            io.stderr.write(
              '\nThe apply lock was lost (another run took it over): starting no new changes.\n',
            ),
        });
        if (os.status === 'no-changes') return EXIT.ok;
        if (os.status === 'cancelled') {
          io.stderr.write('Apply cancelled.\n');
          return EXIT.error;
        }
        const counts = Object.entries(os.result.summary)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`);
        const ok = os.result.summary.succeeded === os.result.results.length;
        io.stdout.write(
          `\n${ok ? style.green('Apply complete:') : style.red(os.interrupted ? 'Apply interrupted:' : 'Apply incomplete:')} ${counts.join(', ')}.\n`,
        );
        return ok ? EXIT.ok : EXIT.error;
      }
      const outcome = await runApply(target, io, {
        plan: planChangeOptions(values),
        lockOwner: 'inferctl apply',
        lockTimeoutMs,
        ...(reviewed !== undefined ? { expectedChecksum: reviewed, reviewedFrom: values.plan } : {}),
        concurrency,
        rollbackOnFailure: values['rollback-on-failure'],
        wait: !values['no-wait'],
        waitTimeoutMs,
        onPlan: ({ plan }) => void io.stdout.write(renderPlanText(plan, style)),
        ...(values.yes ? {} : { confirm: () => confirm(io) }),
        onEvent: progressPrinter(io, style),
        signal: interrupt.signal,
        onLockLost: () =>
          io.stderr.write('\nThe apply lock was lost (another run took it over): starting no new changes.\n'),
        onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
      });
      if (outcome.status === 'no-changes') return EXIT.ok;
      if (outcome.status === 'cancelled') {
        io.stderr.write('Apply cancelled.\n');
        return EXIT.error;
      }
      const { result, interrupted } = outcome;
      io.stdout.write(renderSummary(result.results, result.summary, style, interrupted));
      return result.summary.succeeded === result.results.length ? EXIT.ok : EXIT.error;
    } finally {
      await target.client.close();
    }
  },
};

async function confirm(io: CliIO): Promise<boolean> {
  const stdin = io.stdin;
  if (!stdin || !(stdin as { isTTY?: boolean }).isTTY || !io.stdout.isTTY) {
    throw new InferctlError(
      'confirmation_needed',
      'apply needs confirmation and there is no terminal to ask',
      {
        hint: 'review the plan above and pass --yes (in CI, use apply --plan FILE --yes with the reviewed plan)',
      },
    );
  }
  const rl = createInterface({ input: stdin, output: io.stdout });
  try {
    const answer = await rl.question("Apply these changes? Only 'yes' will be accepted: ");
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

function progressPrinter(io: CliIO, style: Style): (event: ApplyEvent) => void {
  const live = Boolean(io.stdout.isTTY);
  let waitingLine = false;
  const clear = () => {
    if (waitingLine) io.stdout.write('\r\x1b[K');
    waitingLine = false;
  };
  return (event) => {
    switch (event.type) {
      case 'change-start':
      case 'request':
        return;
      case 'written':
        clear();
        io.stdout.write(`${style.dim('…')} ${event.id}: sent ${event.requests.join(', ')}\n`);
        return;
      case 'waiting':
        if (live) {
          clear();
          io.stdout.write(`${style.dim('…')} ${event.id}: waiting for the deployment (${event.detail})`);
          waitingLine = true;
        } else {
          io.stdout.write(`… ${event.id}: waiting for the deployment (${event.detail})\n`);
        }
        return;
      case 'change-end': {
        clear();
        const r = event.result;
        const mark =
          r.outcome === 'succeeded'
            ? style.green('✓')
            : r.outcome === 'failed'
              ? style.red('✗')
              : style.yellow('-');
        io.stdout.write(
          `${mark} ${r.id}: ${r.message}${r.requests.length ? style.dim(` [${r.requests.join(', ')}]`) : ''}\n`,
        );
        if (r.error?.hint && r.outcome !== 'succeeded')
          io.stdout.write(`    ${style.dim('hint:')} ${r.error.hint}\n`);
        return;
      }
    }
  };
}

function renderSummary(
  results: readonly ChangeResult[],
  summary: Record<string, number>,
  style: Style,
  interrupted: boolean,
): string {
  const parts = Object.entries(summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const ok = summary['succeeded'] === results.length;
  const head = ok
    ? style.green('Apply complete:')
    : style.red(interrupted ? 'Apply interrupted:' : 'Apply incomplete:');
  return `\n${head} ${parts.join(', ')}.\n`;
}

function readReviewedChecksum(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InferctlError(
      'plan_unreadable',
      `cannot read the plan file ${path}: ${(error as NodeJS.ErrnoException).code ?? ''}`,
      {
        hint: 'write it with inferctl plan --out FILE',
      },
    );
  }
  const checksum = (() => {
    try {
      return (JSON.parse(text) as { checksum?: unknown }).checksum;
    } catch {
      return undefined;
    }
  })();
  if (typeof checksum !== 'string')
    throw new InferctlError('plan_invalid', `${path} is not a plan written by inferctl plan --out`);
  return checksum;
}

/** `90s`, `5m`, `1h`, `1500ms` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw usageError(`not a duration: "${text}" (write e.g. 90s, 5m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}
