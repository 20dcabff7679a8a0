import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { assertWritable } from '../core/reconcile.js';
import { apply, type ApplyEvent, type ChangeResult } from '../engine/apply.js';
import { InferctlError } from '../errors.js';
import type { EndpointManifest } from '../manifest/load.js';
import { renderPlanText } from '../render/plan.js';
import type { Style } from '../render/diagnostics.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { prepare } from '../core/session.js';
import { inventoryRecord, sentSecrets } from '../core/records.js';
import { PLAN_CHANGE_HELP, PLAN_CHANGE_OPTIONS, planChangeOptions } from './plan.js';
import { whoAmI } from '../inventory/cluster.js';
import type { HeldLock } from '../inventory/types.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';
import { styleFor, usageError } from './util.js';

const help = `Usage: inferctl apply [PATH...] [options]

Plans (as inferctl plan does), shows the plan, and carries it out: creates, _updates, replaces (DELETE
then PUT) and, with --prune, deletes endpoints, a few at a time. Every write is read back and compared
with the manifest: a field Elasticsearch silently ignored is a failure, not a success. In-cluster
endpoints are waited for until their model deployment is allocated. Blocked changes are never carried
out. Each change is recorded in the inventory as soon as it is made; a lock keeps two applies apart.

Options:
  --plan FILE                apply only if the fresh plan has the checksum of FILE (from plan --out):
                             refuses when the cluster or the manifests moved since review
  --yes                      do not ask for confirmation (required without a terminal)
  --concurrency N            changes carried out at once (default 4)
  --no-wait                  do not wait for in-cluster deployments
  --wait-timeout DURATION    how long to wait for a deployment (default 10m; e.g. 90s, 5m)
  --lock-timeout DURATION    how long to wait for another apply to finish (default 2m)
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
    let held: HeldLock | undefined;
    try {
      const prepared = await prepare(target, io, {
        ...planChangeOptions(values),
        // The lock is taken before the inventory is read and the plan made, so that the plan describes
        // the cluster as this apply will find it.
        beforeInventory: async ({ lock }) => {
          held = await lock.acquire(whoAmI('inferctl apply'), { timeoutMs: lockTimeoutMs, ttlMs: 120_000 });
        },
      });
      const { plan, snapshot, manifests, inventory, owned } = prepared;
      io.stdout.write(renderPlanText(plan, style));
      if (reviewed !== undefined && reviewed !== plan.checksum) {
        throw new InferctlError(
          'plan_changed',
          `the plan is not the one reviewed: ${values.plan} has ${reviewed}, the cluster and manifests now give ${plan.checksum}`,
          { hint: 'the cluster or the manifests moved since the plan was made: review a new plan' },
        );
      }
      const byId = new Map(manifests.map((m) => [m.id, m]));
      const record = (manifest: EndpointManifest, sent: boolean) =>
        inventory.put(
          inventoryRecord(
            manifest,
            sent ? owned.salt : undefined,
            owned.records.get(manifest.id),
            plan.checksum,
            io.env,
          ),
        );
      // Declared endpoints already as declared but not yet owned (created before inferctl, or by an
      // older one) are owned from now on: declaring them is managing them.
      const adoptions = manifests.filter((m) => !owned.records.has(m.id) && plan.unchanged.includes(m.id));
      if (plan.changes.length === 0) {
        if (adoptions.length) assertWritable(snapshot.capabilities);
        for (const m of adoptions) await record(m, false);
        return EXIT.ok;
      }
      assertWritable(snapshot.capabilities);
      const blocked = plan.changes.filter((c) => c.blocked);
      if (blocked.length) {
        throw new InferctlError(
          'plan_blocked',
          `the plan has ${blocked.length} blocked change${blocked.length === 1 ? '' : 's'} (${blocked.map((c) => c.id).join(', ')}); nothing was changed`,
          { hint: blocked[0]!.blocked!.hint },
        );
      }
      if (!values.yes && !(await confirm(io))) {
        io.stderr.write('Apply cancelled.\n');
        return EXIT.error;
      }
      const controller = new AbortController();
      void io.stopSignal.then((signal) => {
        io.stderr.write(`\n${signal}: finishing the changes in flight, starting no new ones…\n`);
        controller.abort();
      });
      held?.lost.addEventListener('abort', () => {
        io.stderr.write('\nThe apply lock was lost (another run took it over): starting no new changes.\n');
        controller.abort();
      });
      for (const m of adoptions) await record(m, false);
      const progress = progressPrinter(io, style);
      const result = await apply(plan, manifests, target.client, snapshot.capabilities, {
        concurrency,
        wait: !values['no-wait'],
        waitTimeoutMs,
        onEvent: progress,
        signal: controller.signal,
        onWritten: async (change) => {
          try {
            if (change.action === 'delete') await inventory.remove(change.id);
            else {
              const manifest = byId.get(change.id)!;
              await record(manifest, sentSecrets(change, manifest, snapshot));
            }
          } catch (error) {
            io.stderr.write(
              `warning: ${change.id} was changed but could not be recorded in the ${inventory.description}: ${(error as Error).message}\n`,
            );
          }
        },
      });
      io.stdout.write(renderSummary(result.results, result.summary, style, controller.signal.aborted));
      return result.summary.succeeded === result.results.length ? EXIT.ok : EXIT.error;
    } finally {
      await held?.release().catch(() => undefined);
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
