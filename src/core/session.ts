/**
 * The first half of `plan`, `apply` and `drift`, shared by the CLI and the Action: manifests validated
 * (nothing is sent to the cluster while any is invalid), cluster read, manifests checked against its
 * version, the inventory read, plan made. Problems in the manifests are thrown as one
 * `InferctlError('invalid_manifests')` carrying the diagnostics: the CLI prints them, the Action turns
 * them into annotations.
 */
import {
  elasticsearchOnly,
  planCluster,
  probeCluster,
  type ClusterSnapshot,
  type ProbedCluster,
} from './reconcile.js';
import type { Plan } from '../engine/types.js';
import { InferctlError } from '../errors.js';
import { ClusterLock } from '../inventory/cluster.js';
import { FileLock } from '../inventory/file.js';
import type { Inventory, InventorySnapshot, Lock } from '../inventory/types.js';
import type { Diagnostic } from '../manifest/diagnostics.js';
import { loadManifests, type EndpointManifest } from '../manifest/load.js';
import { checkForVersion } from '../manifest/version-check.js';
import { defaultSalt, storesFor, type Target } from '../cli/target.js';
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import type { ClusterInfo } from '../backends/elasticsearch/api.js';
import {
  createOpenSearchMlClient,
  ClusterOpenSearchInventory,
  FileOpenSearchInventory,
  planOpenSearch,
  type OpenSearchInventory,
  type OpenSearchInventorySnapshot,
  type OpenSearchManifest,
  type OpenSearchMlApi,
  type OpenSearchPlan,
} from '../opensearch/index.js';
import type { OpenSearchLive } from '../opensearch/live.js';

/** What the session needs of its surroundings: the working directory and the environment. */
export interface SessionIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The diagnostics an `invalid_manifests` error carries. */
export function diagnosticsOf(error: InferctlError): readonly Diagnostic[] {
  return (error.context['diagnostics'] as Diagnostic[] | undefined) ?? [];
}

export interface Prepared {
  readonly manifests: readonly EndpointManifest[];
  readonly snapshot: ClusterSnapshot;
  readonly plan: Plan;
  readonly inventory: Inventory;
  readonly lock: Lock;
  readonly owned: InventorySnapshot;
}

export interface PrepareOptions {
  readonly rotateSecrets?: boolean;
  readonly allowLiteralSecrets?: boolean;
  readonly prune?: boolean;
  readonly maxDeletes?: number;
  readonly allowDeleteAll?: boolean;
  readonly allowDisruption?: readonly string[];
  readonly allowIncompatible?: readonly string[];
  /**
   * `--target ID` (Terraform's `-target`): plan only these endpoint ids — declared or live; everything else is
   * left out of the plan, the prune and the inventory it reads. An id that is neither declared nor on the
   * cluster is an error.
   */
  readonly targets?: readonly string[];
  /** Called once the cluster is known and before the inventory is read (apply takes its lock here). */
  readonly beforeInventory?: (stores: { inventory: Inventory; lock: Lock }) => Promise<void>;
  /** The same moment on an OpenSearch cluster (`prepareCluster`): only the lock is shared. */
  readonly beforeLock?: (lock: Lock) => Promise<void>;
  /** OpenSearch: read every object, not only the declared and owned ones (drift's unmanaged objects). */
  readonly readEverything?: boolean;
}

/** Validates the manifests; throws `InferctlError('invalid_manifests')` with the diagnostics. */
export function loadOrFail(
  target: Target,
  io: SessionIO,
  allowLiteralSecrets: boolean,
): {
  manifests: readonly EndpointManifest[];
  openSearch: readonly OpenSearchManifest[];
  files: number;
} {
  const loaded = loadManifests(target.paths, { cwd: io.cwd, env: io.env, allowLiteralSecrets });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    throw new InferctlError(
      'invalid_manifests',
      'the manifests have errors; nothing was sent to the cluster',
      {
        hint: 'fix them (inferctl validate shows the same list) and run again',
        context: {
          diagnostics: loaded.diagnostics,
          files: loaded.files.length,
          manifests: loaded.manifests.length,
        },
      },
    );
  }
  target.log.info(
    {
      files: loaded.files.length,
      manifests: loaded.manifests.length,
      ...(loaded.openSearch.length ? { opensearch: loaded.openSearch.length } : {}),
    },
    'manifests loaded',
  );
  return { manifests: loaded.manifests, openSearch: loaded.openSearch, files: loaded.files.length };
}

/**
 * Manifests of the other flavor than the cluster's are a mistake (a wrong path or --cluster): a cluster
 * is Elasticsearch or OpenSearch, detected, not configured.
 */
