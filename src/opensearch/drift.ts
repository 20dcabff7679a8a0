/**
 * Drift on an OpenSearch cluster, as a view of the plan made from the deployed manifests (the same report as on
 * Elasticsearch, `schemas/drift.schema.json`, with `flavor: opensearch` and entries keyed `kind/name`). Pure: the
 * plan, every live object and the inventory's keys in, a report out.
 *
 * Per object: in sync; drifted (fields live vs declared; a model declared deployed that is not); missing (deleted
 * out of band, or never applied); unmanaged (on the cluster but in no manifest and not owned; owned but no longer
 * declared). A connector change that undeploys models to apply is drift whose fix needs a reviewed apply.
 */
import { driftField, missingEntry, reportOf, type DriftEntry, type DriftReport } from '../engine/drift.js';
import { objectKey, type OpenSearchKind } from './kinds.js';
import { stringField, type LiveObject, type OpenSearchLive } from './live.js';
import type { OpenSearchChange, OpenSearchPlan } from './types.js';

const baseKey = (key: string) => key.replace(/#(deploy|undeploy)$/, '');

/**
 * The drift report of an OpenSearch plan. `live` must be everything on the cluster (`readEverything`) for
 * unmanaged objects to be found; `owned` is the inventory (key → object id).
 *
 * @example openSearchDriftReport(plan, live, new Map([['OpenSearchModel/m', 'aBc…']]))
 */
export function openSearchDriftReport(
  plan: OpenSearchPlan,
  live: OpenSearchLive,
  owned: ReadonlyMap<string, string>,
): DriftReport {
  const entries: DriftEntry[] = [];
  const unverifiable = new Set(plan.unverifiable);
  /**
   * Credentials are write-only: verified only when the inventory holds this object's fingerprints and they
   * match; a connector inferctl has no record of (no inventory yet, never applied here) cannot be verified.
   */
  const secretsOf = (key: string): Pick<DriftEntry, 'secrets'> =>
    unverifiable.has(key) || (key.startsWith('OpenSearchConnector/') && !owned.has(key))
      ? { secrets: 'cannot-verify' }
      : key.startsWith('OpenSearchConnector/')
        ? { secrets: 'verified' }
        : {};
  const inSync = (key: string, detail?: string): DriftEntry => ({
    id: key,
    kind: kindOf(key),
    ...(plan.ids[key] ? { object_id: plan.ids[key] } : {}),
    status: 'in-sync',
    fix: 'in-place',
    ...secretsOf(key),
    ...(detail ? { detail } : {}),
  });
  for (const key of plan.unchanged) entries.push(inSync(key));

  // One entry per object: its own change, or, for a model that only needs deploying, the deploy. The
  // undeploy/redeploy of a connector update belong to the connector's entry.
  const byObject = new Map<string, OpenSearchChange[]>();
  for (const change of plan.changes) {
    const key = baseKey(change.key);
    byObject.set(key, [...(byObject.get(key) ?? []), change]);
  }
  for (const [key, changes] of byObject) {
    const own = changes.find((c) => c.key === key);
    const alone = changes.find(
      (c) =>
        (c.action === 'deploy' || c.action === 'undeploy') &&
        !c.reasons.some((r) => r.code === 'connector_in_use' || r.code === 'redeploy'),
    );
    if (own) {
      const entry = fromChange(own, key, owned, secretsOf);
      // A model that drifted in a field and is also not deployed as declared: both in one entry (the deploy
      // must not hide behind the field).
      if (entry && alone && own.action === 'update') {
        entries.push({
          ...entry,
          fields: [...(entry.fields ?? []), ...alone.diff.map(driftField)],
          ...(alone.blocked ? { fix: 'review' as const } : {}),
          detail: [entry.detail, ...alone.reasons.map((r) => r.message)].filter(Boolean).join('; '),
        });
      } else if (entry) entries.push(entry);
      continue;
    }
    if (alone) {
      entries.push({
        id: key,
        kind: alone.kind,
        ...(alone.id ? { object_id: alone.id } : {}),
        status: 'drifted',
        fields: alone.diff.map(driftField),
        fix: alone.blocked ? 'review' : 'in-place',
        detail: alone.reasons.map((r) => r.message).join('; '),
      });
    } else if (key in plan.ids) {
      // A declared model as declared, whose only changes are the undeploy and redeploy of its connector's update.
      entries.push(inSync(key, 'as declared; fixing its connector undeploys and redeploys it'));
    }
  }

  for (const conflict of plan.conflicts) {
    entries.push({
      id: conflict.key,
      kind: kindOf(conflict.key),
      status: 'drifted',
      fix: 'review',
      detail: conflict.message,
    });
  }
  for (const key of plan.orphaned) {
    entries.push({
      id: key,
      kind: kindOf(key),
      status: 'unmanaged',
      fix: 'review',
      detail: 'owned by inferctl but no longer declared (apply --prune deletes it)',
    });
  }
  const known = new Set([...Object.values(plan.ids), ...owned.values()]);
  const conflicting = new Set(plan.conflicts.flatMap((c) => c.ids));
  const unmanaged = (kind: OpenSearchKind, objects: readonly LiveObject[]) => {
    for (const o of objects) {
      if (known.has(o.id) || conflicting.has(o.id) || o.source['is_hidden'] === true) continue;
      const name = stringField(o.source, 'name') ?? o.id;
      entries.push({
        id: objectKey(kind, name),
        kind,
        object_id: o.id,
        status: 'unmanaged',
        fix: 'review',
        detail: 'on the cluster but not in git (declare it, or export and adopt it)',
      });
    }
  };
  unmanaged('OpenSearchConnector', live.connectors);
  unmanaged('OpenSearchModelGroup', live.groups);
  unmanaged('OpenSearchModel', live.models);

  return reportOf(entries, plan, 'opensearch');
}

function kindOf(key: string): string {
  return key.slice(0, key.indexOf('/'));
}

function fromChange(
  change: OpenSearchChange,
  key: string,
  owned: ReadonlyMap<string, string>,
  verification: (key: string) => Pick<DriftEntry, 'secrets'>,
): DriftEntry | undefined {
  const base = { id: key, kind: change.kind, ...(change.id ? { object_id: change.id } : {}) };
  switch (change.action) {
    case 'create':
      return missingEntry(base, owned.has(key));
    case 'delete':
      // Only with --prune, which drift does not use — except the rest of an unfinished connector replacement.
      return key.endsWith('#old')
        ? {
            ...base,
            status: 'drifted',
            fix: 'review',
            detail:
              'the old connector of a replacement an earlier apply did not finish: the next apply deletes it',
          }
        : undefined;
    case 'deploy':
    case 'undeploy':
      return undefined; // handled by the caller
    case 'update':
    case 'replace': {
      const secretsChanged = change.diff.some((d) => d.secret);
      return {
        ...base,
        status: 'drifted',
        fix: change.action === 'replace' ? 'replace' : change.downtime ? 'downtime' : 'in-place',
        fields: change.diff.filter((d) => !d.secret).map(driftField),
        ...(secretsChanged ? { secrets: 'changed' as const } : verification(key)),
        ...(change.blocked
          ? { detail: `fixing it needs a reviewed apply: ${change.blocked.reason}` }
          : change.downtime
            ? { detail: change.reasons.map((r) => r.message).join('; ') }
            : {}),
      };
    }
  }
}

/**
 * The part of an OpenSearch plan `drift --fix` carries out: creates, in-place updates and deploys that are not
 * blocked and cause no downtime, with every change whose prerequisite is left out left out too.
 */
export function safeOpenSearchFixes(plan: OpenSearchPlan): OpenSearchPlan {
  let kept = plan.changes.filter(
    (c) =>
      !c.blocked && !c.downtime && (c.action === 'create' || c.action === 'update' || c.action === 'deploy'),
  );
  for (;;) {
    const keys = new Set(kept.map((c) => c.key));
    const next = kept.filter((c) => c.dependsOn.every((k) => keys.has(k)));
    if (next.length === kept.length) break;
    kept = next;
  }
  return { ...plan, changes: kept };
}
