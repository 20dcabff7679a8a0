/**
 * Which live object is a manifest's? OpenSearch generates connector and model ids (custom ids only from
 * 3.9) and does not keep connector or model names unique, so inferctl finds its objects by name and
 * remembers the id in its inventory:
 *
 * 1. the id the inventory recorded for the manifest, when that object still exists;
 * 2. else the live objects with the manifest's name — for a model, only those in the manifest's model
 *    group (the group name is unique and anchors the model): one is the manifest's, none means it does not
 *    exist, several are a conflict that names every id: inferctl never guesses.
 *
 * Pure. An id is given to one manifest at most.
 */
import { stringField, type LiveObject, type OpenSearchLive } from './live.js';
import { byKind, objectKey, type OpenSearchManifest } from './kinds.js';
import type { OpenSearchConflict } from './types.js';

export interface Identities {
  /** Key → the live object that is the manifest's. */
  readonly matched: ReadonlyMap<string, LiveObject>;
  /** Keys whose name matches several live objects. */
  readonly conflicts: readonly OpenSearchConflict[];
}

/**
 * Matches manifests to live objects.
 *
 * @example resolveIdentities(manifests, live, new Map([['OpenSearchConnector/c', 'Xy…']])).matched.get('OpenSearchConnector/c')?.id
 */
export function resolveIdentities(
  manifests: readonly OpenSearchManifest[],
  live: OpenSearchLive,
  ownedIds: ReadonlyMap<string, string>,
): Identities {
  const { connectors, groups, models } = byKind(manifests);
  const matched = new Map<string, LiveObject>();
  const conflicts: OpenSearchConflict[] = [];
  const claimed = new Set<string>();
  const pick = (
    key: string,
    kindWord: string,
    pool: readonly LiveObject[],
    candidates: readonly LiveObject[],
    scope: string,
  ) => {
    const recorded = ownedIds.get(key);
    const byId = recorded === undefined ? undefined : idIndex(pool).get(recorded);
    if (byId && !claimed.has(byId.id)) {
      matched.set(key, byId);
      claimed.add(byId.id);
      return;
    }
    const free = candidates.filter((o) => !claimed.has(o.id));
    if (free.length === 1) {
      matched.set(key, free[0]!);
      claimed.add(free[0]!.id);
    } else if (free.length > 1) {
      const ids = free.map((o) => o.id).sort();
      conflicts.push({
        key,
        ids,
        message: `${free.length} ${kindWord}s are named "${key.slice(key.indexOf('/') + 1)}"${scope}: ${ids.join(', ')}; inferctl does not guess which one is declared`,
      });
    }
  };
  // Indexed once per pool: a lookup per manifest keeps thousands of models linear, not quadratic.
  const nameIndexes = new Map<readonly LiveObject[], Map<string, LiveObject[]>>();
  const idIndexes = new Map<readonly LiveObject[], Map<string, LiveObject>>();
  const idIndex = (pool: readonly LiveObject[]) => {
    let index = idIndexes.get(pool);
    if (!index) idIndexes.set(pool, (index = new Map(pool.map((o) => [o.id, o]))));
    return index;
  };
  const named = (pool: readonly LiveObject[], name: string): readonly LiveObject[] => {
    let index = nameIndexes.get(pool);
    if (!index) {
      index = new Map();
      for (const o of pool) {
        const n = stringField(o.source, 'name');
        if (n !== undefined) index.set(n, [...(index.get(n) ?? []), o]);
      }
      nameIndexes.set(pool, index);
    }
    return index.get(name) ?? [];
  };
  for (const g of groups) {
    const key = objectKey('OpenSearchModelGroup', g.name);
    pick(key, 'model group', live.groups, named(live.groups, g.name), '');
  }
  for (const c of connectors) {
    const key = objectKey('OpenSearchConnector', c.name);
    pick(key, 'connector', live.connectors, named(live.connectors, c.name), '');
  }
  for (const m of models) {
    const key = objectKey('OpenSearchModel', m.name);
    const groupKey = objectKey('OpenSearchModelGroup', m.spec.model_group);
    const group = matched.get(groupKey);
    const candidates = group
      ? named(live.models, m.name).filter((o) => stringField(o.source, 'model_group_id') === group.id)
      : [];
    pick(
      key,
      'model',
      live.models,
      candidates,
      group ? ` in model group ${m.spec.model_group} (${group.id})` : '',
    );
  }
  return { matched, conflicts };
}
