/**
 * The OpenSearch ML Commons side of inferctl as a library: what `src/core` dispatches to when `GET /`
 * says `distribution: opensearch`.
 *
 * ```
 * manifests ─┐                                   ┌─> OpenSearchPlan ─> applyOpenSearch ─> results
 * cluster ───┼─ readOpenSearch ─> live ─> plan ──┤
 * inventory ─┘    (3 searches)         (pure)    └─> render
 * ```
 */
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { InferctlError } from '../errors.js';
import type { OpenSearchMlApi } from './client.js';
import type { OpenSearchInventorySnapshot } from './inventory.js';
import type { OpenSearchManifest } from './kinds.js';
import type { OpenSearchLive } from './live.js';
import { checkOpenSearchVersion } from './manifest.js';
import { buildOpenSearchPlan, type OpenSearchPlanOptions } from './plan.js';
import { readOpenSearch } from './read.js';
import type { OpenSearchPlan } from './types.js';

export { applyOpenSearch } from './apply.js';
export type {
  OpenSearchApplyEvent,
  OpenSearchApplyOptions,
  OpenSearchApplyResult,
  OpenSearchChangeResult,
} from './apply.js';
export { createOpenSearchMlClient, type OpenSearchMlApi } from './client.js';
export { compileOpenSearchChange, type OpenSearchStep } from './compile.js';
export {
  ClusterOpenSearchInventory,
  FileOpenSearchInventory,
  MemoryOpenSearchInventory,
  ownedIds,
  type OpenSearchInventory,
  type OpenSearchInventoryRecord,
  type OpenSearchInventorySnapshot,
} from './inventory.js';
export { OPENSEARCH_KINDS, isOpenSearchKind, type OpenSearchManifest } from './kinds.js';
export { buildOpenSearchPlan, type OpenSearchPlanOptions } from './plan.js';
export { readOpenSearch } from './read.js';
export { openSearchDriftReport, safeOpenSearchFixes } from './drift.js';
export {
  renderOpenSearchPlanJson,
  renderOpenSearchPlanMarkdown,
  renderOpenSearchPlanText,
} from './render.js';
export type { OpenSearchChange, OpenSearchPlan } from './types.js';

export interface PlanOpenSearchOptions extends Omit<
  OpenSearchPlanOptions,
  'owned' | 'recordedSecrets' | 'salt' | 'inventory'
> {
  /** The cluster's URL, for the plan's header. */
  readonly url: string;
  /** What the inventory holds (ids, protect, fingerprints, salt); absent = nothing recorded. */
  readonly inventory?: OpenSearchInventorySnapshot;
  /** Where the inventory lives, for the plan's header. */
  readonly inventoryDescription?: string;
  /** Read every object, not only the declared and owned ones (drift: to find unmanaged objects). */
  readonly readEverything?: boolean;
}

/**
 * Plans `manifests` against an OpenSearch cluster: checks them against its version (a field the
 * version does not parse would be silently skipped), reads the live objects in three searches, plans.
 * Throws `InferctlError('invalid_manifests')` with the diagnostics when the version lacks something.
 *
 * @example
 * const { plan } = await planOpenSearch(ml, manifests, openSearchCapabilitiesFor(info.version), { url });
 */
export async function planOpenSearch(
  ml: OpenSearchMlApi,
  manifests: readonly OpenSearchManifest[],
  caps: OpenSearchCapabilities,
  options: PlanOpenSearchOptions,
): Promise<{ plan: OpenSearchPlan; live: OpenSearchLive }> {
  const found = checkOpenSearchVersion(manifests, caps);
  const problems = found.filter((d) => d.severity === 'error');
  if (problems.length) {
    throw new InferctlError(
      'invalid_manifests',
      `the manifests ask for what OpenSearch ${caps.version} does not have`,
      {
        hint: 'change the manifests, or upgrade the cluster',
        context: { diagnostics: problems, manifests: manifests.length },
      },
    );
  }
  const { inventory, inventoryDescription, url, readEverything, ...rest } = options;
  const owned = new Map(
    [...(inventory?.records ?? new Map())].map(([key, r]) => [key, { id: r.object_id, protect: r.protect }]),
  );
  const live = await readOpenSearch(
    ml,
    manifests,
    new Map([...owned].map(([k, o]) => [k, o.id])),
    readEverything ? { everything: true } : {},
  );
  const plan = buildOpenSearchPlan({
    desired: manifests,
    live,
    capabilities: caps,
    target: { url },
    options: {
      ...rest,
      owned,
      salt: inventory?.salt ?? '',
      ...(inventory?.exists
        ? { recordedSecrets: new Map([...inventory.records].map(([k, r]) => [k, r.secrets])) }
        : {}),
      ...(inventoryDescription ? { inventory: inventoryDescription } : {}),
      versionNotes: found.map((d) => `${d.file}:${d.line}: ${d.path}: ${d.message}`),
    },
  });
  return { plan, live };
}
