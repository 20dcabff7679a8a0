import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../render/plan.js';
import { EXIT, type Command } from './command.js';
import { prepare } from './prepare.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';
import { styleFor, usageError } from './util.js';

const help = `Usage: inferctl plan [PATH...] [options]

Shows what apply would change on the cluster, and why: per endpoint create, update (in place with
_update), replace (delete, then create: for fields this version cannot change in place) or nothing.
Reads the cluster in two requests whatever the number of endpoints. Changes nothing.

PATH is a manifest file or directory (default: the --cluster's paths, else the current directory).

Options:
  --format text|markdown|json  output (default text; json follows schemas/plan.schema.json)
  --out FILE                 also write the plan as JSON, for apply --plan FILE
  --detailed-exitcode        exit 2 when there are changes (0 none, 1 error)
  --rotate-secrets           plan to resend every secret (fingerprints cannot see a secret you
                             rotated at the provider under the same value)
  --allow-literal-secrets    accept secrets written in manifests (throw-away clusters only)

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
        'rotate-secrets': { type: 'boolean', default: false },
        'allow-literal-secrets': { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    if (!['text', 'markdown', 'json'].includes(values.format))
      throw usageError(`--format must be text, markdown or json, not "${values.format}"`);
    const target = resolveTarget(values, positionals, io);
    try {
      const { plan } = await prepare(target, io, {
        rotateSecrets: values['rotate-secrets'],
        allowLiteralSecrets: values['allow-literal-secrets'],
      });
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
