import { parseArgs } from 'node:util';
import { assertWritable } from '../core/reconcile.js';
import { prepare, prepareCluster, type Prepared, type PreparedOpenSearch } from '../core/session.js';
import { apply } from '../engine/apply.js';
import { driftReport, safeFixes, type DriftReport } from '../engine/drift.js';
import {
  applyOpenSearch,
  openSearchDriftReport,
  ownedIds,
  safeOpenSearchFixes,
} from '../opensearch/index.js';
import { whoAmI } from '../inventory/cluster.js';
import { createdOnFor, inventoryRecord, sentSecrets } from '../core/records.js';
import type { HeldLock, Lock } from '../inventory/types.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../render/drift.js';
import { parseDuration } from './apply.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS, type Target } from './target.js';
import { styleFor, usageError } from './util.js';

const help = `Usage: inferctl drift [PATH...] [options]

Compares the cluster with the manifests (check out the deployed commit first) and reports, per
endpoint (on OpenSearch: connector, model group, model): in sync; drifted (which fields, live vs
declared; secrets cannot be verified unless the inventory's fingerprints tell; on OpenSearch also a
model declared deployed that is not); missing (deleted out of band, or never applied); unmanaged (on
the cluster but not in git; preconfigured "." endpoints and hidden models excluded). Changes nothing,
unless --fix.

Options:
  --format text|markdown|json  output (default text; json follows schemas/drift.schema.json)
  --fix                      re-apply what is safe to re-apply: creates, in-place updates (and on
                             OpenSearch deploys); the rest (replacements, connector updates that
                             undeploy models, unmanaged objects) is left to a reviewed apply
  --lock-timeout DURATION    with --fix: how long to wait for another apply (default 2m)

${TARGET_HELP}

Exit status: 0 in sync, 2 drift found (after --fix: drift left), 1 error.`;

/** `drift --fix` on Elasticsearch: creates and in-place updates, then the report of what is left. */
async function fixElasticsearch(
  prepared: Prepared,
  target: Target,
  io: CliIO,
  report: DriftReport,
): Promise<DriftReport> {
  const fixes = safeFixes(prepared.plan);
  if (!fixes.changes.length) return report;
  assertWritable(prepared.snapshot.capabilities);
  const result = await apply(fixes, prepared.manifests, target.client, prepared.snapshot.capabilities, {
    onWritten: async (change) => {
      const m = prepared.manifests.find((x) => x.id === change.id)!;
      const sent = sentSecrets(change, m, prepared.snapshot);
      await prepared.inventory.put(
        inventoryRecord(
          m,
          sent ? prepared.owned.salt : undefined,
          prepared.owned.records.get(m.id),
          fixes.checksum,
          io.env,
          createdOnFor(change, prepared.snapshot.capabilities.version),
        ),
      );
    },
  });
  for (const r of result.results)
    io.stderr.write(`${r.outcome === 'succeeded' ? 'fixed' : r.outcome}: ${r.id}: ${r.message}\n`);
  // What is left: plan again.
  const after = await prepare(target, io, {});
  return driftReport(after.plan, new Set(after.owned.records.keys()));
}

/** Drift on OpenSearch, and with `fix` the safe part carried out (creates, in-place updates, deploys). */
async function openSearchDrift(
  prepared: PreparedOpenSearch,
  fix: boolean,
  io: CliIO,
  target: Target,
  lockLost?: AbortSignal,
): Promise<DriftReport> {
  const report = openSearchDriftReport(prepared.plan, prepared.live, ownedIds(prepared.owned));
  if (!fix || !report.drifted) return report;
  const fixes = safeOpenSearchFixes(prepared.plan);
  if (!fixes.changes.length) return report;
  const result = await applyOpenSearch(fixes, prepared.manifests, prepared.ml, prepared.capabilities, {
    inventory: prepared.inventory,
    salt: prepared.owned.salt,
    appliedBy: whoAmI('inferctl drift --fix').owner,
    ...(io.env['GITHUB_SHA'] ? { gitCommit: io.env['GITHUB_SHA'] } : {}),
    // Another run took the lock over: start nothing more.
    ...(lockLost ? { signal: lockLost } : {}),
  });
  for (const r of result.results)
    io.stderr.write(`${r.outcome === 'succeeded' ? 'fixed' : r.outcome}: ${r.key}: ${r.message}\n`);
  const after = await prepareCluster(target, io, { readEverything: true });
  if (after.flavor !== 'opensearch') return report;
  return openSearchDriftReport(after.plan, after.live, ownedIds(after.owned));
}

export const driftCommand: Command = {
  name: 'drift',
  summary: 'report what changed on the cluster behind git’s back',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        format: { type: 'string', default: 'text' },
        fix: { type: 'boolean', default: false },
        'lock-timeout': { type: 'string', default: '2m' },
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    if (!['text', 'markdown', 'json'].includes(values.format))
      throw usageError(`--format must be text, markdown or json, not "${values.format}"`);
    const lockTimeoutMs = parseDuration(values['lock-timeout']);
    const target = resolveTarget(values, positionals, io);
    let held: HeldLock | undefined;
    let flushInventory: (() => Promise<void>) | undefined;
    try {
      const lockBefore = async (lock: Lock) => {
        held = await lock.acquire(whoAmI('inferctl drift --fix'), {
          timeoutMs: lockTimeoutMs,
          ttlMs: 120_000,
        });
      };
      const prepared = await prepareCluster(target, io, {
        ...(values.fix ? { beforeInventory: ({ lock }) => lockBefore(lock), beforeLock: lockBefore } : {}),
        readEverything: true,
      });
      let report: DriftReport;
      if (prepared.flavor === 'opensearch') {
        report = await openSearchDrift(prepared, values.fix, io, target, held?.lost);
      } else {
        flushInventory = prepared.inventory.flush?.bind(prepared.inventory);
        report = driftReport(prepared.plan, new Set(prepared.owned.records.keys()));
        if (values.fix && report.drifted) report = await fixElasticsearch(prepared, target, io, report);
      }
      const output =
        values.format === 'json'
          ? renderDriftJson(report)
          : values.format === 'markdown'
            ? renderDriftMarkdown(report)
            : renderDriftText(report, styleFor(io.stdout, io.env));
      io.stdout.write(output);
      return report.drifted ? EXIT.changes : EXIT.ok;
    } finally {
      await flushInventory?.().catch(() => undefined);
      await held?.release().catch(() => undefined);
      await target.client.close();
    }
  },
};
