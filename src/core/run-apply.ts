/**
 * The apply flow shared by `inferctl apply` and the GitHub Action: take the lock before the inventory is
 * read and the plan made, refuse a plan other than the reviewed one, own declared endpoints already in
 * sync, refuse blocked changes, carry out the plan and record each change in the inventory as soon as it
 * is made, release the lock. The callers only render (the plan, progress, results) and decide how to
 * confirm.
 */
import { apply, type ApplyEvent, type ApplyResult } from '../engine/apply.js';
import { whoAmI } from '../inventory/cluster.js';
import type { HeldLock } from '../inventory/types.js';
import type { EndpointManifest } from '../manifest/load.js';
import type { Target } from '../cli/target.js';
import { refuseBlocked, refuseUnreviewed, stopSignal } from './apply-guards.js';
import { assertWritable } from './reconcile.js';
import { createdOnFor, inventoryRecord, sentSecrets } from './records.js';
import { prepare, type PrepareOptions, type Prepared, type SessionIO } from './session.js';

export interface RunApplyOptions {
  /** What the plan contains (prune, guard rails, …); the lock hook is this module's. */
  readonly plan: Omit<PrepareOptions, 'beforeInventory'>;
  /** Who holds the lock, as the lease shows it (`inferctl apply`, `inferctl action`). */
  readonly lockOwner: string;
  readonly lockTimeoutMs: number;
  /**
   * The checksum of the reviewed plan: a fresh plan with another checksum is refused before anything is
   * written. `reviewedFrom` names where it came from, for the message (`plan.json`, `expected-checksum`).
   */
  readonly expectedChecksum?: string;
  readonly reviewedFrom?: string;
  readonly concurrency?: number;
  /** Restore the old configuration when a replacement's create fails. */
  readonly rollbackOnFailure?: boolean;
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
  /** Called once the plan is made, before the checksum is compared (the CLI prints the plan here). */
  readonly onPlan?: (prepared: Prepared) => void | Promise<void>;
  /** Asked before the first write when there are changes; `false` cancels (nothing written). */
  readonly confirm?: (prepared: Prepared) => Promise<boolean>;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Stop starting new changes (an interrupt); the lock being lost stops them too. */
  readonly signal?: AbortSignal;
  /** The lock was taken over by another run: no new change starts. */
  readonly onLockLost?: () => void;
  /** A change made but not recorded in the inventory, and similar non-fatal problems. */
  readonly onWarning?: (message: string) => void;
}

export type RunApplyOutcome =
  /** The plan had no changes (declared endpoints in sync were recorded as owned). */
  | { readonly status: 'no-changes'; readonly prepared: Prepared }
  /** The confirmation said no: nothing written. */
  | { readonly status: 'cancelled'; readonly prepared: Prepared }
  | {
      readonly status: 'applied';
      readonly prepared: Prepared;
      readonly result: ApplyResult;
      /** Stopped early (interrupt or lock lost): changes not started are `not-executed`. */
      readonly interrupted: boolean;
    };

/**
 * Plans under the lock and carries the plan out. Throws `InferctlError` for what stops the apply as a
 * whole (`plan_changed`, `plan_blocked`, `invalid_manifests`, connection problems); a failed change is a
 * `failed` result, not a throw.
 *
 * @example const outcome = await runApply(target, io, { plan: {}, lockOwner: 'inferctl apply', lockTimeoutMs: 120_000 })
 */
export async function runApply(
  target: Target,
  io: SessionIO,
  options: RunApplyOptions,
): Promise<RunApplyOutcome> {
  let held: HeldLock | undefined;
  let flush: (() => Promise<void>) | undefined;
  try {
    const prepared = await prepare(target, io, {
      ...options.plan,
      // The lock is taken before the inventory is read and the plan made, so that the plan describes the
      // cluster as this apply will find it.
      beforeInventory: async ({ lock }) => {
        held = await lock.acquire(whoAmI(options.lockOwner), {
          timeoutMs: options.lockTimeoutMs,
          ttlMs: 120_000,
        });
      },
    });
    const { plan, snapshot, manifests, inventory, owned } = prepared;
    flush = inventory.flush?.bind(inventory);
    await options.onPlan?.(prepared);
    refuseUnreviewed(plan.checksum, options);
    const byId = new Map(manifests.map((m) => [m.id, m]));
    const record = (manifest: EndpointManifest, sent: boolean, createdOn?: string) =>
      inventory.put(
        inventoryRecord(
          manifest,
          sent ? owned.salt : undefined,
          owned.records.get(manifest.id),
          plan.checksum,
          io.env,
          createdOn,
        ),
      );
    // Declared endpoints already as declared but not yet owned (created before inferctl, or by an older
    // one) are owned from now on: declaring them is managing them.
    const adoptions = manifests.filter((m) => !owned.records.has(m.id) && plan.unchanged.includes(m.id));
    if (plan.changes.length === 0) {
      if (adoptions.length) assertWritable(snapshot.capabilities);
      for (const m of adoptions) await record(m, false);
      return { status: 'no-changes', prepared };
    }
    assertWritable(snapshot.capabilities);
    const blocked = plan.changes.filter((c) => c.blocked);
    refuseBlocked(
      blocked.map((c) => c.blocked!),
      blocked.map((c) => c.id),
    );
    if (options.confirm && !(await options.confirm(prepared))) return { status: 'cancelled', prepared };

    const signal = stopSignal(options.signal, held, options.onLockLost);
    for (const m of adoptions) await record(m, false);
    const result = await apply(plan, manifests, target.client, snapshot.capabilities, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.wait !== undefined ? { wait: options.wait } : {}),
      ...(options.waitTimeoutMs !== undefined ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      signal,
      previous: new Map(snapshot.live.map((e) => [e.inference_id, e])),
      ...(options.rollbackOnFailure ? { rollbackOnFailure: true } : {}),
      onWritten: async (change) => {
        try {
          if (change.action === 'delete') await inventory.remove(change.id);
          else {
            const manifest = byId.get(change.id)!;
            await record(
              manifest,
              sentSecrets(change, manifest, snapshot),
              createdOnFor(change, snapshot.capabilities.version),
            );
          }
        } catch (error) {
          options.onWarning?.(
            `${change.id} was changed but could not be recorded in the ${inventory.description}: ${(error as Error).message}`,
          );
        }
      },
    });
    return { status: 'applied', prepared, result, interrupted: signal.aborted };
  } finally {
    // The journal is folded in before the lock is released: the next run reads one file.
    await flush?.().catch(() => undefined);
    await held?.release().catch(() => undefined);
  }
}
