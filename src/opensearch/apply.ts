/**
 * Carrying out an OpenSearch plan, change by change in the plan's order (it is a dependency order).
 *
 * - Registration is task based: the register task is polled until COMPLETED or FAILED.
 * - A deploy is waited for until the model is DEPLOYED; DEPLOY_FAILED and PARTIALLY_DEPLOYED end the
 *   change as failed, with the nodes' errors from the deploy task (reported as they are, not retried).
 * - An update refused with 409 because the model is DEPLOYING waits for the deployment to end and is sent
 *   again.
 * - Every written object is read back and compared with its manifest: a field the server ignored is a
 *   failure, not a success.
 * - Apply never throws for one change: each ends `succeeded`, `failed`, `skipped` (blocked, or a change
 *   it depends on did not succeed) or `not-executed` (interrupted). The inventory records each object's
 *   id as soon as it exists, so that a crash loses at most the change in flight.
 */
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { InferctlError } from '../errors.js';
import type { OpenSearchMlApi } from './client.js';
import { compareSpec, withResolvedReferences } from './compare.js';
import { compileOpenSearchChange, describeStep, type OpenSearchStep } from './compile.js';
import type { OpenSearchInventory } from './inventory.js';
import { DEPLOYED_STATES, DEPLOYING_STATES, stringField, type LiveObject } from './live.js';
import { objectKey, undeclaredModelKey, type OpenSearchManifest } from './kinds.js';
import { manifestFingerprints } from './plan.js';
import type { OpenSearchChange, OpenSearchPlan } from './types.js';

export type OpenSearchOutcome = 'succeeded' | 'failed' | 'skipped' | 'not-executed';

export interface OpenSearchChangeResult {
  readonly key: string;
  readonly action: OpenSearchChange['action'];
  readonly outcome: OpenSearchOutcome;
  /** What happened, in a sentence. */
  readonly message: string;
  readonly error?: { readonly code: string; readonly hint?: string };
  /** Requests sent, as `METHOD path`. */
  readonly requests: readonly string[];
  /** The object's id after the change (a new one after a create or a re-registration). */
  readonly id?: string;
  /** Fields still different after the write (a failed verification). */
  readonly unapplied?: readonly string[];
}

export interface OpenSearchApplyResult {
  readonly results: readonly OpenSearchChangeResult[];
  readonly summary: Readonly<Record<OpenSearchOutcome, number>>;
}

export type OpenSearchApplyEvent =
  | { readonly type: 'change-start'; readonly change: OpenSearchChange }
  | { readonly type: 'request'; readonly key: string; readonly request: string }
  | { readonly type: 'waiting'; readonly key: string; readonly detail: string }
  | { readonly type: 'change-end'; readonly result: OpenSearchChangeResult };

