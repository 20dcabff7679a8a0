/**
 * Drift reports as text, markdown (the scheduled job's issue) and JSON (`schemas/drift.schema.json`).
 */
import type { DriftEntry, DriftReport } from '../engine/drift.js';
import { sortKeys } from '../util/json.js';
import { plain, type Style } from './diagnostics.js';
import { show } from './plan.js';

const LABEL: Record<DriftEntry['status'], string> = {
  'in-sync': 'in sync',
  drifted: 'DRIFTED',
  missing: 'MISSING',
  unmanaged: 'unmanaged',
};

export function renderDriftText(report: DriftReport, style: Style = plain): string {
  const out: string[] = [
    style.bold(`Drift on ${report.target.url} (${product(report)} ${report.target.version})`),
    '',
  ];
  for (const e of report.endpoints) {
    if (e.status === 'in-sync') continue;
    const color = e.status === 'unmanaged' ? style.yellow : style.red;
    out.push(
      `  ${color(LABEL[e.status])} ${style.bold(e.id)}${e.service ? style.dim(` (${e.service}, ${e.taskType})`) : ''}${e.object_id ? style.dim(` (id ${e.object_id})`) : ''}`,
    );
    for (const f of e.fields ?? [])
      out.push(
        `      ${f.path.slice(1).replace(/\//g, '.')}: live ${show(f.live)}, declared ${show(f.desired)}`,
      );
    if (e.secrets === 'changed')
      out.push('      secrets: the manifest’s secret changed since the last apply');
    if (e.detail) out.push(style.dim(`      ${e.detail}`));
    out.push(style.dim(`      fix: ${fixText(e)}`));
    out.push('');
  }
  const unverified = report.endpoints.filter((e) => e.secrets === 'cannot-verify').map((e) => e.id);
  if (unverified.length)
    out.push(style.dim(`Secrets cannot be verified (no fingerprint recorded): ${unverified.join(', ')}`), '');
  const s = report.summary;
  out.push(
    report.drifted
      ? `${style.red('Drift:')} ${s.drifted} drifted, ${s.missing} missing, ${s.unmanaged} unmanaged, ${s.in_sync} in sync.`
      : style.green(`No drift. ${s.in_sync} ${things(report)} in sync.`),
  );
  return out.join('\n') + '\n';
}

function fixText(e: DriftEntry): string {
  switch (e.fix) {
    case 'in-place':
      return 'inferctl drift --fix (or apply) restores it in place';
    case 'create':
      return 'inferctl drift --fix (or apply) creates it again';
    case 'replace':
      return e.kind === 'OpenSearchModel'
        ? 'a reviewed inferctl apply (the model must be registered again: a new id)'
        : 'a reviewed inferctl apply (it must be replaced)';
    case 'downtime':
      return 'a reviewed inferctl apply --allow-disruption (models are undeployed while it runs)';
    case 'review':
      return 'review: declare it in git, or leave it';
  }
}

export function renderDriftMarkdown(report: DriftReport): string {
  const s = report.summary;
  const out = [`### inferctl drift — ${report.target.url} (${product(report)} ${report.target.version})`, ''];
  if (!report.drifted) {
    out.push(`**No drift.** ${s.in_sync} ${things(report)} in sync.`);
    return out.join('\n') + '\n';
  }
  out.push(
    `**${s.drifted}** drifted · **${s.missing}** missing · **${s.unmanaged}** unmanaged · ${s.in_sync} in sync`,
    '',
  );
  out.push(
    `| ${report.flavor === 'opensearch' ? 'Object' : 'Endpoint'} | Status | What differs | Fix |`,
    '|---|---|---|---|',
  );
  for (const e of report.endpoints) {
    if (e.status === 'in-sync') continue;
    const what =
      (e.fields ?? [])
        .map((f) => `\`${f.path.slice(1).replace(/\//g, '.')}\`: ${show(f.live)} → ${show(f.desired)}`)
        .join('<br>') ||
      (e.detail ?? '');
    out.push(`| \`${e.id}\` | ${LABEL[e.status]} | ${what.replace(/\|/g, '\\|')} | ${fixText(e)} |`);
  }
  return out.join('\n') + '\n';
}

function product(report: DriftReport): string {
  return report.flavor === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
}

function things(report: DriftReport): string {
  return report.flavor === 'opensearch' ? 'objects' : 'endpoints';
}

export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify(sortKeys(report), null, 2) + '\n';
}
