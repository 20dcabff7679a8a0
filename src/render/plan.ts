/**
 * Plans as text (Terraform-like `+ ~ -/+ -`), markdown (pull request comments) and JSON
 * (`schemas/plan.schema.json`). Renderers only format: every decision is already in the plan.
 */
import type { Change, DiffEntry, Plan } from '../engine/types.js';
import { canonicalJson, sortKeys } from '../util/json.js';
import { plain, type Style } from './diagnostics.js';

const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-' };
const VERB: Record<Change['action'], string> = {
  create: 'will be created',
  update: 'will be updated in place',
  replace: 'must be replaced (deleted, then created)',
  delete: 'will be deleted',
};

/** A value as shown in a diff line: JSON, short. Shared by the plan, drift and OpenSearch renderers. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function color(action: Change['action'], style: Style): (s: string) => string {
  return action === 'create' ? style.green : action === 'update' ? style.yellow : style.red;
}

/** One field of a change's diff; `forces` names what a replace-mode field forces. */
export function diffLine(entry: DiffEntry, style: Style, forces = 'replacement'): string {
  const path = entry.path.slice(1).replace(/\//g, '.');
  const mark =
    entry.op === 'add' ? style.green('+') : entry.op === 'remove' ? style.red('-') : style.yellow('~');
  const value =
    entry.op === 'add'
      ? show(entry.after)
      : entry.op === 'remove'
        ? show(entry.before)
        : `${show(entry.before)} → ${show(entry.after)}`;
  const note = entry.mode === 'replace' ? style.red(` # forces ${forces}`) : '';
  return `      ${mark} ${path}: ${value}${note}`;
}

/**
 * The text plan.
 *
 * @example process.stdout.write(renderPlanText(plan, ansi))
 */
export function renderPlanText(plan: Plan, style: Style = plain): string {
  const out: string[] = [];
  out.push(style.bold(`Plan for ${plan.target.url} (Elasticsearch ${plan.target.version})`));
  if (plan.inventory) out.push(style.dim(`Ownership and secret fingerprints: ${plan.inventory}`));
  out.push('');
  for (const change of ordered(plan.changes)) {
    const c = color(change.action, style);
    out.push(
      `  ${c(SYMBOL[change.action])} ${style.bold(change.id)} ${style.dim(`(${change.service}, ${change.taskType})`)} ${VERB[change.action]}`,
    );
    if (change.references && !change.blocked) {
      out.push(
        `      ${style.yellow('disruption allowed:')} used by ${[...change.references.indexes.map((i) => `index ${i}`), ...change.references.pipelines.map((p) => `pipeline ${p}`)].join(', ')}; deleted with force`,
      );
    }
    if (change.blocked) {
      out.push(
        `      ${style.red('BLOCKED:')} ${change.blocked.reason}`,
        `      ${style.dim('hint:')} ${change.blocked.hint}`,
      );
    }
    for (const reason of change.reasons) {
      if (change.action === 'create') continue;
      if (reason.code === 'in_place') {
        out.push(
          `      ${style.dim('in place with _update:')} ${(reason.fields ?? []).map((f) => f.slice(1).replace(/\//g, '.')).join(', ')}`,
        );
        continue;
      }
      out.push(
        `      ${style.dim('because')} ${reason.message}${reason.fields?.length ? style.dim(` (${reason.fields.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')})`) : ''}`,
      );
    }
    for (const entry of change.diff) out.push(diffLine(entry, style));
    for (const warning of change.warnings ?? []) out.push(`      ${style.yellow('warning:')} ${warning}`);
    if (change.source) out.push(style.dim(`      declared at ${change.source.file}:${change.source.line}`));
    out.push('');
  }
  if (plan.unmanaged.length) {
    out.push(style.dim(`Not managed (left alone): ${plan.unmanaged.join(', ')}`), '');
  }
  for (const note of plan.notes) out.push(style.dim(`Note: ${note}`));
  if (plan.notes.length) out.push('');
  out.push(summaryLine(plan, style));
  out.push(style.dim(`checksum ${plan.checksum}`));
  return out.join('\n') + '\n';
}

export function summaryLine(plan: Plan, style: Style = plain): string {
  const s = plan.summary;
  if (plan.changes.length === 0)
    return style.green(`No changes. ${s.unchanged} endpoint${s.unchanged === 1 ? '' : 's'} in sync.`);
  const parts = [
    `${s.create} to create`,
    `${s.update} to update`,
    `${s.replace} to replace`,
    `${s.delete} to delete`,
    `${s.unchanged} unchanged`,
  ];
  const blocked = s.blocked ? style.red(`, ${s.blocked} blocked`) : '';
  return `${style.bold('Plan:')} ${parts.join(', ')}${blocked}.`;
}

/** Replaced and blocked changes first: those are what a reviewer must see. */
function ordered(changes: readonly Change[]): Change[] {
  const rank = (c: Change) =>
    c.blocked ? 0 : c.action === 'replace' ? 1 : c.action === 'delete' ? 2 : c.action === 'update' ? 3 : 4;
  return [...changes].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The markdown plan, for pull request comments: a table, then a collapsed detail per endpoint. */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`### inferctl plan — ${plan.target.url} (Elasticsearch ${plan.target.version})`, '');
  if (plan.changes.length === 0) {
    out.push(`**No changes.** ${plan.summary.unchanged} endpoints in sync.`);
  } else {
    const s = plan.summary;
    out.push(
      `**${s.create}** to create · **${s.update}** to update · **${s.replace}** to replace · **${s.delete}** to delete · ${s.unchanged} unchanged${s.blocked ? ` · ⛔ **${s.blocked} blocked**` : ''}`,
      '',
    );
    const attention = plan.changes.filter(
      (c) => c.blocked || c.action === 'replace' || c.action === 'delete',
    );
    if (attention.length) {
      out.push('> [!WARNING]');
      for (const c of ordered(attention)) {
        out.push(
          `> ${c.blocked ? '⛔ **blocked**' : c.action === 'replace' ? '**replace**' : '**delete**'} \`${c.id}\`: ${c.blocked?.reason ?? c.reasons.map((r) => r.message).join('; ')}`,
        );
      }
      out.push('');
    }
    out.push('| | Endpoint | Service | Task type | Why |', '|---|---|---|---|---|');
    for (const c of ordered(plan.changes)) {
      const why = c.action === 'create' ? 'new' : c.reasons.map((r) => r.message).join('; ');
      out.push(`| ${SYMBOL[c.action]} | \`${c.id}\` | ${c.service} | ${c.taskType} | ${escapeCell(why)} |`);
    }
    out.push('');
    for (const c of ordered(plan.changes)) {
      out.push(
        `<details><summary><code>${SYMBOL[c.action]} ${c.id}</code> ${VERB[c.action]}</summary>`,
        '',
        '```diff',
      );
      out.push(...markdownDiff(c.diff));
      out.push('```');
      for (const w of c.warnings ?? []) out.push(`- ⚠️ ${w}`);
      if (c.source) out.push(`- declared at \`${c.source.file}:${c.source.line}\``);
      out.push('', '</details>', '');
    }
  }
  if (plan.unmanaged.length)
    out.push('', `Not managed (left alone): ${plan.unmanaged.map((id) => `\`${id}\``).join(', ')}`);
  for (const note of plan.notes) out.push('', `_${note}_`);
  out.push('', `<sub>checksum \`${plan.checksum}\`</sub>`);
  return out.join('\n') + '\n';
}

/** A diff as the lines of a markdown ```diff block: `- path: before` / `+ path: after   # forces …`. */
export function markdownDiff(diff: readonly DiffEntry[], forces = 'replacement'): string[] {
  const out: string[] = [];
  for (const e of diff) {
    const path = e.path.slice(1).replace(/\//g, '.');
    if (e.op === 'add') out.push(`+ ${path}: ${show(e.after)}`);
    else if (e.op === 'remove') out.push(`- ${path}: ${show(e.before)}`);
    else
      out.push(
        `- ${path}: ${show(e.before)}`,
        `+ ${path}: ${show(e.after)}${e.mode === 'replace' ? `   # forces ${forces}` : ''}`,
      );
  }
  return out;
}

/** A markdown table cell: pipes escaped, on one line. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The JSON plan: canonical (sorted keys), so the same plan is the same bytes. */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(sortKeys(plan), null, 2) + '\n';
}
