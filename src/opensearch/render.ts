/**
 * OpenSearch plans as text (Terraform-like), markdown (the pull request comment) and JSON. Renderers only
 * format: every decision — order, downtime, blocks, hints — is already in the plan.
 */
import { plain, type Style } from '../render/diagnostics.js';
import { diffLine, escapeCell, markdownDiff } from '../render/plan.js';
import { sortKeys } from '../util/json.js';
import type { OpenSearchAction, OpenSearchChange, OpenSearchPlan } from './types.js';

const SYMBOL: Record<OpenSearchAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  deploy: '>',
  undeploy: '<',
};

const VERB: Record<OpenSearchAction, string> = {
  create: 'will be created',
  update: 'will be updated in place',
  replace: 'must be re-registered (deleted, then registered: a new id)',
  delete: 'will be deleted',
  deploy: 'will be deployed (and waited for until DEPLOYED)',
  undeploy: 'will be undeployed',
};

/** What a change does, in the words of its kind: a connector is replaced create-first, a model re-registered. */
function verb(change: OpenSearchChange): string {
  if (change.action === 'replace' && change.kind === 'OpenSearchConnector')
    return 'will be replaced without downtime (a new connector first, the models switched to it, then the old one deleted: a new id)';
  if (change.action === 'delete' && change.key.endsWith('#old'))
    return 'will be deleted (the old connector of a replacement)';
  return VERB[change.action];
}

function color(action: OpenSearchAction, style: Style): (s: string) => string {
  return action === 'create' || action === 'deploy'
    ? style.green
    : action === 'update'
      ? style.yellow
      : style.red;
}

function line(change: OpenSearchChange, style: Style): string[] {
  const out: string[] = [];
  const c = color(change.action, style);
  const id = change.id ? style.dim(` (${change.id})`) : '';
  out.push(
    `  ${c(SYMBOL[change.action])} ${style.bold(change.key.replace(/#.*$/, ''))}${id} ${verb(change)}`,
  );
  if (change.downtime) {
    const who = change.kind === 'OpenSearchConnector' ? 'the models that use it are' : 'the model is';
    out.push(`      ${style.red('DOWNTIME:')} ${who} unavailable until redeployed`);
  }
  if (change.blocked) {
    out.push(
      `      ${style.red('BLOCKED:')} ${change.blocked.reason}`,
      `      ${style.dim('hint:')} ${change.blocked.hint}`,
    );
  }
  for (const reason of change.reasons) {
    if (change.action === 'create') continue;
    const fields = reason.fields?.length
      ? style.dim(` (${reason.fields.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')})`)
      : '';
    out.push(`      ${style.dim('because')} ${reason.message}${fields}`);
  }
  for (const entry of diffOf(change)) out.push(diffLine(entry, style, 're-registration'));
  for (const warning of change.warnings ?? []) out.push(`      ${style.yellow('warning:')} ${warning}`);
  for (const hint of change.hints ?? []) out.push(`      ${style.dim('hint:')} ${hint}`);
  if (change.source) out.push(style.dim(`      declared at ${change.source.file}:${change.source.line}`));
  return out;
}

/**
 * The text plan, changes in the order they run.
 *
 * @example process.stdout.write(renderOpenSearchPlanText(plan, ansi))
 */
export function renderOpenSearchPlanText(plan: OpenSearchPlan, style: Style = plain): string {
  const out: string[] = [];
  out.push(style.bold(`Plan for ${plan.target.url} (OpenSearch ${plan.target.version}, ML Commons)`));
  if (plan.inventory) out.push(style.dim(`Ownership and credential fingerprints: ${plan.inventory}`));
  out.push('');
  for (const conflict of plan.conflicts)
    out.push(`  ${style.red('AMBIGUOUS:')} ${conflict.key}: ${conflict.message}`);
  if (plan.conflicts.length) out.push('');
  for (const change of plan.changes) out.push(...line(change, style), '');
  for (const note of plan.notes) out.push(style.dim(`Note: ${note}`));
  if (plan.notes.length) out.push('');
  out.push(summaryLine(plan, style));
  out.push(style.dim(`checksum ${plan.checksum}`));
  return out.join('\n') + '\n';
}

/** A deleted object's fields are shown as they go, without "forces re-registration" notes. */
function diffOf(change: OpenSearchChange): OpenSearchChange['diff'] {
  return change.action === 'delete'
    ? change.diff.map((e) => ({ ...e, mode: 'in-place' as const }))
    : change.diff;
}

