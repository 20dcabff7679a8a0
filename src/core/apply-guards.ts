/**
 * What both apply flows (`run-apply.ts`, `run-apply-opensearch.ts`) refuse or wire up alike: a plan other than the
 * reviewed one, a plan with blocked changes, and the signal that stops new changes (an interrupt, or the lock lost).
 */
import { InferctlError } from '../errors.js';
import type { HeldLock } from '../inventory/types.js';

/** Throws `plan_changed` when a reviewed checksum is given and the fresh plan has another. */
export function refuseUnreviewed(
  checksum: string,
  options: { readonly expectedChecksum?: string; readonly reviewedFrom?: string },
): void {
  if (options.expectedChecksum === undefined || options.expectedChecksum === checksum) return;
  throw new InferctlError(
    'plan_changed',
    `the plan is not the one reviewed: ${options.reviewedFrom ?? 'the reviewed plan'} has ${options.expectedChecksum}, the cluster and manifests now give ${checksum}`,
    { hint: 'the cluster or the manifests moved since the plan was made: review a new plan' },
  );
}

/** Throws `plan_blocked` naming the blocked changes (`names`), with the first one's hint. */
export function refuseBlocked(blocked: readonly { readonly hint: string }[], names: readonly string[]): void {
  if (blocked.length === 0) return;
  throw new InferctlError(
    'plan_blocked',
    `the plan has ${blocked.length} blocked change${blocked.length === 1 ? '' : 's'} (${names.join(', ')}); nothing was changed`,
    { hint: blocked[0]!.hint },
  );
}

/** One signal that aborts when the caller's does, or when the lock is lost (after `onLockLost`). */
export function stopSignal(
  signal: AbortSignal | undefined,
  held: HeldLock | undefined,
  onLockLost?: () => void,
): AbortSignal {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (signal?.aborted) controller.abort();
  held?.lost.addEventListener('abort', () => {
    onLockLost?.();
    controller.abort();
  });
  return controller.signal;
}
