/**
 * Carrying out a plan. Each change runs its compiled steps, then proves itself: the endpoint is read
 * back and compared with the manifest (a field Elasticsearch silently ignored is a failure, not a
 * success), and in-cluster endpoints are waited for until their deployment is allocated.
 *
 * Apply never throws for one failed change: every change ends `succeeded`, `failed`, `skipped` or
 * `not-executed`, and progress is a stream of events that the CLI renders.
 */
import type { Capabilities } from '../catalog/capabilities.js';
import { getService } from '../catalog/index.js';
import type { DeploymentStats, InferenceApi } from '../backends/elasticsearch/api.js';
import { InferctlError } from '../errors.js';
import type { EndpointManifest } from '../manifest/load.js';
import { compareEndpoint, type FieldDifference } from './compare.js';
import { compileChange, type Step } from './compile.js';
import type { Change, Plan } from './types.js';

export type Outcome = 'succeeded' | 'failed' | 'skipped' | 'not-executed';

export interface ChangeResult {
  readonly id: string;
  readonly action: Change['action'];
  readonly outcome: Outcome;
  /** What happened, in a sentence (the error's message on failure). */
  readonly message: string;
  readonly error?: { readonly code: string; readonly hint?: string };
  /** Requests sent for this change, e.g. `DELETE`, `PUT`, `_update`. */
  readonly requests: readonly string[];
  /** Fields still different after the write (a failed verification). */
  readonly unapplied?: readonly string[];
}

export interface ApplyResult {
  readonly results: readonly ChangeResult[];
  readonly summary: Readonly<Record<Outcome, number>>;
}

export type ApplyEvent =
  | { readonly type: 'change-start'; readonly change: Change }
  | { readonly type: 'request'; readonly id: string; readonly step: Step['kind'] }
  | { readonly type: 'waiting'; readonly id: string; readonly detail: string }
  | { readonly type: 'change-end'; readonly result: ChangeResult };

export interface ApplyOptions {
  readonly concurrency?: number;
  /** Wait for in-cluster deployments to be allocated (default true). */
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Stop starting new changes (an interrupt): the rest end `not-executed`. */
  readonly signal?: AbortSignal;
}

/**
 * Applies `plan` to the cluster behind `api`. `manifests` are the ones the plan was made from (their
 * secrets are sent); `caps` the cluster's capabilities.
 *
 * @example const result = await apply(plan, manifests, api, caps, { concurrency: 4, onEvent: render });
 */
