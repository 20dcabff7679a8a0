/**
 * The pure compile step: a planned change becomes the requests that carry it out, before anything is
 * sent. Tested like a compiler (change in, requests out); `apply` only executes what this returns.
 */
import type { Capabilities } from '../catalog/capabilities.js';
import { DEFAULT_CHUNKING_SETTINGS } from '../catalog/chunking.js';
import { getService, secretFields, type TaskType } from '../catalog/index.js';
import type { RequestBody } from '../backends/elasticsearch/api.js';
import type { EndpointManifest } from '../manifest/load.js';
import { normaliseChunking } from './compare.js';
import type { Change, DiffEntry } from './types.js';

export type Step =
  | { readonly kind: 'put'; readonly taskType: TaskType; readonly id: string; readonly body: RequestBody }
  | { readonly kind: 'update'; readonly taskType: TaskType; readonly id: string; readonly body: RequestBody }
  | { readonly kind: 'delete'; readonly taskType: TaskType; readonly id: string; readonly force?: boolean };

/**
 * The steps of one change. `manifest` is required for everything but a delete.
 *
 * @example compileChange(change, manifest, caps) // [{ kind: 'delete', … }, { kind: 'put', … }] for a replace
 */
export function compileChange(
  change: Change,
  manifest: EndpointManifest | undefined,
  caps: Capabilities,
): Step[] {
  switch (change.action) {
    case 'create':
      return [
        { kind: 'put', taskType: change.taskType, id: change.id, body: createBody(need(manifest, change)) },
      ];
    case 'update':
      return [
        {
          kind: 'update',
          taskType: change.taskType,
          id: change.id,
          body: updateBody(change, need(manifest, change), caps),
        },
      ];
    case 'replace':
      return [
        {
          kind: 'delete',
          taskType: change.liveTaskType,
          id: change.id,
          ...(change.force ? { force: true } : {}),
        },
        { kind: 'put', taskType: change.taskType, id: change.id, body: createBody(need(manifest, change)) },
      ];
    case 'delete':
      return [
        {
          kind: 'delete',
          taskType: change.taskType,
          id: change.id,
          ...(change.force ? { force: true } : {}),
        },
      ];
  }
}

function need(manifest: EndpointManifest | undefined, change: Change): EndpointManifest {
  if (!manifest) throw new Error(`no manifest for ${change.action} of ${change.id}`);
  return manifest;
}

/**
 * The body of `PUT _inference/{task_type}/{id}`: the manifest's spec minus the task type (it is in the
 * path), secrets still as `Secret` values (the client reveals them when it serialises the request).
 */
export function createBody(manifest: EndpointManifest): RequestBody {
  const { service, service_settings, task_settings, chunking_settings } = manifest.spec;
  return {
    service,
    service_settings,
    ...(task_settings && Object.keys(task_settings).length ? { task_settings } : {}),
    ...(chunking_settings ? { chunking_settings } : {}),
  };
}

/**
 * The body of `_update`: only what changes, never `service` (Elasticsearch rejects it, reference api
 *, with the version's rules — the complete secret set whenever service_settings is sent before 9.5
 * (step 5), `num_allocations` in every in-cluster update on 8.17 (step 8), exactly one of
 * `num_allocations` / `adaptive_allocations` from 9.5.
 */
export function updateBody(change: Change, manifest: EndpointManifest, caps: Capabilities): RequestBody {
  const service = getService(manifest.spec.service)!;
  const declared = manifest.spec.service_settings;
  const serviceSettings: Record<string, unknown> = {};
  const taskSettings: Record<string, unknown> = {};
  let chunking: unknown;
  let secretsChanged = false;
  for (const entry of change.diff) {
    const [section, field] = sectionOf(entry);
    if (section === 'service_settings' && field) {
      if (entry.secret) secretsChanged = true;
      else serviceSettings[field] = field in declared ? declared[field] : entry.after;
    } else if (section === 'task_settings' && field) {
      taskSettings[field] = manifest.spec.task_settings?.[field] ?? entry.after;
    } else if (section === 'chunking_settings') {
      // Sent whole (9.5 replaces the object, PR #149723): removed from the manifest means the default.
      chunking = manifest.spec.chunking_settings
        ? normaliseChunking(manifest.spec.chunking_settings)
        : { ...DEFAULT_CHUNKING_SETTINGS };
    }
  }
  if (service.inCluster) {
    const adaptive = declared['adaptive_allocations'];
    const allocationChanged =
      'num_allocations' in serviceSettings || 'adaptive_allocations' in serviceSettings;
    delete serviceSettings['num_allocations'];
    delete serviceSettings['adaptive_allocations'];
    if (caps.updateAllocations === '8.17') {
      serviceSettings['num_allocations'] = declared['num_allocations'];
    } else if (allocationChanged) {
      if (
        (adaptive as { enabled?: unknown } | undefined)?.enabled === true ||
        declared['num_allocations'] === undefined
      ) {
        serviceSettings['adaptive_allocations'] = adaptive;
      } else {
        serviceSettings['num_allocations'] = declared['num_allocations'];
      }
    }
  }
  const sendSecrets =
    secretsChanged || (Object.keys(serviceSettings).length > 0 && !caps.updateSecretsOptional);
  if (sendSecrets) {
    for (const name of secretFields(service)) if (name in declared) serviceSettings[name] = declared[name];
  }
  return {
    ...(Object.keys(serviceSettings).length ? { service_settings: serviceSettings } : {}),
    ...(Object.keys(taskSettings).length ? { task_settings: taskSettings } : {}),
    ...(chunking !== undefined ? { chunking_settings: chunking } : {}),
  };
}

function sectionOf(entry: DiffEntry): [string, string | undefined] {
  const [, section, field] = entry.path.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [section ?? '', field];
}
