/**
 * The first half of `plan`, `apply` and `drift`, shared by the CLI and the Action: manifests validated
 * (nothing is sent to the cluster while any is invalid), cluster read, manifests checked against its
 * version, the inventory read, plan made. Problems in the manifests are thrown as one
 * `InferctlError('invalid_manifests')` carrying the diagnostics: the CLI prints them, the Action turns
 * them into annotations.
 */
import { planCluster, probeCluster, type ClusterSnapshot } from './reconcile.js';
import type { Plan } from '../engine/types.js';
import { InferctlError } from '../errors.js';
import type { Inventory, InventorySnapshot, Lock } from '../inventory/types.js';
import type { Diagnostic } from '../manifest/diagnostics.js';
import { loadManifests, type EndpointManifest } from '../manifest/load.js';
import { checkForVersion } from '../manifest/version-check.js';
import { storesFor, type Target } from '../cli/target.js';

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
  /** Called once the cluster is known and before the inventory is read (apply takes its lock here). */
  readonly beforeInventory?: (stores: { inventory: Inventory; lock: Lock }) => Promise<void>;
}

/** Validates the manifests; throws `InferctlError('invalid_manifests')` with the diagnostics. */
export function loadOrFail(
  target: Target,
  io: SessionIO,
  allowLiteralSecrets: boolean,
): { manifests: readonly EndpointManifest[]; files: number } {
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
  target.log.info({ files: loaded.files.length, manifests: loaded.manifests.length }, 'manifests loaded');
  return { manifests: loaded.manifests, files: loaded.files.length };
}

export async function prepare(target: Target, io: SessionIO, options: PrepareOptions): Promise<Prepared> {
  const { manifests, files } = loadOrFail(target, io, Boolean(options.allowLiteralSecrets));
  // The lock (apply) is taken before the endpoints are read, so that the plan describes the cluster as
  // this run will find it: `GET /` first (the version to check the manifests against, and the cluster's
  // identity for the lock's store), then — nothing written while a manifest is invalid — the lock.
  const probed = await probeCluster(target.client);
  const versionProblems = checkForVersion(manifests, probed.info.version);
  if (versionProblems.length) {
    throw new InferctlError(
      'invalid_manifests',
      `the manifests ask for what Elasticsearch ${probed.info.version} does not have`,
      {
        hint:
          'change the manifests, or validate against this version with inferctl validate --es-version ' +
          probed.info.version,
        context: { diagnostics: versionProblems, files, manifests: manifests.length },
      },
    );
  }
  const stores = storesFor(target, probed.info.clusterUuid ?? target.connection.url);
  await options.beforeInventory?.(stores);
  const snapshot: ClusterSnapshot = { ...probed, live: await target.client.listEndpoints() };
  target.log.info({ version: snapshot.info.version, endpoints: snapshot.live.length }, 'cluster read');
  const owned = await readInventory(stores.inventory);
  const plan = await planCluster(target.client, snapshot, manifests, {
    url: target.connection.url,
    inventory: stores.inventory.description,
    salt: owned.salt,
    ...(owned.exists
      ? { recordedSecrets: new Map([...owned.records].map(([id, r]) => [id, r.secrets])) }
      : {}),
    owned: new Map([...owned.records].map(([id, r]) => [id, { protect: r.protect }])),
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
export async function readInventory(inventory: Inventory): Promise<InventorySnapshot> {
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
