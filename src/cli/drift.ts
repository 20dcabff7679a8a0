import { parseArgs } from 'node:util';
import { assertWritable } from '../core/reconcile.js';
import { prepare } from '../core/session.js';
import { apply } from '../engine/apply.js';
import { driftReport, safeFixes } from '../engine/drift.js';
import { whoAmI } from '../inventory/cluster.js';
import { inventoryRecord, sentSecrets } from '../core/records.js';
import type { HeldLock } from '../inventory/types.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../render/drift.js';
import { EXIT, type Command } from './command.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';
import { styleFor, usageError } from './util.js';

const help = `Usage: inferctl drift [PATH...] [options]

Compares the cluster with the manifests (check out the deployed commit first) and reports, per
endpoint: in sync; drifted (which fields, live vs declared; secrets cannot be verified unless the
inventory's fingerprints tell); missing (deleted out of band, or never applied); unmanaged (on the
cluster but not in git; preconfigured "." endpoints excluded). Changes nothing, unless --fix.

Options:
  --format text|markdown|json  output (default text; json follows schemas/drift.schema.json)
  --fix                      re-apply what is safe to re-apply: creates and in-place updates; the
                             rest (replacements, unmanaged endpoints) is left to a reviewed apply
  --lock-timeout DURATION    with --fix: how long to wait for another apply (default 2m)

${TARGET_HELP}

Exit status: 0 in sync, 2 drift found (after --fix: drift left), 1 error.`;

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
    const target = resolveTarget(values, positionals, io);
    let held: HeldLock | undefined;
    let flushInventory: (() => Promise<void>) | undefined;
    try {
      const prepared = await prepare(target, io, {
        ...(values.fix
          ? {
              beforeInventory: async ({ lock }) => {
                held = await lock.acquire(whoAmI('inferctl drift --fix'), {
                  timeoutMs: 120_000,
                  ttlMs: 120_000,
                });
              },
            }
          : {}),
      });
      flushInventory = prepared.inventory.flush?.bind(prepared.inventory);
      let report = driftReport(prepared.plan, new Set(prepared.owned.records.keys()));
      if (values.fix && report.drifted) {
        const fixes = safeFixes(prepared.plan);
        if (fixes.changes.length) {
          assertWritable(prepared.snapshot.capabilities);
          const result = await apply(
            fixes,
            prepared.manifests,
            target.client,
            prepared.snapshot.capabilities,
            {
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
                  ),
                );
              },
            },
          );
          for (const r of result.results)
            io.stderr.write(`${r.outcome === 'succeeded' ? 'fixed' : r.outcome}: ${r.id}: ${r.message}\n`);
          // What is left: plan again.
          const after = await prepare(target, io, {});
          report = driftReport(after.plan, new Set(after.owned.records.keys()));
        }
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
