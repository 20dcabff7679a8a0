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
import type { DeploymentStats, InferenceApi, LiveEndpoint } from '../backends/elasticsearch/api.js';
import { InferctlError } from '../errors.js';
import { restoreBody } from '../core/export.js';
import { Secret } from '../manifest/secrets.js';
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
  /** The change's requests succeeded; verification (and readiness) come after all writes. */
  | { readonly type: 'written'; readonly id: string; readonly requests: readonly string[] }
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
  /**
   * Called, and awaited, right after a change's requests succeeded: where the CLI records it in the
   * inventory, so that a crash loses at most the change in flight.
   */
  readonly onWritten?: (change: Change) => Promise<void>;
  /** The endpoints as they were before this apply (the plan's snapshot), to restore a failed replacement. */
  readonly previous?: ReadonlyMap<string, LiveEndpoint>;
  /** Restore the previous configuration when a replacement's create fails (`--rollback-on-failure`). */
  readonly rollbackOnFailure?: boolean;
}

/**
 * Applies `plan` to the cluster behind `api`. `manifests` are the ones the plan was made from (their
 * secrets are sent); `caps` the cluster's capabilities.
 *
 * Three phases, so that N changes cost about ⌈N / concurrency⌉ round trips plus a constant: the writes,
 * with bounded concurrency; then one stats request per poll for every in-cluster deployment still
 * starting; then one read of every endpoint to verify what was written.
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
  const written = new Map<string, { change: Change; requests: string[] }>();
  const queue = [...plan.changes];
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const finish = (result: ChangeResult) => {
    results.set(result.id, result);
    emit({ type: 'change-end', result });
  };

  // 1. Writes.
  const worker = async () => {
    for (;;) {
      const change = queue.shift();
      if (!change) return;
      if (options.signal?.aborted) {
        results.set(change.id, notExecuted(change, 'interrupted before it started'));
        continue;
      }
      emit({ type: 'change-start', change });
      const outcome = await write(change, byId.get(change.id), api, caps, emit, options);
      if ('result' in outcome) finish(outcome.result);
      else {
        written.set(change.id, { change, requests: outcome.requests });
        await options.onWritten?.(change);
        emit({ type: 'written', id: change.id, requests: outcome.requests });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  // 2. Readiness of in-cluster deployments, all polled together.
  const toWait = [...written.values()].filter(({ change }) => {
    const m = byId.get(change.id);
    return change.action !== 'delete' && m !== undefined && getService(m.spec.service)?.inCluster === true;
  });
  if (toWait.length && options.wait !== false) {
    // An endpoint attached to an existing deployment (`deployment_id`) waits on that deployment, not on one
    // named after the endpoint (there is none: the wait would run to its timeout).
    const verdicts = await waitForDeployments(
      toWait.map((w) => {
        const declared = byId.get(w.change.id)?.spec.service_settings['deployment_id'];
        return [w.change.id, typeof declared === 'string' ? declared : w.change.id] as const;
      }),
      api,
      options,
      emit,
    );
    for (const [id, verdict] of verdicts) {
      if (verdict.ok) continue;
      const w = written.get(id)!;
      written.delete(id);
      finish({
        ...base(w.change, w.requests),
        outcome: 'failed',
        message: verdict.message,
        error: { code: 'not_ready', hint: verdict.hint },
      });
    }
  }

  // 3. Verification: read back and compare — one request for all, or one GET for a single change.
  const toVerify = [...written.values()];
  if (toVerify.length) {
    let live: Map<string, LiveEndpoint>;
    try {
      live =
        toVerify.length === 1
          ? new Map(
              [await api.getEndpoint(toVerify[0]!.change.id)]
                .filter((e): e is LiveEndpoint => e !== undefined)
                .map((e) => [e.inference_id, e]),
            )
          : new Map((await api.listEndpoints()).map((e) => [e.inference_id, e]));
    } catch (error) {
      const e = error instanceof InferctlError ? error : undefined;
      for (const w of toVerify) {
        finish({
          ...base(w.change, w.requests),
          outcome: 'failed',
          message: `written, but could not be read back to verify: ${e?.message ?? String(error)}`,
          error: {
            code: e?.code ?? 'verify_failed',
            hint: 'run inferctl plan to see the state of the cluster',
          },
        });
      }
      live = new Map();
      toVerify.length = 0;
    }
    for (const w of toVerify)
      finish(verify(w.change, w.requests, byId.get(w.change.id), live.get(w.change.id), caps, options));
  }
  const ordered = plan.changes.map((c) => results.get(c.id) ?? notExecuted(c, 'not reached'));
  const summary = { succeeded: 0, failed: 0, skipped: 0, 'not-executed': 0 };
  for (const r of ordered) summary[r.outcome]++;
  return { results: ordered, summary };
}

function notExecuted(change: Change, message: string): ChangeResult {
  return { id: change.id, action: change.action, outcome: 'not-executed', message, requests: [] };
}

function base(change: Change, requests: readonly string[]) {
  return { id: change.id, action: change.action, requests };
}

/** Runs a change's requests. Returns a final result (failed, skipped) or the requests that succeeded. */
async function write(
  change: Change,
  manifest: EndpointManifest | undefined,
  api: InferenceApi,
  caps: Capabilities,
  emit: (e: ApplyEvent) => void,
  options: ApplyOptions = {},
): Promise<{ result: ChangeResult } | { requests: string[] }> {
  const requests: string[] = [];
  if (change.blocked) {
    return {
      result: {
        ...base(change, requests),
        outcome: 'skipped',
        message: `blocked: ${change.blocked.reason}`,
        error: { code: 'blocked', hint: change.blocked.hint },
      },
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
    return { requests };
  } catch (error) {
    const e = error instanceof InferctlError ? error : undefined;
    const notes: string[] = [];
    // Elasticsearch can store an endpoint although its PUT failed (issue #137127): look, and say so.
    if (change.action !== 'delete' && requests[requests.length - 1] === 'PUT') {
      const stored = await api.getEndpoint(change.id).catch(() => undefined);
      if (stored)
        notes.push(
          'Elasticsearch stored the endpoint anyway (issue #137127): the next plan compares it with the manifest',
        );
      else if (change.action === 'replace' && deleted)
        notes.push(
          e?.code === 'in_use_by_mappings' && caps.createGuard === 'strict'
            ? `${change.id} is gone and Elasticsearch ${caps.version} will not create it again while those indices hold documents (PR #137055): ingest into their semantic_text fields fails until they use another endpoint`
            : await recover(change, manifest, api, caps, options, requests),
        );
    }
    return {
      result: {
        ...base(change, requests),
        outcome: 'failed',
        message: [e?.message ?? String((error as Error)?.message ?? error), ...notes].join('; '),
        error: { code: e?.code ?? 'internal', ...(e?.hint ? { hint: e.hint } : {}) },
      },
    };
  }
}

/**
 * A replacement deleted the old endpoint and could not create the new one: restore the old configuration
 * (`--rollback-on-failure`), or say exactly what to run to restore it. Its secrets are the manifest's:
 * Elasticsearch never returned the old ones.
 */
async function recover(
  change: Change,
  manifest: EndpointManifest | undefined,
  api: InferenceApi,
  caps: Capabilities,
  options: ApplyOptions,
  requests: string[],
): Promise<string> {
  const previous = options.previous?.get(change.id);
  if (!previous)
    return `the old endpoint was deleted and the new one was not created: run inferctl apply again (the plan now creates ${change.id})`;
  const same = manifest && manifest.spec.service === previous.service;
  const restore = restoreBody(previous, caps, same ? manifest.spec.service_settings : undefined);
  if (options.rollbackOnFailure && restore.missingSecrets.length === 0) {
    try {
      requests.push('PUT (rollback)');
      await api.putEndpoint(restore.taskType, change.id, restore.body);
      return 'the previous configuration was restored (--rollback-on-failure)';
    } catch (error) {
      return `restoring the previous configuration failed too (${(error as Error).message}); the endpoint does not exist now`;
    }
  }
  // toJSON would print "(secret)": show where each secret comes from instead, never its value.
  const placeholders = (v: unknown): unknown =>
    v instanceof Secret
      ? `<${v.source}>`
      : v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, placeholders(x)]))
        : v;
  const shown = JSON.stringify(placeholders(restore.body));
  return (
    `the old endpoint was deleted and the new one was not created; to restore it: PUT _inference/${restore.taskType}/${change.id} ${shown}` +
    (restore.missingSecrets.length
      ? ` (with ${restore.missingSecrets.join(', ')})`
      : ' (or run apply with --rollback-on-failure)')
  );
}