export async function apply(
  plan: Plan,
  manifests: readonly EndpointManifest[],
  api: InferenceApi,
  caps: Capabilities,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const emit = options.onEvent ?? (() => {});
  const results = new Map<string, ChangeResult>();
  const queue = [...plan.changes];
  const concurrency = Math.max(1, options.concurrency ?? 4);

  const worker = async () => {
    for (;;) {
      const change = queue.shift();
      if (!change) return;
      if (options.signal?.aborted) {
        results.set(change.id, notExecuted(change, 'interrupted before it started'));
        continue;
      }
      emit({ type: 'change-start', change });
      const result = await applyChange(change, byId.get(change.id), api, caps, options, emit);
      results.set(change.id, result);
      emit({ type: 'change-end', result });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  const ordered = plan.changes.map((c) => results.get(c.id) ?? notExecuted(c, 'not reached'));
  const summary = { succeeded: 0, failed: 0, skipped: 0, 'not-executed': 0 };
  for (const r of ordered) summary[r.outcome]++;
  return { results: ordered, summary };
}

function notExecuted(change: Change, message: string): ChangeResult {
  return { id: change.id, action: change.action, outcome: 'not-executed', message, requests: [] };
}

async function applyChange(
  change: Change,
  manifest: EndpointManifest | undefined,
  api: InferenceApi,
  caps: Capabilities,
  options: ApplyOptions,
  emit: (e: ApplyEvent) => void,
): Promise<ChangeResult> {
  const requests: string[] = [];
  const base = { id: change.id, action: change.action, requests };
  if (change.blocked) {
    return {
      ...base,
      outcome: 'skipped',
      message: `blocked: ${change.blocked.reason}`,
      error: { code: 'blocked', hint: change.blocked.hint },
    };
  }
  let deleted = false;
  try {
    for (const step of compileChange(change, manifest, caps)) {
      emit({ type: 'request', id: change.id, step: step.kind });
      requests.push(step.kind === 'put' ? 'PUT' : step.kind === 'update' ? '_update' : 'DELETE');
      if (step.kind === 'put') await api.putEndpoint(step.taskType, step.id, step.body);
      else if (step.kind === 'update') await api.updateEndpoint(step.taskType, step.id, step.body);
      else {
        await api.deleteEndpoint(step.taskType, step.id, step.force ? { force: true } : {});
        deleted = true;
      }
    }
    if (change.action === 'delete' || !manifest) return { ...base, outcome: 'succeeded', message: 'deleted' };
    const inCluster = getService(manifest.spec.service)?.inCluster === true;
    if (inCluster && options.wait !== false) {
      const waited = await waitForDeployment(change.id, api, options, emit);
      if (!waited.ok) {
        return {
          ...base,
          outcome: 'failed',
          message: waited.message,
          error: { code: 'not_ready', hint: waited.hint },
        };
      }
    }
    // Verify: read back and compare. On the fast path this is one GET per changed endpoint.
    const live = await api.getEndpoint(change.id);
    if (!live) {
      return {
        ...base,
        outcome: 'failed',
        message: 'the endpoint is missing right after it was written',
        error: { code: 'verify_missing' },
      };
    }
    const remaining = compareEndpoint(manifest, live, caps).filter(
      (d) => !(inCluster && options.wait === false && isLiveCount(d)),
    );
    if (remaining.length) {
      const fields = remaining.map((d) => d.path);
      return {
        ...base,
        outcome: 'failed',
        message: `Elasticsearch accepted the request but did not apply ${fields.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')}`,
        error: {
          code: 'not_applied',
          hint:
            change.action === 'update'
              ? 'this version ignores these fields in _update; apply again with the change planned as a replacement, or report it if the catalog is wrong'
              : 'compare the manifest with GET _inference/' + change.id,
        },
        unapplied: fields,
      };
    }
    return { ...base, outcome: 'succeeded', message: successMessage(change) };
  } catch (error) {
    const e = error instanceof InferctlError ? error : undefined;
    const recovery =
      change.action === 'replace' && deleted
        ? `the old endpoint was deleted and the new one was not created: run inferctl apply again (the plan now creates ${change.id})`
        : undefined;
    return {
      ...base,
      outcome: 'failed',
      message: (e?.message ?? String((error as Error)?.message ?? error)) + (recovery ? `; ${recovery}` : ''),
      error: { code: e?.code ?? 'internal', ...(e?.hint ? { hint: e.hint } : {}) },
    };
  }
}

function successMessage(change: Change): string {
  switch (change.action) {
    case 'create':
      return 'created and verified';
    case 'update':
      return 'updated in place and verified';
    case 'replace':
      return 'replaced and verified';
    case 'delete':
      return 'deleted';
  }
}

function isLiveCount(d: FieldDifference): boolean {
  return d.path === '/service_settings/num_allocations';
}

/**
 * Waits until the endpoint's deployment is allocated: `fully_allocated` with every target allocation
 * running, or — under adaptive allocations that may scale to zero — simply started (reference api §1).
 */
async function waitForDeployment(
  id: string,
  api: InferenceApi,
  options: ApplyOptions,
  emit: (e: ApplyEvent) => void,
): Promise<{ ok: true } | { ok: false; message: string; hint: string }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitTimeoutMs ?? 600_000);
  const interval = options.pollIntervalMs ?? 2_000;
  let last = 'no deployment yet';
  for (;;) {
    const stats = (await api.deploymentStats([id])).get(id);
    const verdict = readiness(stats);
    if (verdict.ready) return { ok: true };
    if (verdict.failed) {
      return {
        ok: false,
        message: `deployment ${id} failed: ${verdict.detail}`,
        hint: `see GET _ml/trained_models/${id}/_stats`,
      };
    }
    if (verdict.detail !== last) {
      last = verdict.detail;
      emit({ type: 'waiting', id, detail: verdict.detail });
    }
    if (now() >= deadline) {
      return {
        ok: false,
        message: `deployment ${id} not ready before the timeout (${last})`,
        hint: `the endpoint exists and its model is still starting; watch GET _ml/trained_models/${id}/_stats, or raise --wait-timeout`,
      };
    }
    await sleep(interval);
  }
}

/** Is a deployment ready for inference? */
export function readiness(stats: DeploymentStats | undefined): {
  ready: boolean;
  failed?: boolean;
  detail: string;
} {
  if (!stats) return { ready: false, detail: 'no deployment yet' };
  if (stats.state === 'failed') return { ready: false, failed: true, detail: stats.reason ?? 'failed' };
  const a = stats.allocation_status;
  const adaptive =
    (stats.adaptive_allocations as { enabled?: boolean; min_number_of_allocations?: number } | undefined) ??
    undefined;
  if (adaptive?.enabled && (adaptive.min_number_of_allocations ?? 0) === 0 && stats.state === 'started') {
    return { ready: true, detail: 'started (adaptive allocations, may scale to zero)' };
  }
  if (!a) return { ready: false, detail: stats.state ?? 'starting' };
  const detail = `${a.state}, ${a.allocation_count}/${a.target_allocation_count} allocations`;
  return { ready: a.state === 'fully_allocated' && a.allocation_count === a.target_allocation_count, detail };
}
