import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportEndpoints } from '../core/export.js';
import { readCluster } from '../core/reconcile.js';
import { EXIT, type Command } from './command.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './target.js';

const help = `Usage: inferctl export [options]

Writes manifests for the endpoints on the cluster (preconfigured "." endpoints excluded), so that an
existing cluster can be managed from git. Settings the server filled in are left out (a plan does not
compare them); secrets, which Elasticsearch never returns, become { secretRef: { env: ID_FIELD } }
placeholders: set those variables (or change the references) and the next plan shows no changes.

Options:
  --out DIR                  one file per endpoint in DIR (<id>.yaml); default: all to stdout

${TARGET_HELP}`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write manifests for the endpoints already on a cluster',
  help,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: { ...TARGET_OPTIONS, out: { type: 'string' } },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    const target = resolveTarget(values, [], io);
    try {
      const snapshot = await readCluster(target.client);
      const { manifests, skipped } = exportEndpoints(snapshot.live, snapshot.capabilities);
      if (values.out) {
        const dir = resolve(io.cwd, values.out);
        mkdirSync(dir, { recursive: true });
        for (const m of manifests) writeFileSync(join(dir, `${m.id}.yaml`), m.yaml);
        io.stdout.write(
          `Wrote ${manifests.length} manifest${manifests.length === 1 ? '' : 's'} to ${values.out}.\n`,
        );
      } else {
        io.stdout.write(manifests.map((m) => m.yaml).join('---\n'));
      }
      const env = manifests.flatMap((m) => m.env);
      if (env.length)
        io.stderr.write(`Set these variables to the endpoints' secrets before planning: ${env.join(' ')}\n`);
      for (const s of skipped) io.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
      return EXIT.ok;
    } finally {
      await target.client.close();
    }
  },
};
