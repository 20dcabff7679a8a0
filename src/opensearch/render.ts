/**
 * OpenSearch plans as text (Terraform-like) and JSON. Renderers only format: every decision — order,
 * downtime, blocks, hints — is already in the plan.
 */
import { plain, type Style } from '../render/diagnostics.js';
import { diffLine } from '../render/plan.js';
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
    `  ${c(SYMBOL[change.action])} ${style.bold(change.key.replace(/#.*$/, ''))}${id} ${VERB[change.action]}`,
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
  for (const entry of change.diff) out.push(diffLine(entry, style, 're-registration'));
  for (const warning of change.warnings ?? []) out.push(`      ${style.yellow('warning:')} ${warning}`);
  for (const hint of change.hints ?? []) out.push(`      ${style.dim('hint:')} ${hint}`);
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
