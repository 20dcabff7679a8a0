import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportEndpoints } from '../core/export.js';
import { probeCluster, readCluster } from '../core/reconcile.js';
import { createOpenSearchMlClient, readOpenSearch } from '../opensearch/index.js';
import { exportOpenSearch } from '../opensearch/export.js';
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS, type Target } from './target.js';

const help = `Usage: inferctl export [options]

Writes manifests for the endpoints on the cluster (preconfigured "." endpoints excluded), so that an
existing cluster can be managed from git. Settings the server filled in are left out (a plan does not
compare them); secrets, which Elasticsearch never returns, become { secretRef: { env: ID_FIELD } }
placeholders: set those variables (or change the references) and the next plan shows no changes.

On OpenSearch: connectors, model groups and remote models (local and hidden models skipped), the
models referring to their group and connector by name; credential keys are read from the connector's
\${credential.x} placeholders, each a { secretRef: { env: NAME_KEY } }.

Options:
  --out DIR                  one file per endpoint in DIR (<id>.yaml; on OpenSearch
                             connector-<name>.yaml, model-group-<name>.yaml, model-<name>.yaml);
                             default: all to stdout

${TARGET_HELP}`;

/** `export` on OpenSearch: connectors, model groups and remote models, references by name. */
async function exportFromOpenSearch(
  target: Target,
  caps: OpenSearchCapabilities,
  out: string | undefined,
  io: CliIO,
): Promise<number> {
  const live = await readOpenSearch(createOpenSearchMlClient(target.client), [], new Map(), {
    everything: true,
  });
  const { objects, skipped } = exportOpenSearch(live, caps);
  if (out) {
    const dir = resolve(io.cwd, out);
    mkdirSync(dir, { recursive: true });
    for (const o of objects) writeFileSync(join(dir, openSearchFileName(o.kind, o.name)), o.yaml);
    io.stdout.write(`Wrote ${objects.length} manifest${objects.length === 1 ? '' : 's'} to ${out}.\n`);
  } else {
    io.stdout.write(objects.map((o) => o.yaml).join('---\n'));
  }
  const env = objects.flatMap((o) => o.env);
  if (env.length)
    io.stderr.write(`Set these variables to the connectors' credentials before planning: ${env.join(' ')}\n`);
  for (const o of objects) for (const w of o.warnings) io.stderr.write(`warning: ${w}\n`);
  for (const s of skipped) io.stderr.write(`skipped ${s.key} (id ${s.id}): ${s.reason}\n`);
  if (objects.length)
    io.stderr.write(
      `To let inferctl own them (and --prune delete them once undeclared): inferctl adopt ${objects.map((o) => shellQuote(o.key)).join(' ')}\n`,
    );
  return EXIT.ok;
}

/**
 * A word a POSIX shell reads back as `value`: as is when only safe characters, else in single quotes (OpenSearch
 * names are free text: "Amazon Bedrock Connector: embedding").
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9._\-/:=@%+,]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `connector-openai-embeddings.yaml`: the kind, then the name made safe for a file system. */
export function openSearchFileName(kind: string, name: string): string {
  const prefix =
    kind === 'OpenSearchConnector' ? 'connector' : kind === 'OpenSearchModelGroup' ? 'model-group' : 'model';
  return `${prefix}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.yaml`;
}

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
      const probed = await probeCluster(target.client);
      if (probed.flavor === 'opensearch')
        return await exportFromOpenSearch(target, probed.capabilities, values.out, io);
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