function refuseOtherFlavor(
  flavor: ProbedCluster['flavor'],
  version: string,
  count: number,
  kinds: string,
): void {
  if (count === 0) return;
  const other = flavor === 'opensearch' ? 'Elasticsearch' : 'OpenSearch';
  throw new InferctlError(
    'wrong_flavor',
    `the cluster is ${flavor === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${version}, but ${count} manifest${count === 1 ? ' is' : 's are'} for ${other} (${kinds})`,
    { hint: `point inferctl at the ${other} cluster for those, or keep them in another directory` },
  );
}

/** `prepare` for an Elasticsearch cluster; an OpenSearch one is refused (see `prepareCluster`). */
export async function prepare(target: Target, io: SessionIO, options: PrepareOptions): Promise<Prepared> {
  const loaded = loadOrFail(target, io, Boolean(options.allowLiteralSecrets));
  // The lock (apply) is taken before the endpoints are read, so that the plan describes the cluster as
  // this run will find it: `GET /` first (the version to check the manifests against, and the cluster's
  // identity for the lock's store), then — nothing written while a manifest is invalid — the lock.
  return prepareElasticsearch(target, options, loaded, elasticsearchOnly(await probeCluster(target.client)));
}

/** What `prepareCluster` returns: an Elasticsearch session, or an OpenSearch one. */
export type PreparedCluster = ({ readonly flavor: 'elasticsearch' } & Prepared) | PreparedOpenSearch;

export interface PreparedOpenSearch {
  readonly flavor: 'opensearch';
  readonly info: ClusterInfo;
  readonly capabilities: OpenSearchCapabilities;
  readonly manifests: readonly OpenSearchManifest[];
  readonly plan: OpenSearchPlan;
  /** What was read to make the plan (everything with `readEverything`). */
  readonly live: OpenSearchLive;
  readonly ml: OpenSearchMlApi;
  readonly inventory: OpenSearchInventory;
  readonly lock: Lock;
  readonly owned: OpenSearchInventorySnapshot;
}

/**
 * The flavor dispatch: `GET /` decides whether the manifests are planned as Elasticsearch inference
 * endpoints or as OpenSearch ML Commons objects. Same order of events on both sides: manifests
 * validated, cluster probed, lock (apply), inventory, live state, plan.
 *
 * On OpenSearch the inventory is an index of the cluster too (or `--state-file`); `allowDisruption` names
 * connectors and models.
 *
 * @example const prepared = await prepareCluster(target, io, {}); if (prepared.flavor === 'opensearch') …
 */
export async function prepareCluster(
  target: Target,
  io: SessionIO,
  options: PrepareOptions,
): Promise<PreparedCluster> {
  const loaded = loadOrFail(target, io, Boolean(options.allowLiteralSecrets));
  const probed = await probeCluster(target.client);
  if (probed.flavor === 'elasticsearch') {
    return { flavor: 'elasticsearch', ...(await prepareElasticsearch(target, options, loaded, probed)) };
  }
  refuseOtherFlavor('opensearch', probed.info.version, loaded.manifests.length, 'kind InferenceEndpoint');
  if (options.targets?.length) {
    throw new InferctlError(
      'unknown_target',
      '--target selects Elasticsearch inference endpoints; this cluster is OpenSearch',
      {
        hint: 'plan the whole directory, or point PATH at the manifests of the objects you want',
      },
    );
  }
  const { inventory, lock } = openSearchStoresFor(target, probed.info.clusterUuid ?? target.connection.url);
  await options.beforeLock?.(lock);
  const owned = await readInventory(inventory);
  const ml = createOpenSearchMlClient(target.client);
  const { plan, live } = await planOpenSearch(ml, loaded.openSearch, probed.capabilities, {
    ...(options.readEverything ? { readEverything: true } : {}),
    url: target.connection.url,
    inventory: owned,
    inventoryDescription: inventory.description,
    ...(options.rotateSecrets ? { rotateSecrets: true } : {}),
    prune: Boolean(options.prune || target.prune),
    ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}),
    ...(options.allowDeleteAll ? { allowDeleteAll: true } : {}),
    allowDisruption: new Set(options.allowDisruption ?? []),
  });
  target.log.info({ version: probed.info.version, changes: plan.changes.length }, 'opensearch planned');
  return {
    flavor: 'opensearch',
    info: probed.info,
    capabilities: probed.capabilities,
    manifests: loaded.openSearch,
    plan,
    live,
    ml,
    inventory,
    lock,
    owned,
  };
}

/**
 * Where an OpenSearch cluster's inventory and lock live: as on Elasticsearch, an index of the cluster (with the lease
 * document of `ClusterLock` beside it) unless `--state-file`.
 */