export interface OpenSearchApplyOptions {
  /** Where ids and credential fingerprints are recorded after each change. */
  readonly inventory?: OpenSearchInventory;
  /** Salt of the fingerprints (the inventory's; the plan was made with it). */
  readonly salt?: string;
  /** Stamped on inventory records. */
  readonly appliedBy?: string;
  readonly gitCommit?: string;
  readonly onEvent?: (event: OpenSearchApplyEvent) => void;
  /** How long a task or deployment is waited for (default 10 minutes). */
  readonly waitTimeoutMs?: number;
  /** Between two polls (default 500 ms). */
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Stop starting new changes: the rest end `not-executed`. */
  readonly signal?: AbortSignal;
  /** Changes carried out at once, in dependency order (default 4). */
  readonly concurrency?: number;
  /** false: start deployments without waiting for DEPLOYED (`--no-wait`). */
  readonly wait?: boolean;
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Applies `plan`. `manifests` are the ones it was made from (their credentials are sent).
 *
 * @example const result = await applyOpenSearch(plan, manifests, ml, caps, { inventory, salt });
 */
export async function applyOpenSearch(
  plan: OpenSearchPlan,
  manifests: readonly OpenSearchManifest[],
  ml: OpenSearchMlApi,
  caps: OpenSearchCapabilities,
  options: OpenSearchApplyOptions = {},
): Promise<OpenSearchApplyResult> {
  const emit = options.onEvent ?? (() => {});
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const timeoutMs = options.waitTimeoutMs ?? 600_000;
  const interval = options.pollIntervalMs ?? 500;
  const salt = options.salt ?? '';
  const byKey = new Map(manifests.map((m) => [objectKey(m.kind, m.name), m]));
  const ids = new Map(Object.entries(plan.ids));
  const results = new Map<string, OpenSearchChangeResult>();

  // The inventory as it was before this apply: the fingerprints an object keeps when a change does not send its
  // credential (an adopted connector whose description changes must stay "cannot verify", not look verified).
  const before = options.inventory ? await options.inventory.read() : undefined;
  const recorded = new Map(before?.records ?? []);

  /** One inventory record; `secrets` the fingerprints of what is on the cluster now. */
  const put = async (
    key: string,
    fields: {
      kind: OpenSearchManifest['kind'];
      name: string;
      id: string;
      secrets: Readonly<Record<string, string>>;
    },
    m?: OpenSearchManifest,
  ) => {
    if (!options.inventory) return;
    const record = {
      key,
      kind: fields.kind,
      name: fields.name,
      object_id: fields.id,
      secrets: fields.secrets,
      protect: m?.protect ?? false,
      ...(m ? { source: `${m.source.file}:${m.source.line}` } : {}),
      applied_at: new Date(now()).toISOString(),
      ...(options.appliedBy ? { applied_by: options.appliedBy } : {}),
      ...(options.gitCommit ? { git_commit: options.gitCommit } : {}),
      plan_checksum: plan.checksum,
    };
    recorded.set(key, record);
    await options.inventory.put(record);
  };

  /** Records a declared object's id; its fingerprints are the manifest's only when `sent` says the credential went. */
  const record = async (key: string, id: string, sent: boolean) => {
    const m = byKey.get(key);
    if (!m) return;
    const secrets = sent ? manifestFingerprints(m, salt) : (recorded.get(key)?.secrets ?? {});
    await put(key, { kind: m.kind, name: m.name, id, secrets }, m);
  };

  if (plan.conflicts.length) {
    const message = `not applied: names are ambiguous (${plan.conflicts.map((c) => c.key).join(', ')})`;
    const out = plan.changes.map((c): OpenSearchChangeResult => ({
      key: c.key,
      action: c.action,
      outcome: 'skipped',
      message,
      error: {
        code: 'ambiguous_name',
        hint: 'delete the extra objects, or record the intended id in the inventory',
      },
      requests: [],
    }));
    return { results: out, summary: count(out) };
  }

  // Declared objects already as declared are owned from now on (their id recorded), as on the
  // Elasticsearch side; their credential fingerprints only when this plan could verify them.
  if (before) {
    const changed = new Set(plan.changes.map((c) => objectKey(c.kind, c.name)));
    for (const key of plan.unchanged) {
      const id = plan.ids[key];
      const existing = before.records.get(key);
      if (id === undefined || changed.has(key) || existing?.object_id === id) continue;
      // A new id for the key: what the old record's fingerprints described is not this object.
      const m = byKey.get(key);
      if (m) await put(key, { kind: m.kind, name: m.name, id, secrets: {} }, m);
    }
  }

  const waitFor = async (
    key: string,
    what: string,
    check: () => Promise<{ done: boolean; detail: string }>,
  ): Promise<void> => {
    const deadline = now() + timeoutMs;
    let last = '';
    for (;;) {
      const { done, detail } = await check();
      if (done) return;
      if (detail !== last) {
        last = detail;
        emit({ type: 'waiting', key, detail: `${what}: ${detail}` });
      }
      if (now() >= deadline) {
        throw new StepFailure(
          `${what} did not finish within ${Math.round(timeoutMs / 1000)} s (${detail})`,
          'not_ready',
          'raise the wait timeout, or look at GET /_plugins/_ml/tasks and the model state',
        );
      }
      await sleep(interval);
    }
  };

  /** Runs `send` again while the model is DEPLOYING (409). */
  const whileDeploying = async (key: string, id: string, send: () => Promise<void>) => {
    const deadline = now() + timeoutMs;
    for (;;) {
      try {
        await send();
        return;
      } catch (error) {
        if (!(error instanceof InferctlError) || error.code !== 'model_deploying' || now() >= deadline)
          throw error;
        emit({
          type: 'waiting',
          key,
          detail: `model ${id} is DEPLOYING; waiting before sending the update again`,
        });
        await sleep(interval);
      }
    }
  };

  const deploy = async (key: string, id: string) => {
    const taskId = await ml.deployModel(id);
    if (options.wait === false) {
      emit({
        type: 'waiting',
        key,
        detail: `deployment of ${id} started (task ${taskId ?? '?'}); not waited for`,
      });
      return;
    }
    let taskError: string | undefined;
    await waitFor(key, `deployment of ${id}`, async () => {
      const model = await ml.getModel(id);
      const state = stringField(model?.source ?? {}, 'model_state') ?? 'unknown';
      if (state === 'DEPLOYED') return { done: true, detail: state };
      if (state === 'DEPLOY_FAILED' || state === 'PARTIALLY_DEPLOYED') {
        const task = taskId ? await ml.getTask(taskId) : undefined;
        taskError = task?.error;
        const nodes =
          model && typeof model.source['current_worker_node_count'] === 'number'
            ? ` (${String(model.source['current_worker_node_count'])} of ${String(model.source['planning_worker_node_count'] ?? '?')} nodes)`
            : '';
        throw new StepFailure(
          `${state === 'DEPLOY_FAILED' ? 'deployment failed' : 'deployed on some nodes only'}: model ${id} is ${state}${nodes}${taskError ? `; task ${taskId}: ${taskError}` : ''}`,
          state === 'DEPLOY_FAILED' ? 'deploy_failed' : 'partially_deployed',
          state === 'DEPLOY_FAILED'
            ? 'check the connector (URL, credential) and GET /_plugins/_ml/tasks/<task_id>; apply again to retry'
            : 'some ML nodes could not deploy the model; check their logs, then apply again to deploy it everywhere',
        );
      }
      if (taskId) {
        const task = await ml.getTask(taskId);
        if (task?.state === 'FAILED') {
          throw new StepFailure(
            `deployment failed: task ${taskId}: ${task.error ?? 'FAILED'}`,
            'deploy_failed',
          );
        }
      }
      return { done: false, detail: state };
    });
  };

  const undeploy = async (key: string, id: string) => {
    await ml.undeployModel(id);
    await waitFor(key, `undeployment of ${id}`, async () => {
      const state = stringField((await ml.getModel(id))?.source ?? {}, 'model_state') ?? 'unknown';
      const held = DEPLOYED_STATES.includes(state) || DEPLOYING_STATES.includes(state);
      return { done: !held, detail: state };
    });
  };

  const register = async (key: string, body: Readonly<Record<string, unknown>>): Promise<string> => {
    const registered = await ml.registerModel(body);
    let modelId = registered.modelId;
    await waitFor(key, `registration task ${registered.taskId}`, async () => {
      const task = await ml.getTask(registered.taskId);
      if (!task) return { done: false, detail: 'task not found yet' };
      modelId ??= task.modelId;
      if (task.state === 'COMPLETED') return { done: true, detail: task.state };
      if (task.state === 'FAILED' || task.state === 'CANCELLED' || task.state === 'EXPIRED') {
        throw new StepFailure(
          `registration ${task.state}: ${task.error ?? 'no error given'}`,
          'register_failed',
        );
      }
      return { done: false, detail: task.state };
    });
    if (modelId === undefined)
      throw new StepFailure('the registration completed without a model id', 'register_failed');
    return modelId;
  };

  const run = async (change: OpenSearchChange, step: OpenSearchStep, current: { id?: string }) => {
    const objectKeyOf = objectKey(change.kind, change.name);
    switch (step.kind) {
      case 'create-connector':
        current.id = await ml.createConnector(step.body);
        break;
      case 'update-connector':
        await ml.updateConnector(step.id, step.body);
        break;
      case 'delete-connector':
        await ml.deleteConnector(step.id);
        break;
      case 'register-group':
        current.id = await ml.registerModelGroup(step.body);
        break;
      case 'update-group':
        await ml.updateModelGroup(step.id, step.body);
        break;
      case 'delete-group':
        await ml.deleteModelGroup(step.id);
        break;
      case 'register-model':
        current.id = await register(change.key, step.body);
        break;
      case 'update-model': {
        const id = step.id ?? current.id!;
        await whileDeploying(change.key, id, () => ml.updateModel(id, step.body));
        break;
      }
      case 'delete-model':
        await ml.deleteModel(step.id);
        break;
      case 'deploy-model':
        current.id = step.id ?? current.id;
        await deploy(change.key, current.id!);
        break;
      case 'undeploy-model':
        await undeploy(change.key, step.id);
        break;
    }
    if (
      current.id !== undefined &&
      (step.kind === 'create-connector' || step.kind === 'register-group' || step.kind === 'register-model')
    ) {
      ids.set(objectKeyOf, current.id);
      await record(objectKeyOf, current.id, true);
    }
  };

  /** One change, start to finish; its result is in `results` when it returns. */
  const runOne = async (change: OpenSearchChange): Promise<void> => {
    const base = { key: change.key, action: change.action };
    const finish = (result: OpenSearchChangeResult) => {
      results.set(change.key, result);
      emit({ type: 'change-end', result });
    };
    if (options.signal?.aborted) {
      results.set(change.key, {
        ...base,
        outcome: 'not-executed',
        message: 'interrupted before it started',
        requests: [],
      });
      return;
    }
    if (change.blocked) {
      finish({
        ...base,
        outcome: 'skipped',
        message: `blocked: ${change.blocked.reason}`,
        error: { code: 'blocked', hint: change.blocked.hint },
        requests: [],
      });
      return;
    }
    const failedDependency = change.dependsOn.find((k) => results.get(k)?.outcome !== 'succeeded');
    if (failedDependency) {
      finish({
        ...base,
        outcome: 'skipped',
        message: `not attempted: ${failedDependency} did not succeed`,
        error: { code: 'dependency_failed', hint: 'fix that change and apply again' },
        requests: [],
      });
      return;
    }
    emit({ type: 'change-start', change });
    const requests: string[] = [];
    const current: { id?: string } = {};
    const key = objectKey(change.kind, change.name);
    // A model no manifest declares may share a declared one's name: it has no manifest.
    const declared = change.id === undefined || change.key !== undeclaredModelKey(change.id);
    const manifest = declared ? byKey.get(key) : undefined;
    try {
      const steps = compileOpenSearchChange(change, manifest, caps, (k) => ids.get(k));
      if (
        change.action === 'replace' &&
        change.kind === 'OpenSearchConnector' &&
        change.id !== undefined &&
        manifest
      ) {
        // Before the new connector exists: until the old one's delete (the plan's `…#old` change) succeeds it stays
        // owned under its own key, so that an interrupted replacement is finished by the next plan instead of
        // leaving an unowned twin behind.
        await put(`${key}#old`, {
          kind: 'OpenSearchConnector',
          name: `${manifest.name}#old`,
          id: change.id,
          secrets: {},
        });
      }
      for (const step of steps) {
        const request = describeStep(
          step.kind === 'update-model' && step.id === undefined
            ? { ...step, id: current.id ?? '<new>' }
            : step,
        );
        requests.push(request);
        emit({ type: 'request', key: change.key, request });
        await run(change, step, current);
      }
      const id = current.id ?? change.id;
      if (change.action === 'delete') {
        // The object's own record, or the record of the old connector of a replacement (`…#old`).
        if (options.inventory && (change.key === key || change.key.endsWith('#old')))
          await options.inventory.remove(change.key);
        finish({ ...base, outcome: 'succeeded', message: 'deleted', requests });
        return;
      }
      if (change.action === 'deploy' || change.action === 'undeploy') {
        finish({
          ...base,
          outcome: 'succeeded',
          message:
            change.action === 'deploy'
              ? options.wait === false
                ? 'deployment started (not waited for)'
                : 'DEPLOYED'
              : 'UNDEPLOYED',
          requests,
          ...(id ? { id } : {}),
        });
        return;
      }
      const verdict = await verify(change, manifest, id, ml, caps, (k) => ids.get(k));
      if (verdict.unapplied.length === 0 && id !== undefined && change.action !== 'create' && manifest)
        await record(key, id, steps.some(sendsCredential));
      finish({
        ...base,
        requests,
        ...(id ? { id } : {}),
        ...(verdict.unapplied.length
          ? {
              outcome: 'failed' as const,
              message: `OpenSearch accepted the request but did not apply ${verdict.unapplied.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')}`,
              error: {
                code: 'not_applied',
                hint: 'ML Commons skips fields its version does not know; check the field against the cluster version',
              },
              unapplied: verdict.unapplied,
            }
          : { outcome: 'succeeded' as const, message: verdict.message }),
      });
    } catch (error) {
      const e = error instanceof StepFailure || error instanceof InferctlError ? error : undefined;
      const recovery =
        change.action === 'replace' && requests.some((r) => r.startsWith('DELETE'))
          ? '; the old model was deleted and the new one not registered: apply again (the plan now registers it)'
          : '';
      finish({
        ...base,
        outcome: 'failed',
        message: (e?.message ?? String((error as Error)?.message ?? error)) + recovery,
        error: { code: e?.code ?? 'internal', ...(e?.hint ? { hint: e.hint } : {}) },
        requests,
        ...(current.id ? { id: current.id } : {}),
      });
    }
  };

  // Bounded concurrency in dependency order: a change starts once every change it depends on has finished, and
  // once the previous change of the same object (its update, then its deploy) has; independent changes — the
  // models of a set, say — run side by side, at most `concurrency` at a time.
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const previousOnObject = new Map<string, string>();
  const waitsFor = new Map<string, string[]>();
  for (const change of plan.changes) {
    const object = change.id ?? objectKey(change.kind, change.name);
    const previous = previousOnObject.get(object);
    waitsFor.set(change.key, [...change.dependsOn, ...(previous ? [previous] : [])]);
    previousOnObject.set(object, change.key);
  }
  // A model that will use a connector or group this plan changes waits for that change, as it did when changes
  // ran one by one in the plan's order: a model switched to (or registered on, or deployed on) connector C while C
  // is being updated would make OpenSearch refuse C's update (: a deployed model uses it).
  const changeKeys = new Set(plan.changes.map((c) => c.key));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (waitsFor.get(from) ?? []).some((k) => reaches(k, to, seen));
  };
  for (const change of plan.changes) {
    if (change.kind !== 'OpenSearchModel' || change.action === 'undeploy' || change.action === 'delete')
      continue;
    const m = byKey.get(objectKey(change.kind, change.name));
    if (m?.kind !== 'OpenSearchModel') continue;
    const uses = [
      objectKey('OpenSearchModelGroup', m.spec.model_group),
      ...(typeof m.spec.connector === 'string' ? [objectKey('OpenSearchConnector', m.spec.connector)] : []),
    ];
    for (const dependency of uses) {
      if (!changeKeys.has(dependency) || reaches(dependency, change.key)) continue;
      waitsFor.get(change.key)!.push(dependency);
    }
  }
  const pending = [...plan.changes];
  const running = new Map<string, Promise<void>>();
  const finished = new Set<string>();
  const known = new Set(plan.changes.map((c) => c.key));
  while (pending.length || running.size) {
    const ready = pending.filter((c) =>
      (waitsFor.get(c.key) ?? []).every((k) => finished.has(k) || !known.has(k)),
    );
    for (const change of ready) {
      if (running.size >= concurrency) break;
      pending.splice(pending.indexOf(change), 1);
      running.set(
        change.key,
        runOne(change).finally(() => {
          running.delete(change.key);
          finished.add(change.key);
        }),
      );
    }
    if (running.size === 0) break; // nothing can start: a dependency cycle (never planned) — left not-executed
    await Promise.race(running.values());
  }
  const ordered = plan.changes.map(
    (c) =>
      results.get(c.key) ?? {
        key: c.key,
        action: c.action,
        outcome: 'not-executed' as const,
        message: 'not reached',
        requests: [],
      },
  );
  return { results: ordered, summary: count(ordered) };
}

