/**
 * Live endpoints → manifests, so that an existing cluster can be brought under inferctl: what the user
 * chose is kept; what the server filled in (defaults, learned dimensions, live allocation counts) is
 * left out, since a plan does not compare it; secrets, which Elasticsearch never returns, become
 * `secretRef` placeholders to fill in. Pure.
 */
import { Document } from 'yaml';
import type { Capabilities } from '../catalog/capabilities.js';
import { DEFAULT_CHUNKING_SETTINGS, LEGACY_CHUNKING_SETTINGS } from '../catalog/chunking.js';
import {
  defaultOf,
  fieldsFor,
  getService,
  secretFields,
  taskSettingsFor,
  type FieldSpec,
  type ServiceSpec,
  type TaskType,
} from '../catalog/index.js';
import { TEMPLATED_FIELDS, unresolvedTemplates } from '../catalog/custom-templates.js';
import type { LiveEndpoint } from '../backends/elasticsearch/api.js';
import { deepEqual } from '../util/json.js';

export interface ExportedManifest {
  readonly id: string;
  /** The manifest as YAML, with comments for what needs a human. */
  readonly yaml: string;
  /** Environment variables the manifest's secret references name. */
  readonly env: readonly string[];
  /** Fields of the live endpoint left out, with why (for the export's report). */
  readonly omitted: readonly string[];
}