export function openSearchStoresFor(
  target: Target,
  clusterKey: string,
): { inventory: OpenSearchInventory; lock: Lock } {
  const salt = defaultSalt(clusterKey);
  if (target.stateFile !== undefined) {
    return {
      inventory: new FileOpenSearchInventory(target.stateFile, clusterKey, salt),
      lock: new FileLock(target.stateFile),
    };
  }
  return {
    inventory: new ClusterOpenSearchInventory(target.client, target.inventoryIndex, salt),
    lock: new ClusterLock(target.client, `${target.inventoryIndex}-lock`),
  };
}

async function prepareElasticsearch(
  target: Target,
  options: PrepareOptions,
  loaded: ReturnType<typeof loadOrFail>,
  probed: Omit<ClusterSnapshot, 'live'>,
): Promise<Prepared> {
  const { files } = loaded;
  const targets = options.targets?.length ? new Set(options.targets) : undefined;
  const manifests = targets ? loaded.manifests.filter((m) => targets.has(m.id)) : loaded.manifests;
  refuseOtherFlavor(
    'elasticsearch',
    probed.info.version,
    loaded.openSearch.length,
    [...new Set(loaded.openSearch.map((m) => `kind ${m.kind}`))].join(', '),
  );
  const serverless = probed.capabilities.buildFlavor === 'serverless';
  const versionProblems = checkForVersion(manifests, probed.capabilities.version, probed.capabilities);
  if (versionProblems.length) {
    throw new InferctlError(
      'invalid_manifests',
      serverless
        ? 'the manifests ask for what Elastic Cloud Serverless does not have'
        : `the manifests ask for what Elasticsearch ${probed.info.version} does not have`,
      {
        hint: serverless
          ? 'change the manifests, or validate them with inferctl validate --es-version serverless'
          : 'change the manifests, or validate against this version with inferctl validate --es-version ' +
            probed.info.version,
        context: { diagnostics: versionProblems, files, manifests: manifests.length },
      },
    );
  }
  const stores = storesFor(target, probed.info.clusterUuid ?? target.connection.url);
  await options.beforeInventory?.(stores);
  const allLive = await target.client.listEndpoints();
  const snapshot: ClusterSnapshot = {
    ...probed,
    live: targets ? allLive.filter((e) => targets.has(e.inference_id)) : allLive,
  };
  target.log.info({ version: snapshot.info.version, endpoints: snapshot.live.length }, 'cluster read');
  const inventorySnapshot = await readInventory(stores.inventory);
  if (targets) {
    const known = new Set([...manifests.map((m) => m.id), ...snapshot.live.map((e) => e.inference_id)]);
    const unknown = [...targets].filter((id) => !known.has(id));
    if (unknown.length) {
      throw new InferctlError(
        'unknown_target',
        `--target ${unknown.join(', ')}: no declared or live endpoint has that id`,
        { hint: 'give the inference id of a manifest (metadata.name) or of an endpoint on the cluster' },
      );
    }
  }
  const owned = targets
    ? {
        ...inventorySnapshot,
        records: new Map([...inventorySnapshot.records].filter(([id]) => targets.has(id))),
      }
    : inventorySnapshot;
  const plan = await planCluster(target.client, snapshot, manifests, {
    url: target.connection.url,
    inventory: stores.inventory.description,
    salt: owned.salt,
    ...(owned.exists
      ? { recordedSecrets: new Map([...owned.records].map(([id, r]) => [id, r.secrets])) }
      : {}),
    owned: new Map(
      [...owned.records].map(([id, r]) => [
        id,
        { protect: r.protect, ...(r.created_on ? { createdOn: r.created_on } : {}) },
      ]),
    ),
    ...(options.rotateSecrets ? { rotateSecrets: true } : {}),
    prune: Boolean(options.prune || target.prune),
    ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}),
    ...(options.allowDeleteAll ? { allowDeleteAll: true } : {}),
    allowDisruption: new Set(options.allowDisruption ?? []),
    allowIncompatible: new Set(options.allowIncompatible ?? []),
  });
  return { manifests, snapshot, plan, inventory: stores.inventory, lock: stores.lock, owned };
}

/** Reads the inventory; a missing privilege on its index says how to do without. */
export async function readInventory<S = InventorySnapshot>(inventory: {
  readonly description: string;
  read(): Promise<S>;
}): Promise<S> {
  try {
    return await inventory.read();
  } catch (error) {
    if (error instanceof InferctlError && (error.code === 'forbidden' || error.code === 'unauthorized')) {
      throw new InferctlError(error.code, `cannot read the ${inventory.description}: ${error.message}`, {
        hint: 'grant read/write on that index, or keep the inventory locally with --state-file FILE',
      });
    }
    throw error;
  }
}