/** Does the request carry a credential (a connector's, or a model's inline connector's)? */
function sendsCredential(step: OpenSearchStep): boolean {
  if (!('body' in step)) return false;
  const body = step.body as Readonly<Record<string, unknown>>;
  const inline = body['connector'];
  return (
    body['credential'] !== undefined ||
    (typeof inline === 'object' &&
      inline !== null &&
      (inline as Record<string, unknown>)['credential'] !== undefined)
  );
}

function count(results: readonly OpenSearchChangeResult[]): Record<OpenSearchOutcome, number> {
  const summary = { succeeded: 0, failed: 0, skipped: 0, 'not-executed': 0 };
  for (const r of results) summary[r.outcome]++;
  return summary;
}

/** Reads the object back and compares it with its manifest (and its references with their ids). */
async function verify(
  change: OpenSearchChange,
  manifest: OpenSearchManifest | undefined,
  id: string | undefined,
  ml: OpenSearchMlApi,
  caps: OpenSearchCapabilities,
  ids: (key: string) => string | undefined,
): Promise<{ unapplied: string[]; message: string }> {
  const done =
    change.action === 'create'
      ? 'created'
      : change.action === 'replace'
        ? change.kind === 'OpenSearchConnector'
          ? `created anew (replacing ${change.id ?? 'the old one'})`
          : 're-registered'
        : 'updated in place';
  if (!manifest || id === undefined) return { unapplied: [], message: done };
  let live: LiveObject | undefined;
  if (manifest.kind === 'OpenSearchConnector') live = await ml.getConnector(id);
  else if (manifest.kind === 'OpenSearchModelGroup') live = await ml.getModelGroup(id);
  else live = await ml.getModel(id);
  if (!live)
    throw new StepFailure(
      `the ${manifest.kind} ${id} is missing right after it was written`,
      'verify_missing',
    );
  const spec = withResolvedReferences(
    manifest.kind,
    manifest.spec as unknown as Record<string, unknown>,
    (key) => ids(key) ?? `(no id for ${key})`,
  );
  const unapplied = compareSpec(manifest.kind, spec, live.source, caps).differences.map((d) => d.path);
  if (manifest.kind === 'OpenSearchModel') {
    const group = ids(objectKey('OpenSearchModelGroup', manifest.spec.model_group));
    if (stringField(live.source, 'model_group_id') !== group) unapplied.push('/model_group_id');
    if (typeof manifest.spec.connector === 'string') {
      const connector = ids(objectKey('OpenSearchConnector', manifest.spec.connector));
      if (stringField(live.source, 'connector_id') !== connector) unapplied.push('/connector_id');
    }
  }
  return { unapplied: [...new Set(unapplied)], message: `${done} and verified` };
}