/** The environment variable a secret of an endpoint is read from: `OPENAI_SMALL_API_KEY`. */
export function secretEnvName(id: string, field: string): string {
  return `${id}_${field}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Exports the non-reserved endpoints. Unknown services are skipped (listed in `skipped`).
 *
 * @example exportEndpoints(live, capabilitiesFor('9.1.0')).manifests[0].yaml
 */
export function exportEndpoints(
  live: readonly LiveEndpoint[],
  caps: Capabilities,
): { manifests: ExportedManifest[]; skipped: { id: string; reason: string }[] } {
  const manifests: ExportedManifest[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const endpoint of [...live].sort((a, b) => (a.inference_id < b.inference_id ? -1 : 1))) {
    if (endpoint.inference_id.startsWith('.')) continue; // preconfigured: never managed
    const service = getService(endpoint.service);
    if (!service) {
      skipped.push({
        id: endpoint.inference_id,
        reason: `service ${endpoint.service} is not known to this inferctl`,
      });
      continue;
    }
    manifests.push(exportOne(endpoint, caps));
  }
  return { manifests, skipped };
}

function exportOne(endpoint: LiveEndpoint, caps: Capabilities): ExportedManifest {
  const service = getService(endpoint.service)!;
  const taskType = endpoint.task_type;
  const omitted: string[] = [];
  const serviceFields = fieldsFor(service.serviceSettings, taskType, caps.version);
  const settings = keep(
    endpoint.service_settings ?? {},
    serviceFields,
    taskType,
    'service_settings',
    omitted,
  );
  const adaptive = (settings['adaptive_allocations'] as { enabled?: unknown } | undefined)?.enabled === true;
  if (adaptive && 'num_allocations' in settings) {
    delete settings['num_allocations'];
    omitted.push('service_settings.num_allocations (the live count under adaptive allocations)');
  }
  const env: string[] = [];
  const placeholders: string[] = [];
  const skip = unchosenSecrets(service, endpoint.service_settings ?? {});
  for (const name of secretFields(service)) {
    const field = serviceFields[name];
    if (!field || skip.has(name)) continue;
    const required = field.required !== undefined;
    const chosen = chosenSecret(service, name);
    if (!required && !chosen && name !== 'api_key') continue;
    if (field.type === 'string_map') {
      // The keys are the `${…}` templates of the live settings that nothing else resolves (custom service).
      const parameters = (endpoint.task_settings?.['parameters'] ?? {}) as Record<string, unknown>;
      const keys = TEMPLATED_FIELDS.flatMap((f) =>
        unresolvedTemplates(endpoint.service_settings?.[f], [], Object.keys(parameters)),
      ).filter((k, i, all) => all.indexOf(k) === i);
      if (keys.length === 0) {
        placeholders.push(
          `${name}: no \${…} template of this endpoint names a secret, so none is written; add the keys it needs, each with a secretRef`,
        );
        continue;
      }
      const map: Record<string, unknown> = {};
      for (const key of keys) {
        const variable = secretEnvName(endpoint.inference_id, `${name}_${key}`);
        map[key] = { secretRef: { env: variable } };
        env.push(variable);
      }
      settings[name] = map;
    } else {
      const variable = secretEnvName(endpoint.inference_id, name);
      settings[name] = { secretRef: { env: variable } };
      env.push(variable);
    }
  }
  const task = keep(
    endpoint.task_settings ?? {},
    taskSettingsFor(service, taskType, caps.version),
    taskType,
    'task_settings',
    omitted,
  );
  const chunking = endpoint.chunking_settings;
  const spec: Record<string, unknown> = {
    task_type: taskType,
    service: endpoint.service,
    service_settings: sortedObject(settings),
    ...(Object.keys(task).length ? { task_settings: sortedObject(task) } : {}),
    ...(chunking &&
    !deepEqual(chunking, DEFAULT_CHUNKING_SETTINGS) &&
    !deepEqual(chunking, LEGACY_CHUNKING_SETTINGS)
      ? { chunking_settings: chunking }
      : {}),
  };
  const doc = new Document({
    apiVersion: 'inferctl/v1',
    kind: 'InferenceEndpoint',
    metadata: { name: endpoint.inference_id },
    spec,
  });
  doc.commentBefore =
    ` Exported by inferctl from Elasticsearch ${caps.version}.` +
    (env.length
      ? `\n Secrets are never returned by Elasticsearch: set ${env.join(', ')} before planning.`
      : '') +
    placeholders.map((p) => `\n ${p}`).join('') +
    (Object.keys(settings).some((k) => PINNED.has(k))
      ? '\n dimensions / similarity / element_type may have been filled in by Elasticsearch: they are kept because\n indices depend on them; remove any you did not choose.'
      : '');
  return { id: endpoint.inference_id, yaml: doc.toString({ lineWidth: 0 }), env, omitted };
}

/**
 * Secrets of an `exactlyOne` group (api_key | client_secret | entra_id) that the live endpoint does not use.
 * Elasticsearch never returns a secret, but it returns the non-secret fields that travel with one (an
 * `allOrNone` rule: OAuth2's client_id, scopes, token_url / tenant_id): their presence says which secret the
 * endpoint was created with. Without such a sign the group's first member (api_key) is written.
 */
function unchosenSecrets(service: ServiceSpec, live: Readonly<Record<string, unknown>>): Set<string> {
  const skip = new Set<string>();
  const secrets = new Set(secretFields(service));
  for (const rule of service.rules ?? []) {
    if (rule.kind !== 'exactlyOne' || !rule.fields.every((f) => secrets.has(f))) continue;
    const used =
      rule.fields.find((secret) =>
        (service.rules ?? []).some(
          (r) =>
            r.kind === 'allOrNone' &&
            r.fields.includes(secret) &&
            r.fields.some((f) => !secrets.has(f) && live[f] !== undefined),
        ),
      ) ?? rule.fields[0];
    for (const f of rule.fields) if (f !== used) skip.add(f);
  }
  return skip;
}

/** Is `name` the member of an `exactlyOne` secret group (written even when not required on its own)? */
function chosenSecret(service: ServiceSpec, name: string): boolean {
  return (service.rules ?? []).some((r) => r.kind === 'exactlyOne' && r.fields.includes(name));
}

const PINNED = new Set(['dimensions', 'similarity', 'element_type', 'num_allocations']);

/** The user-chosen part of a live section: known, non-secret, not server-filled, not a default. */
function keep(
  live: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, FieldSpec>>,
  taskType: TaskType,
  section: string,
  omitted: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(live)) {
    const field = fields[name];
    if (!field) {
      omitted.push(`${section}.${name} (not a setting inferctl knows for this service)`);
      continue;
    }
    if (field.secret) continue;
    if (field.acceptedInRequest === false) {
      omitted.push(`${section}.${name} (filled in by Elasticsearch, not accepted in a request)`);
      continue;
    }
    // Kept although the server may have filled them in: dimensions, similarity and element type are what
    // semantic_text indices depend on, so the manifest pins them (remove them if you did not choose them).
    if (field.serverFilled && !PINNED.has(name)) {
      omitted.push(`${section}.${name} (filled in by Elasticsearch)`);
      continue;
    }
    const def = defaultOf(field, taskType);
    if (def !== undefined && deepEqual(def, value)) continue;
    out[name] = acceptedInput(field, value);
  }
  return out;
}

/**
 * A stored value as the create request accepts it: the server may store a canonical form the request
 * does not take (VoyageAI stores `byte` for `int8` and accepts only `int8`).
 */
function acceptedInput(field: FieldSpec, value: unknown): unknown {
  if (typeof value !== 'string' || !field.enum || field.enum.includes(value) || !field.canonical)
    return value;
  return Object.entries(field.canonical).find(([, stored]) => stored === value)?.[0] ?? value;
}

function sortedObject(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The body that recreates a live endpoint as it is (what the user chose; server-filled values left to
 * the server), with the secrets of `secretsFrom` when given — Elasticsearch never returns them, so a
 * restore can only resend the manifest's. Used to restore an endpoint whose replacement failed.
 */
export function restoreBody(
  live: LiveEndpoint,
  caps: Capabilities,
  secretsFrom?: Readonly<Record<string, unknown>>,
): { taskType: TaskType; body: Record<string, unknown>; missingSecrets: string[] } {
  const service = getService(live.service);
  const omitted: string[] = [];
  const fields = service ? fieldsFor(service.serviceSettings, live.task_type, caps.version) : {};
  const settings = service
    ? keep(live.service_settings ?? {}, fields, live.task_type, 'service_settings', omitted)
    : { ...live.service_settings };
  if ((settings['adaptive_allocations'] as { enabled?: unknown } | undefined)?.enabled === true)
    delete settings['num_allocations'];
  const missingSecrets: string[] = [];
  for (const name of service ? secretFields(service) : []) {
    if (!fields[name] || fields[name]!.required === undefined) continue;
    if (secretsFrom && name in secretsFrom) settings[name] = secretsFrom[name];
    else missingSecrets.push(name);
  }
  const task = service
    ? keep(
        live.task_settings ?? {},
        taskSettingsFor(service, live.task_type, caps.version),
        live.task_type,
        'task_settings',
        omitted,
      )
    : {};
  return {
    taskType: live.task_type,
    body: {
      service: live.service,
      service_settings: settings,
      ...(Object.keys(task).length ? { task_settings: task } : {}),
      ...(live.chunking_settings ? { chunking_settings: live.chunking_settings } : {}),
    },
    missingSecrets,
  };
}
