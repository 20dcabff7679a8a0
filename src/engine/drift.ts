/**
 * Drift: what changed on the cluster behind git's back, as a view of the plan made from the deployed
 * manifests. Pure: a plan in, a report out.
 */
import type { Change, DiffEntry, Plan } from './types.js';

export const DRIFT_STATUSES = ['in-sync', 'drifted', 'missing', 'unmanaged'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export interface DriftField {
  readonly path: string;
  readonly live?: unknown;
  readonly desired?: unknown;
}

export interface DriftEntry {
  /** The endpoint id; on OpenSearch the object's `kind/name`. */
  readonly id: string;
  /** OpenSearch: `OpenSearchConnector`, `OpenSearchModelGroup` or `OpenSearchModel`. */
  readonly kind?: string;
  /** OpenSearch: the id the server generated. */
  readonly object_id?: string;
  readonly status: DriftStatus;
  readonly service?: string;
  readonly taskType?: string;
  /** Fields that differ (drifted), secrets never with values. */
  readonly fields?: readonly DriftField[];
  /** `verified`: fingerprints match the last apply; `changed`: the manifest's secret changed since; `cannot-verify`: no record. */
  readonly secrets?: 'verified' | 'changed' | 'cannot-verify' | 'none';
  /**
   * What can bring it back: `in-place` / `create` (drift --fix or apply), `replace` (a reviewed apply),
   * `downtime` (a reviewed apply that undeploys models for a while: an OpenSearch connector update),
   * `review` (unmanaged, or a name that matches several objects).
   */
  readonly fix: 'in-place' | 'create' | 'replace' | 'downtime' | 'review';
  readonly detail?: string;
}

export interface DriftReport {
  readonly format_version: 1;
  /** Absent on Elasticsearch. */
  readonly flavor?: 'opensearch';
  readonly target: Plan['target'];
  readonly inventory?: string;
  readonly summary: Readonly<Record<'in_sync' | 'drifted' | 'missing' | 'unmanaged', number>>;
  readonly endpoints: readonly DriftEntry[];
  readonly drifted: boolean;
}

/**
 * The drift report of a plan. `owned` are the ids in the inventory (a missing one was deleted out of
 * band; one never applied is simply missing); `unverifiable` the ids whose secrets have no fingerprint.
 *
 * @example driftReport(plan, new Set(['a']))
 */
export function driftReport(plan: Plan, owned: ReadonlySet<string>): DriftReport {
  const entries: DriftEntry[] = [];
  const unverifiable = new Set(plan.unverifiable);
  for (const id of plan.unchanged) {
    entries.push({
      id,
      status: 'in-sync',
      fix: 'in-place',
      secrets: unverifiable.has(id) ? 'cannot-verify' : 'verified',
    });
  }
  for (const change of plan.changes) {
    const entry = fromChange(change, owned);
    if (entry) entries.push(entry);
  }
  for (const id of [...plan.unmanaged, ...plan.orphaned]) {
    entries.push({
      id,
      status: 'unmanaged',
      fix: 'review',
      detail: plan.orphaned.includes(id)
        ? 'owned by inferctl but no longer declared (apply --prune deletes it)'
        : 'on the cluster but not in git (declare it, or export and adopt it)',
    });
  }
  return reportOf(entries, plan);
}

/**
 * The report of drift entries, whichever the flavor: sorted by id (then object id), counted, `drifted` when
 * anything is not in sync.
 */
export function reportOf(
  entries: DriftEntry[],
  plan: { readonly target: Plan['target']; readonly inventory?: string | undefined },
  flavor?: 'opensearch',
): DriftReport {
  entries.sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : (a.object_id ?? '') < (b.object_id ?? '') ? -1 : 1,
  );
  const count = (s: DriftStatus) => entries.filter((e) => e.status === s).length;
  const summary = {
    in_sync: count('in-sync'),
    drifted: count('drifted'),
    missing: count('missing'),
    unmanaged: count('unmanaged'),
  };
  return {
    format_version: 1,
    ...(flavor ? { flavor } : {}),
    target: plan.target,
    ...(plan.inventory ? { inventory: plan.inventory } : {}),
    summary,
    endpoints: entries,
    drifted: summary.drifted + summary.missing + summary.unmanaged > 0,
  };
}

function fromChange(change: Change, owned: ReadonlySet<string>): DriftEntry | undefined {
  const base = { id: change.id, service: change.service, taskType: change.taskType };
  switch (change.action) {
    case 'create':
      return missingEntry(base, owned.has(change.id));
    case 'delete':
      return undefined; // only with --prune, which drift does not use
    case 'update':
    case 'replace': {
      const secretsChanged = change.diff.some((d) => d.secret);
      return {
        ...base,
        status: 'drifted',
        fix: change.action === 'update' ? 'in-place' : 'replace',
        fields: change.diff.filter((d) => !d.secret).map(driftField),
        secrets: secretsChanged ? 'changed' : 'verified',
        ...(change.blocked ? { detail: `fixing it is blocked: ${change.blocked.reason}` } : {}),
      };
    }
  }
}

/** A declared object that is not on the cluster: deleted out of band if inferctl owned it, else never applied. */
export function missingEntry<B extends Pick<DriftEntry, 'id'>>(base: B, wasOwned: boolean): DriftEntry {
  return {
    ...base,
    status: 'missing',
    fix: 'create',
    detail: wasOwned ? 'applied by inferctl, then deleted out of band' : 'declared but never applied',
  };
}

/** A diff entry as a drift field: live (before) and declared (after) values. */
export function driftField(d: DiffEntry): DriftField {
  return {
    path: d.path,
    ...(d.before !== undefined ? { live: d.before } : {}),
    ...(d.after !== undefined ? { desired: d.after } : {}),
  };
}

/** The part of a plan `drift --fix` carries out: creates and in-place updates that are not blocked. */
export function safeFixes(plan: Plan): Plan {
  const changes = plan.changes.filter((c) => (c.action === 'create' || c.action === 'update') && !c.blocked);
  return { ...plan, changes };
}