/**
 * The markdown plan, for pull request comments: the summary, what needs attention (blocked, downtime,
 * re-registrations, deletes) in a warning, a table of changes in the order they run, each diff folded.
 *
 * @example await comment(renderOpenSearchPlanMarkdown(plan))
 */
export function renderOpenSearchPlanMarkdown(plan: OpenSearchPlan): string {
  const out: string[] = [];
  out.push(`### inferctl plan — ${plan.target.url} (OpenSearch ${plan.target.version}, ML Commons)`, '');
  const s = plan.summary;
  if (plan.changes.length === 0 && plan.conflicts.length === 0) {
    out.push(`**No changes.** ${s.unchanged} objects in sync.`);
  } else {
    out.push(
      `**${s.create}** to create · **${s.update}** to update · **${s.replace}** to re-register · **${s.delete}** to delete · **${s.deploy}** to deploy · **${s.undeploy}** to undeploy · ${s.unchanged} unchanged${s.downtime ? ` · ⚠️ **${s.downtime} with downtime**` : ''}${s.blocked ? ` · ⛔ **${s.blocked} blocked**` : ''}`,
      '',
    );
    const attention = plan.changes.filter(
      (c) => c.blocked || c.downtime || c.action === 'replace' || c.action === 'delete',
    );
    if (attention.length || plan.conflicts.length) {
      out.push('> [!WARNING]');
      for (const c of plan.conflicts) out.push(`> ⛔ **ambiguous** \`${c.key}\`: ${c.message}`);
      for (const c of attention) {
        const label = c.blocked
          ? '⛔ **blocked**'
          : c.downtime
            ? '**downtime**'
            : c.action === 'replace'
              ? c.kind === 'OpenSearchConnector'
                ? '**replace**'
                : '**re-register**'
              : '**delete**';
        out.push(
          `> ${label} \`${c.key}\`: ${c.blocked?.reason ?? c.reasons.map((r) => r.message).join('; ')}`,
        );
      }
      out.push('');
    }
    out.push('| | Object | Id | Why |', '|---|---|---|---|');
    for (const c of plan.changes) {
      const why = c.action === 'create' ? 'new' : c.reasons.map((r) => r.message).join('; ');
      out.push(`| ${SYMBOL[c.action]} | \`${c.key}\` | ${c.id ? `\`${c.id}\`` : ''} | ${escapeCell(why)} |`);
    }
    out.push('');
    for (const c of plan.changes) {
      out.push(
        `<details><summary><code>${SYMBOL[c.action]} ${c.key}</code> ${verb(c)}</summary>`,
        '',
        '```diff',
      );
      out.push(...markdownDiff(diffOf(c), 're-registration'));
      out.push('```');
      if (c.blocked) out.push(`- ⛔ ${c.blocked.reason} — ${c.blocked.hint}`);
      for (const w of c.warnings ?? []) out.push(`- ⚠️ ${w}`);
      for (const h of c.hints ?? []) out.push(`- 💡 ${h}`);
      if (c.source) out.push(`- declared at \`${c.source.file}:${c.source.line}\``);
      out.push('', '</details>', '');
    }
  }
  for (const note of plan.notes) out.push('', `_${escapeCell(note)}_`);
  out.push('', `<sub>checksum \`${plan.checksum}\`</sub>`);
  return out.join('\n') + '\n';
}

/** `Plan: 1 to create, …` or `No changes. N objects in sync.` */
export function summaryLine(plan: OpenSearchPlan, style: Style = plain): string {
  const s = plan.summary;
  if (plan.changes.length === 0 && plan.conflicts.length === 0) {
    return `No changes. ${s.unchanged} object${s.unchanged === 1 ? '' : 's'} in sync.`;
  }
  const parts = [
    `${s.create} to create`,
    `${s.update} to update in place`,
    `${s.replace} to re-register`,
    `${s.delete} to delete`,
    `${s.deploy} to deploy`,
    `${s.undeploy} to undeploy`,
  ];
  const extra = [
    s.downtime ? style.red(`${s.downtime} with downtime`) : '',
    s.blocked ? style.red(`${s.blocked} blocked`) : '',
  ].filter(Boolean);
  return `${style.bold('Plan:')} ${parts.join(', ')}.${extra.length ? ` ${extra.join(', ')}.` : ''}`;
}

/** The JSON plan (stable key order): what `apply --plan` reads back. */
export function renderOpenSearchPlanJson(plan: OpenSearchPlan): string {
  return JSON.stringify(sortKeys(plan), null, 2) + '\n';
}
