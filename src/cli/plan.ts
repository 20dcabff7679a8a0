import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../render/plan.js';
import { EXIT, type Command } from './command.js';
import { prepareCluster } from '../core/session.js';
import {
  renderOpenSearchPlanJson,
  renderOpenSearchPlanMarkdown,
  renderOpenSearchPlanText,
} from '../opensearch/index.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';
import { styleFor, usageError } from './util.js';

/** Options that change what a plan contains: shared by plan and apply (an apply re-plans). */
export const PLAN_CHANGE_OPTIONS = {
  'rotate-secrets': { type: 'boolean', default: false },
  'allow-literal-secrets': { type: 'boolean', default: false },
  prune: { type: 'boolean', default: false },
  'max-deletes': { type: 'string' },
  'allow-delete-all': { type: 'boolean', default: false },
  'allow-disruption': { type: 'string', multiple: true },
  'allow-incompatible': { type: 'string', multiple: true },
  target: { type: 'string', multiple: true },
} as const;

export const PLAN_CHANGE_HELP = `  --target ID                plan only endpoint ID (declared or live; repeat for several): the rest
                             of the manifests and the cluster is left out, pruning too
  --prune                    delete endpoints inferctl owns that are no longer declared (never others)
  --max-deletes N            most deletions a plan may make (default 1 when pruning)
  --allow-delete-all         allow a plan that deletes every endpoint inferctl manages here
  --allow-disruption ID      replace or delete ID although indices or pipelines use it (force);
                             repeat for several ids
  --allow-incompatible ID    ... even when the replacement changes what those indices depend on
                             (task type, dimensions, similarity, element type, the model)
  --rotate-secrets           resend every secret (fingerprints cannot see a secret rotated at the
                             provider under the same value)
  --allow-literal-secrets    accept secrets written in manifests (throw-away clusters only)`;

export function planChangeOptions(values: {
  'rotate-secrets'?: boolean;
  'allow-literal-secrets'?: boolean;
  prune?: boolean;
  'max-deletes'?: string;
  'allow-delete-all'?: boolean;
  'allow-disruption'?: string[];
  'allow-incompatible'?: string[];
  target?: string[];
}) {
  const max = values['max-deletes'];
  if (max !== undefined && !/^\d+$/.test(max)) throw usageError('--max-deletes must be a whole number');
  return {
    rotateSecrets: Boolean(values['rotate-secrets']),
    allowLiteralSecrets: Boolean(values['allow-literal-secrets']),
    prune: Boolean(values.prune),
    ...(max !== undefined ? { maxDeletes: Number(max) } : {}),
    allowDeleteAll: Boolean(values['allow-delete-all']),
    allowDisruption: values['allow-disruption'] ?? [],
    allowIncompatible: values['allow-incompatible'] ?? [],
    ...(values.target?.length ? { targets: values.target } : {}),
  };
}

/** Terraform's warning for `-target`: a partial plan is for exceptional cases, and says so. */
export function warnTargets(
  targets: readonly string[] | undefined,
  io: { stderr: { write(s: string): unknown } },
) {
  if (!targets?.length) return;
  io.stderr.write(
    `warning: --target ${targets.join(', ')}: only ${targets.length === 1 ? 'that endpoint is' : 'those endpoints are'} planned; the other manifests and endpoints are not compared, and nothing else is pruned\n`,
  );
}

const help = `Usage: inferctl plan [PATH...] [options]

Shows what apply would change on the cluster, and why: per endpoint create, update (in place with
_update), replace (delete, then create: for fields this version cannot change in place) or nothing.
Reads the cluster in two requests whatever the number of endpoints. Changes nothing.

PATH is a manifest file or directory (default: the --cluster's paths, else the current directory).

Options:
  --format text|markdown|json  output (default text; json follows schemas/plan.schema.json)
  --out FILE                 also write the plan as JSON, for apply --plan FILE
  --detailed-exitcode        exit 2 when there are changes (0 none, 1 error)
${PLAN_CHANGE_HELP}

${TARGET_HELP}`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what apply would change on the cluster, and why',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        format: { type: 'string', default: 'text' },
        out: { type: 'string' },
        'detailed-exitcode': { type: 'boolean', default: false },
        ...PLAN_CHANGE_OPTIONS,
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    if (!['text', 'markdown', 'json'].includes(values.format))
      throw usageError(`--format must be text, markdown or json, not "${values.format}"`);
    const target = resolveTarget(values, positionals, io);
    warnTargets(values.target, io);
    try {
      const prepared = await prepareCluster(target, io, planChangeOptions(values));
      if (prepared.flavor === 'opensearch') {
        const osPlan = prepared.plan;
        if (values.out) writeFileSync(resolve(io.cwd, values.out), renderOpenSearchPlanJson(osPlan));
        io.stdout.write(
          values.format === 'json'
            ? renderOpenSearchPlanJson(osPlan)
            : values.format === 'markdown'
              ? renderOpenSearchPlanMarkdown(osPlan)
              : renderOpenSearchPlanText(osPlan, styleFor(io.stdout, io.env)),
        );
        const changed = osPlan.changes.length > 0 || osPlan.conflicts.length > 0;
        return values['detailed-exitcode'] && changed ? EXIT.changes : EXIT.ok;
      }
      const { plan } = prepared;
      if (values.out) writeFileSync(resolve(io.cwd, values.out), renderPlanJson(plan));
      const output =
        values.format === 'json'
          ? renderPlanJson(plan)
          : values.format === 'markdown'
            ? renderPlanMarkdown(plan)
            : renderPlanText(plan, styleFor(io.stdout, io.env));
      io.stdout.write(output);
      return values['detailed-exitcode'] && plan.changes.length > 0 ? EXIT.changes : EXIT.ok;
    } finally {
      await target.client.close();
    }
  },
};
