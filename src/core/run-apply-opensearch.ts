/**
 * The apply flow on an OpenSearch cluster, the sibling of `run-apply.ts` (same contract, so the CLI and
 * the Action only dispatch on `flavor`): the lock taken before the inventory is read and the plan made, a
 * plan other than the reviewed one refused, blocked changes and ambiguous names refused before anything
 * is written, the plan carried out with each object's id recorded as soon as it exists, the lock released.
 */
import { InferctlError } from '../errors.js';
import { whoAmI } from '../inventory/cluster.js';
import { refuseBlocked, refuseUnreviewed, stopSignal } from './apply-guards.js';
import type { HeldLock } from '../inventory/types.js';
import type { Target } from '../cli/target.js';
import {
  applyOpenSearch,
  type OpenSearchApplyEvent,
  type OpenSearchApplyResult,
} from '../opensearch/index.js';
import { prepareCluster, type PrepareOptions, type PreparedOpenSearch, type SessionIO } from './session.js';

export interface RunApplyOpenSearchOptions {
  readonly plan: Omit<PrepareOptions, 'beforeInventory' | 'beforeLock'>;
  readonly lockOwner: string;
  readonly lockTimeoutMs: number;
  readonly expectedChecksum?: string;
  readonly reviewedFrom?: string;
  readonly waitTimeoutMs?: number;
  /** Changes carried out at once, in dependency order (default 4). */
  readonly concurrency?: number;
  /** false: start deployments without waiting for DEPLOYED. */
  readonly wait?: boolean;
  readonly onPlan?: (prepared: PreparedOpenSearch) => void | Promise<void>;
  readonly confirm?: (prepared: PreparedOpenSearch) => Promise<boolean>;
  readonly onEvent?: (event: OpenSearchApplyEvent) => void;
  readonly signal?: AbortSignal;
  readonly onLockLost?: () => void;
}

export type RunApplyOpenSearchOutcome =
  | { readonly status: 'no-changes'; readonly prepared: PreparedOpenSearch }
  | { readonly status: 'cancelled'; readonly prepared: PreparedOpenSearch }
  | {
      readonly status: 'applied';
      readonly prepared: PreparedOpenSearch;
      readonly result: OpenSearchApplyResult;
      readonly interrupted: boolean;
    };

/**
 * Plans under the lock and carries the plan out, on OpenSearch. Throws `InferctlError` for what stops the
 * apply as a whole (`plan_changed`, `plan_blocked`, `ambiguous_names`, `invalid_manifests`, connection
 * problems); a failed change is a `failed` result, not a throw.
 *
 * @example const outcome = await runApplyOpenSearch(target, io, { plan: {}, lockOwner: 'inferctl apply', lockTimeoutMs: 120_000 });
 */
export async function runApplyOpenSearch(
  target: Target,
  io: SessionIO,
  options: RunApplyOpenSearchOptions,
): Promise<RunApplyOpenSearchOutcome> {
  let held: HeldLock | undefined;
  try {
    const prepared = await prepareCluster(target, io, {
      ...options.plan,
      beforeLock: async (lock) => {
        held = await lock.acquire(whoAmI(options.lockOwner), {
          timeoutMs: options.lockTimeoutMs,
          ttlMs: 120_000,
        });
      },
    });
    // Callers dispatch on `probeCluster(...).flavor` first; an Elasticsearch cluster here is their mistake.
    if (prepared.flavor !== 'opensearch') {
      throw new InferctlError('unsupported_cluster', 'runApplyOpenSearch needs an OpenSearch cluster', {
        hint: 'dispatch on probeCluster(client).flavor and run runApply for Elasticsearch',
      });
    }
    const { plan } = prepared;
    await options.onPlan?.(prepared);
    refuseUnreviewed(plan.checksum, options);
    if (plan.conflicts.length) {
      throw new InferctlError(
        'ambiguous_names',
        `names match several objects (${plan.conflicts.map((c) => `${c.key}: ${c.ids.join(', ')}`).join('; ')}); nothing was changed`,
        { hint: 'delete the extra objects, or record the intended id in the inventory' },
      );
    }
    const blocked = plan.changes.filter((c) => c.blocked);
    refuseBlocked(
      blocked.map((c) => c.blocked!),
      blocked.map((c) => c.key),
    );
    const signal = stopSignal(options.signal, held, options.onLockLost);
    const applyOptions = {
      inventory: prepared.inventory,
      salt: prepared.owned.salt,
      appliedBy: whoAmI(options.lockOwner).owner,
      ...(io.env['GITHUB_SHA'] ? { gitCommit: io.env['GITHUB_SHA'] } : {}),
      ...(options.waitTimeoutMs !== undefined ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.wait === false ? { wait: false } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      signal,
    };
    if (plan.changes.length === 0) {
      // Declared objects already in sync are recorded as owned (their ids), as on Elasticsearch.
      await applyOpenSearch(plan, prepared.manifests, prepared.ml, prepared.capabilities, applyOptions);
      return { status: 'no-changes', prepared };
    }
    if (options.confirm && !(await options.confirm(prepared))) return { status: 'cancelled', prepared };
    const result = await applyOpenSearch(
      plan,
      prepared.manifests,
      prepared.ml,
      prepared.capabilities,
      applyOptions,
    );
    return { status: 'applied', prepared, result, interrupted: signal.aborted };
  } finally {
    await held?.release();
  }
}
