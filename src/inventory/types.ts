/**
 * The inventory: what inferctl owns on a cluster. Per endpoint it records the fingerprints of the
 * secrets last sent (salted SHA-256, never a value), whether it is protected, where it was declared,
 * and when, by whom and from which commit it was last applied. Ownership decides what `--prune` may
 * delete; fingerprints let a plan notice rotated secrets it cannot read back.
 *
 * Two stores implement it: an index in the cluster (the default: every CI run sees the same record) and
 * a local JSON file (`--state-file`, for users without index privileges).
 */

export interface InventoryRecord {
  readonly id: string;
  readonly kind: 'InferenceEndpoint';
  /** Secret field → fingerprint. Empty when unknown (an adopted endpoint): "cannot verify". */
  readonly secrets: Readonly<Record<string, string>>;
  /** The manifest's `metadata.protect` at the last apply: a protected endpoint is never pruned. */
  readonly protect: boolean;
  /** `file:line` of the manifest at the last apply. */
  readonly source?: string;
  /** SHA-256 of the applied spec (secrets as fingerprints): what was applied, comparable across runs. */
  readonly spec_checksum?: string;
  readonly applied_at: string;
  readonly applied_by?: string;
  readonly git_commit?: string;
  readonly plan_checksum?: string;
  /**
   * The Elasticsearch version inferctl created the endpoint on (its last create or replacement). An endpoint created
   * on 8.16 or later got the current default chunking, so a legacy word/250/100 read back later is the `_update`
   * reset of issue #139574, shown as drift, not taken for the default of an endpoint older than chunking.
   */
  readonly created_on?: string;
}

export interface InventorySnapshot {
  /** Salt of the fingerprints (one per inventory). */
  readonly salt: string;
  readonly records: ReadonlyMap<string, InventoryRecord>;
  /** False until the first record is written (the store is created then). */
  readonly exists: boolean;
}

export interface Inventory {
  /** `index inferctl-inventory` or `state file .inferctl-state.json`: the plan says which is in use. */
  readonly description: string;
  read(): Promise<InventorySnapshot>;
  /** Records a change; creates the store on first use. */
  put(record: InventoryRecord): Promise<void>;
  /** Releases an endpoint (after a delete, or `inferctl forget`). */
  remove(id: string): Promise<void>;
  /** Makes buffered records durable in their final form (the file store's journal); optional. */
  flush?(): Promise<void>;
}

/** Where the lock of an apply lives: the same store as the inventory. */
export interface Lease {
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  readonly command: string;
  readonly acquired_at: string;
  readonly expires_at: string;
}

/** A lease for `base` taken now, valid for `ttlMs`. */
export function newLease(base: Omit<Lease, 'acquired_at' | 'expires_at'>, now: number, ttlMs: number): Lease {
  return {
    ...base,
    acquired_at: new Date(now).toISOString(),
    expires_at: new Date(now + ttlMs).toISOString(),
  };
}

export interface Lock {
  readonly description: string;
  /** Waits up to `timeoutMs` for the lock; throws an `InferctlError('locked')` naming the holder. */
  acquire(
    lease: Omit<Lease, 'acquired_at' | 'expires_at'>,
    options: { timeoutMs: number; ttlMs: number },
  ): Promise<HeldLock>;
  /** Who holds it now, if anyone (expired leases included, marked). */
  holder(): Promise<(Lease & { expired: boolean }) | undefined>;
  /** Removes any lease (`inferctl unlock`). */
  breakLock(): Promise<boolean>;
}

export interface HeldLock {
  /** Rejects, and `signal` aborts, when the lease is lost (another run took it over after it expired). */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}