/** Compares what was written with what the cluster now holds: an ignored field is a failure. */
function verify(
  change: Change,
  requests: readonly string[],
  manifest: EndpointManifest | undefined,
  live: LiveEndpoint | undefined,
  caps: Capabilities,
  options: ApplyOptions,
): ChangeResult {
  const b = base(change, requests);
  if (change.action === 'delete' || !manifest) {
    return live
      ? {
          ...b,
          outcome: 'failed',
          message: 'deleted, but it is still there',
          error: { code: 'verify_present' },
        }
      : { ...b, outcome: 'succeeded', message: 'deleted' };
  }
  if (!live) {
    return {
      ...b,
      outcome: 'failed',
      message: 'the endpoint is missing right after it was written',
      error: { code: 'verify_missing' },
    };
  }
  const inCluster = getService(manifest.spec.service)?.inCluster === true;
  const remaining = compareEndpoint(manifest, live, caps).filter(
    (d) => !(inCluster && options.wait === false && isLiveCount(d)),
  );
  if (remaining.length === 0) return { ...b, outcome: 'succeeded', message: successMessage(change) };
  const fields = remaining.map((d) => d.path);
  return {
    ...b,
    outcome: 'failed',
    message: `Elasticsearch accepted the request but did not apply ${fields.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')}`,
    error: {
      code: 'not_applied',
      hint:
        change.action === 'update'
          ? 'this version ignores these fields in _update; apply again with the change planned as a replacement, or report it if the catalog is wrong'
          : `compare the manifest with GET _inference/${change.id}`,
    },
    unapplied: fields,
  };
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

type Readiness = { ok: true } | { ok: false; message: string; hint: string };

/**
 * Waits until each endpoint's deployment is allocated: `fully_allocated` with every target allocation
 * running, or — under adaptive allocations that may scale to zero — simply started.
 * One stats request per poll covers every deployment still waited for.
 */
async function waitForDeployments(
  targets: readonly (readonly [endpointId: string, deploymentId: string])[],
  api: InferenceApi,
  options: ApplyOptions,
  emit: (e: ApplyEvent) => void,
): Promise<Map<string, Readiness>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitTimeoutMs ?? 600_000);
  const interval = options.pollIntervalMs ?? 2_000;
  const verdicts = new Map<string, Readiness>();
  const last = new Map<string, string>();
  const deploymentOf = new Map(targets);
  let pending = targets.map(([id]) => id);
  for (;;) {
    const stats = await api.deploymentStats([...new Set(pending.map((id) => deploymentOf.get(id)!))]);
    for (const id of pending) {
      const deployment = deploymentOf.get(id)!;
      const verdict = readiness(stats.get(deployment));
      if (verdict.ready) verdicts.set(id, { ok: true });
      else if (verdict.failed) {
        verdicts.set(id, {
          ok: false,
          message: `deployment ${deployment} failed: ${verdict.detail}`,
          hint: `see GET _ml/trained_models/${deployment}/_stats`,
        });
      } else if (last.get(id) !== verdict.detail) {
        last.set(id, verdict.detail);
        emit({ type: 'waiting', id, detail: verdict.detail });
      }
    }
    pending = pending.filter((id) => !verdicts.has(id));
    if (pending.length === 0) return verdicts;
    if (now() >= deadline) {
      for (const id of pending) {
        const deployment = deploymentOf.get(id)!;
        verdicts.set(id, {
          ok: false,
          message: `deployment ${deployment} not ready before the timeout (${last.get(id) ?? 'no deployment yet'})`,
          hint: `the endpoint exists and its model is still starting; watch GET _ml/trained_models/${deployment}/_stats, or raise --wait-timeout`,
        });
      }
      return verdicts;
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
