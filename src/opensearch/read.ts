/**
 * Reading the live side for a plan: three searches, however many manifests there are. Objects are found
 * by `name.keyword` (exact) or by the ids the inventory recorded; models also by the
 * connectors they use (a connector update must undeploy every deployed user, managed or not). Chunk
 * documents of local models are excluded: they carry the model's name but are not models.
 */
import { InferctlError } from '../errors.js';
import { stringField, type OpenSearchLive } from './live.js';
import { byKind, type OpenSearchManifest } from './kinds.js';
import type { OpenSearchMlApi } from './client.js';

/** Search results inferctl reads in one request (OpenSearch's default `max_result_window`). */
const SIZE = 10_000;

function byNameOrId(names: readonly string[], ids: readonly string[]): Record<string, unknown>[] {
  return [
    ...(names.length ? [{ terms: { 'name.keyword': [...names] } }] : []),
    ...(ids.length ? [{ ids: { values: [...ids] } }] : []),
  ];
}

/**
 * Reads what a plan for `manifests` may concern.
 *
 * @example const live = await readOpenSearch(ml, manifests, new Map([['OpenSearchModel/m', 'abc']]));
 */
export async function readOpenSearch(
  ml: OpenSearchMlApi,
  manifests: readonly OpenSearchManifest[],
  ownedIds: ReadonlyMap<string, string>,
  options: { readonly everything?: boolean } = {},
): Promise<OpenSearchLive> {
  if (options.everything) return readEverything(ml);
  const { connectors, groups, models } = byKind(manifests);
  const owned = (kind: string) =>
    [...ownedIds]
      .filter(([key]) => key.startsWith(`${kind}/`))
      .map(([, id]) => id)
      .sort();
  const query = (should: Record<string, unknown>[], mustNot: Record<string, unknown>[] = []) => ({
    size: SIZE,
    query: { bool: { should, minimum_should_match: 1, ...(mustNot.length ? { must_not: mustNot } : {}) } },
    sort: [{ created_time: 'asc' }],
  });
  const connectorShould = byNameOrId(
    connectors.map((c) => c.name),
    owned('OpenSearchConnector'),
  );
  const groupShould = byNameOrId(
    groups.map((g) => g.name),
    owned('OpenSearchModelGroup'),
  );
  const [liveConnectors, liveGroups] = await Promise.all([
    connectorShould.length ? ml.searchConnectors(query(connectorShould)) : [],
    groupShould.length ? ml.searchModelGroups(query(groupShould)) : [],
  ]);
  const connectorIds = liveConnectors.map((c) => c.id).sort();
  const modelShould = [
    ...byNameOrId(
      models.map((m) => m.name),
      owned('OpenSearchModel'),
    ),
    ...(connectorIds.length ? [{ terms: { connector_id: connectorIds } }] : []),
  ];
  const liveModels = modelShould.length
    ? await ml.searchModels(query(modelShould, [{ exists: { field: 'chunk_number' } }]))
    : [];
  return {
    connectors: liveConnectors,
    groups: liveGroups,
    // Belt and braces: a chunk document is never a model, whatever the search returned.
    models: liveModels.filter(
      (m) => m.source['chunk_number'] === undefined && stringField(m.source, 'name') !== undefined,
    ),
  };
}

/**
 * Every connector, model group and model (chunk documents excluded): what `drift` needs to find objects no
 * manifest declares. Three searches as well; up to 10,000 objects of each kind (a cluster with more is told).
 */
async function readEverything(ml: OpenSearchMlApi): Promise<OpenSearchLive> {
  const all = (mustNot: Record<string, unknown>[] = []) => ({
    size: SIZE,
    query: mustNot.length ? { bool: { must_not: mustNot } } : { match_all: {} },
    sort: [{ created_time: 'asc' }],
  });
  const [connectors, groups, models] = await Promise.all([
    ml.searchConnectors(all()),
    ml.searchModelGroups(all()),
    ml.searchModels(all([{ exists: { field: 'chunk_number' } }])),
  ]);
  for (const [what, found] of [
    ['connectors', connectors],
    ['model groups', groups],
    ['models', models],
  ] as const) {
    if (found.length >= SIZE) {
      throw new InferctlError(
        'too_many_objects',
        `the cluster has ${SIZE} or more ${what}: more than one search returns`,
        { hint: 'run plan instead of drift (it reads only the declared and owned objects)' },
      );
    }
  }
  return {
    connectors,
    groups,
    models: models.filter(
      (m) => m.source['chunk_number'] === undefined && stringField(m.source, 'name') !== undefined,
    ),
  };
}
